// Embedded-mode performance, measured side by side in one run (the machine is shared and noisy, so
// ratios matter more than absolute seconds):
//   1. the whole embedded run at scale 0.1 (datagen + 3 stages + benchmark + report): wall seconds
//      and the runner's peak RSS;
//   2. silver-build ÷ a plain DuckDB Parquet → Parquet copy of the same bronze, alternated;
//   3. datagen throughput in MiB/s per core.
// Usage: npx tsx bench/embedded-run.ts [--scale 0.1] [--rounds 3]
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { openDuckDb, closeDuckDb, sqlString } from '../runner/src/engines/duckdb-session.js';
import { median } from '../runner/src/benchmark/qph.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const scale = arg('scale', 0.1);
const rounds = arg('rounds', 3);
const root = path.resolve(import.meta.dirname, '..');
const out = mkdtempSync(path.join(os.tmpdir(), 'lakebench-bench-'));

function cli(args: string[]): { seconds: number; summary: Record<string, unknown> } {
  const t0 = performance.now();
  const r = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'runner/src/cli/main.ts'), ...args, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`lakebench ${args.join(' ')} exited ${r.status}\n${r.stderr}`);
  return { seconds, summary: JSON.parse(r.stdout) as Record<string, unknown> };
}

try {
  const cores = os.availableParallelism();
  console.log(`machine: ${cores} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  const full = cli(['run', '--local', '--scale', String(scale), '--output', out]);
  const metrics = JSON.parse(readFileSync(String(full.summary.metrics), 'utf8')) as { stages: { name: string; elapsed_seconds: number; output_bytes: number | null }[]; verdict: { status: string } };
  const datagen = metrics.stages.find((s) => s.name === 'datagen')!;
  console.log(`\n1. whole embedded run at scale ${scale}: ${full.seconds.toFixed(1)} s wall (verdict ${metrics.verdict.status}), runner peak RSS ${(Number(full.summary.runner_peak_rss_bytes) / 2 ** 30).toFixed(2)} GiB`);
  for (const s of metrics.stages) console.log(`   ${s.name.padEnd(14)} ${s.elapsed_seconds.toFixed(2)} s`);

  const bronze = path.join(out, 'warehouse', 'bronze', '*.parquet');
  const silverSeconds: number[] = [];
  const copySeconds: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const stage = cli(['run', '--local', '--scale', String(scale), '--output', out, '--stage', 'silver-build']);
    const m = JSON.parse(readFileSync(String(stage.summary.metrics), 'utf8')) as { stages: { name: string; elapsed_seconds: number }[] };
    silverSeconds.push(m.stages.find((s) => s.name === 'silver-build')!.elapsed_seconds);
    const db = await openDuckDb({ threads: cores });
    const t0 = performance.now();
    await db.connection.run(`COPY (SELECT * FROM read_parquet(${sqlString(bronze)})) TO ${sqlString(path.join(out, 'copy.parquet'))} (FORMAT parquet, COMPRESSION snappy)`);
    copySeconds.push((performance.now() - t0) / 1000);
    closeDuckDb(db);
  }
  const ratio = median(silverSeconds) / median(copySeconds);
  console.log(`\n2. silver-build ${median(silverSeconds).toFixed(2)} s vs plain Parquet copy ${median(copySeconds).toFixed(2)} s (medians of ${rounds}, alternated): ratio ${ratio.toFixed(2)}`);
  console.log(`   silver samples ${silverSeconds.map((s) => s.toFixed(2)).join(', ')}; copy samples ${copySeconds.map((s) => s.toFixed(2)).join(', ')}`);

  const mib = (datagen.output_bytes ?? 0) / 2 ** 20;
  console.log(`\n3. datagen ${mib.toFixed(0)} MiB in ${datagen.elapsed_seconds.toFixed(2)} s on ${cores} cores: ${(mib / datagen.elapsed_seconds / cores).toFixed(1)} MiB/s per core`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
