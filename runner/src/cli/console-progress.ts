// Progress on stderr: datagen files, each stage's elapsed time, each query. stdout stays free for
// the scorecard or the --json summary.
import type { Progress } from '../pipeline/progress.js';

const fmt = (s: number) => (s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`);

export class ConsoleProgress implements Progress {
  private lastDatagen = 0;
  constructor(private readonly out: NodeJS.WritableStream = process.stderr, private readonly quiet = false) {}

  line(message: string): void {
    if (!this.quiet) this.out.write(`${message}\n`);
  }

  datagen(p: { done: number; total: number; skipped: number; bytes: number }): void {
    const now = Date.now();
    if (p.done !== p.total && now - this.lastDatagen < 1000) return;
    this.lastDatagen = now;
    const resumed = p.skipped ? `, ${p.skipped} already complete` : '';
    this.line(`  datagen: ${p.done}/${p.total} files, ${(p.bytes / 2 ** 20).toFixed(0)} MiB${resumed}`);
  }

  stage(name: string) {
    const start = Date.now();
    this.line(`${name}: started`);
    const ticker = setInterval(() => this.line(`  ${name}: running for ${fmt((Date.now() - start) / 1000)}`), 15_000);
    ticker.unref();
    return {
      done: (ok: boolean, detail?: string) => {
        clearInterval(ticker);
        this.line(`${name}: ${ok ? 'done' : 'FAILED'} in ${fmt((Date.now() - start) / 1000)}${detail ? ` (${detail})` : ''}`);
      },
    };
  }

  /** One line per timed execution; a throughput stream's carry its stream index (`Q3 #1 stream 2`). */
  query(e: { query: string; iteration: number; stream?: number; outcome: { ok: boolean; elapsedSeconds: number } & ({ ok: true; rows: unknown[] } | { ok: false; error: { message: string } }) }): void {
    const o = e.outcome;
    this.line(`  ${e.query} #${e.iteration}${e.stream !== undefined ? ` stream ${e.stream}` : ''}: ${o.ok ? `${o.rows.length} rows` : `FAILED ${o.error.message.split('\n')[0]}`} in ${o.elapsedSeconds.toFixed(3)} s`);
  }
}
