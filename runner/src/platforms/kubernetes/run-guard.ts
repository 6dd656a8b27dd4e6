// Keeps a run's record honest when the runner is stopped (docs/results.md §1): heartbeats in run.json
// while the run is in progress; on SIGTERM/SIGINT the Spark applications this run started are
// deleted, run.json is marked incomplete in every store and the Lease is released; and a runner
// that starts finds runs whose runner died without a word (a killed pod, a lost node) and marks them
// incomplete, so an interrupted run is never a silent gap.
import type { ObjectStore } from '../../storage/object-store.js';
import { runRecordSchema, writeRunRecord, type RunRecord } from '../../storage/results.js';
import { errorMessage } from '../../util/errors.js';

/** At most one run.json write per store per minute. */
export const HEARTBEAT_SECONDS = 60;
/** A running record this much older than its last heartbeat has no live runner behind it. */
export const STALE_AFTER_SECONDS = 5 * HEARTBEAT_SECONDS;

export type RunGuardDeps = {
  stores: ObjectStore[];
  /** Deletes what this run started in the cluster; returns the names. */
  stopWork: () => Promise<string[]>;
  /** Releases the Lease (or nothing, off-cluster). */
  release: () => Promise<void>;
  log: (line: string) => void;
  heartbeatSeconds?: number;
  now?: () => Date;
};

export class RunGuard {
  private record: RunRecord | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  private readonly now: () => Date;

  constructor(private readonly deps: RunGuardDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Called once the run record exists: heartbeats start. */
  started(record: RunRecord): void {
    this.record = record;
    const every = (this.deps.heartbeatSeconds ?? HEARTBEAT_SECONDS) * 1000;
    this.timer = setInterval(() => void this.heartbeat(), every);
    this.timer.unref();
  }

  async heartbeat(): Promise<void> {
    if (!this.record || this.ended) return;
    this.record = { ...this.record, heartbeat_at: this.now().toISOString() };
    await this.writeAll(this.record);
  }

  /** The run ended normally (the orchestrator wrote the final record): stop heartbeats, release. */
  async finished(): Promise<void> {
    this.ended = true;
    clearInterval(this.timer);
    await this.deps.release();
  }

  /** SIGTERM/SIGINT: stop the cluster work, record the run as incomplete everywhere, release the Lease. */
  async interrupt(reason: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.timer);
    this.deps.log(`${reason}: stopping the Spark applications of this run`);
    const steps: [string, () => Promise<unknown>][] = [
      ['stop cluster work', async () => this.deps.log(`deleted: ${(await this.deps.stopWork()).join(', ') || 'nothing running'}`)],
      ['mark run.json incomplete', async () => this.record && (await this.writeAll({ ...this.record, state: 'incomplete', ended_at: this.now().toISOString(), heartbeat_at: this.now().toISOString(), reason }))],
      ['release the lease', () => this.deps.release()],
    ];
    // Each step runs even if an earlier one failed: the record matters most, the lease expires anyway.
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (e) {
        this.deps.log(`${what} failed: ${errorMessage(e)}`);
      }
    }
  }

  private async writeAll(record: RunRecord): Promise<void> {
    const results = await Promise.allSettled(this.deps.stores.map((s) => writeRunRecord(s, record)));
    for (const [i, r] of results.entries()) if (r.status === 'rejected') this.deps.log(`run.json write to ${this.deps.stores[i]?.location} failed: ${errorMessage(r.reason)}`);
  }
}

/**
 * Marks `running` records whose runner is gone incomplete and returns their ids. Called by the new
 * Lease holder before it writes its own record: a record guarded by this same Lease cannot have a
 * live runner (the Lease passed on), so it is marked at once, whatever its heartbeat says. Any
 * other record (another namespace sharing the bucket, or a runner without a Lease) is judged by its
 * heartbeat: older than `staleAfterSeconds` means dead. Only run.json is touched; the index keeps
 * listing completed runs only.
 */
export async function markStaleRuns(store: ObjectStore, opts: { staleAfterSeconds?: number; now?: Date; by: string; lease?: string; warn?: (message: string) => void }): Promise<string[]> {
  const now = opts.now ?? new Date();
  const limit = (opts.staleAfterSeconds ?? STALE_AFTER_SECONDS) * 1000;
  const marked: string[] = [];
  for (const key of (await store.list('runs/')).filter((k) => k.endsWith('/run.json'))) {
    // One unreadable record (truncated, foreign, an unsafe key) is named and skipped: it must not stop the runner.
    let parsed;
    try {
      const text = await store.get(key);
      parsed = text === undefined ? undefined : runRecordSchema.safeParse(JSON.parse(text));
    } catch (e) {
      opts.warn?.(`skipped ${key} in ${store.location}: ${errorMessage(e)}`);
      continue;
    }
    if (parsed && !parsed.success) opts.warn?.(`skipped ${key} in ${store.location}: not a valid run record`);
    if (!parsed?.success || parsed.data.state !== 'running') continue;
    const last = Date.parse(parsed.data.heartbeat_at);
    const age = `${Math.round((now.getTime() - last) / 1000)} s before ${opts.by} started`;
    let reason: string;
    if (opts.lease && parsed.data.lease === opts.lease) reason = `the runner stopped without finishing: the Lease ${opts.lease} passed to ${opts.by}; last heartbeat ${parsed.data.heartbeat_at} (${age})`;
    else if (now.getTime() - last > limit) reason = `the runner stopped without finishing: no heartbeat since ${parsed.data.heartbeat_at} (${age})`;
    else continue;
    await writeRunRecord(store, { ...parsed.data, state: 'incomplete', ended_at: parsed.data.heartbeat_at, reason });
    marked.push(parsed.data.run_id);
  }
  return marked;
}
