// One in-stream benchmark round (docs/benchmark.md §12): the freshness probe, the 8-query power run
// hot on the tables as they are while the pipeline keeps writing, and the Q9 retry on a
// commit-contention error. Answer checks against the manifest do not apply: the tables hold the base
// set plus whatever has streamed in so far, not the manifest's totals.
import type { QueryEngine } from '../engines/engine.js';
import { adapt } from '../sql/dialect.js';
import { QUERIES, type QueryDef } from '../sql/queries.js';
import { powerRun, summarise } from './power-run.js';
import { qph } from './qph.js';
import type { RoundRecord } from '../model/continuous-metrics.js';

/** The query §12 retries: matched by id, never by a short name. */
export const Q9_ID: QueryDef['id'] = 'Q9';

/**
 * Whether a failed query met a table being replaced under it: files of the old snapshot gone (the
 * embedded gold folder swapped, an Iceberg data or metadata file expired) or a commit in flight.
 * Anything else (a bad plan, a timeout, too few rows) is not contention and is not retried.
 */
export function isCommitContention(error: { code: string; message: string }): boolean {
  if (error.code === 'TIMEOUT') return false;
  return /no files found|cannot open file|could not open file|no such file|does not exist|FileNotFound|NoSuchKey|ICEBERG_CANNOT_OPEN_SPLIT|ICEBERG_MISSING_DATA|ICEBERG_COMMIT|CommitFailedException|concurrent(ly)? (modif|commit|update)|Failed to open input stream/i.test(error.message);
}

export type RoundOptions = {
  timeoutSeconds: number;
  /** Wait before the first Q9 retry; the second waits twice as long (30 s and 60 s by default). */
  q9RetryWaitSeconds: number;
  q9MaxAttempts: number;
};

/** The gold commit that was newest when the round started (`at`): the snapshot the round reads. */
export type FreshnessProbe = { at: Date; goldCommitId: string | null; sourceMaxProcessingTs: string | null };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs one round. The first Q9 attempt is the power run's; on a contention error Q9 runs again after
 * each wait, and the final attempt's result replaces the first. Failed attempts and the waits are
 * recorded, and a final attempt that still failed stays a failure.
 */
export async function runRound(engine: QueryEngine, index: number, scheduledAt: Date, probe: FreshnessProbe, opts: RoundOptions): Promise<RoundRecord> {
  const start = probe.at;
  const power = await powerRun(engine, { iterations: 1, cache: 'hot', timeoutSeconds: opts.timeoutSeconds });
  const q9 = power.queries.find((q) => q.def.id === Q9_ID);
  const attempts: { ok: boolean; elapsed_seconds: number; error: string | null; waited_seconds: number }[] = [];
  let contention = false;
  if (q9) {
    attempts.push({ ok: q9.result.success, elapsed_seconds: q9.result.elapsed_seconds, error: q9.result.error?.message ?? null, waited_seconds: 0 });
    let error = q9.result.error;
    contention = error !== null && isCommitContention(error);
    while (error !== null && isCommitContention(error) && attempts.length < opts.q9MaxAttempts) {
      const wait = opts.q9RetryWaitSeconds * 2 ** (attempts.length - 1);
      await sleep(wait * 1000);
      const outcome = await engine.execute(adapt(q9.def.sql, engine.dialect, engine.tables), { timeoutSeconds: opts.timeoutSeconds });
      const judged = summarise(q9.def, [outcome]);
      attempts.push({ ok: judged.result.success, elapsed_seconds: outcome.elapsedSeconds, error: judged.result.error?.message ?? null, waited_seconds: wait });
      // The latest attempt replaces the earlier ones, success or not.
      q9.result = judged.result;
      error = judged.result.error;
    }
  }
  const queries = power.queries.map((q) => q.result);
  const end = new Date();
  const sourceTs = probe.sourceMaxProcessingTs;
  return {
    round_index: index,
    scheduled_at: scheduledAt.toISOString(),
    start_time: start.toISOString(),
    end_time: end.toISOString(),
    status: 'completed',
    skip_reason: null,
    error: null,
    gold_commit_id: probe.goldCommitId,
    source_max_processing_ts: sourceTs,
    query_time_freshness_seconds: sourceTs === null ? null : (start.getTime() - Date.parse(sourceTs)) / 1000,
    qph: qph(queries.map((q) => ({ success: q.success, elapsedSeconds: q.elapsed_seconds }))),
    queries,
    failed_queries: queries.filter((q) => !q.success).map((q) => q.id),
    q9: {
      contention_observed: contention,
      retry_used: attempts.length > 1,
      attempts: attempts.length,
      lost_seconds: attempts.slice(0, -1).reduce((s, a) => s + a.elapsed_seconds, 0) + attempts.reduce((s, a) => s + a.waited_seconds, 0),
      attempt_errors: attempts.map((a) => a.error),
    },
  };
}

/** The record of a round that did not run: the previous one was still running, or gold had no commit yet. */
export function skippedRound(index: number, scheduledAt: Date, reason: string): RoundRecord {
  return {
    round_index: index,
    scheduled_at: scheduledAt.toISOString(),
    start_time: null,
    end_time: null,
    status: 'skipped',
    skip_reason: reason,
    error: null,
    gold_commit_id: null,
    source_max_processing_ts: null,
    query_time_freshness_seconds: null,
    qph: null,
    queries: [],
    failed_queries: [],
    q9: null,
  };
}

/** The record of a round whose engine could not be opened: every query of it failed. */
export function unrunnableRound(index: number, scheduledAt: Date, start: Date, error: string): RoundRecord {
  return {
    round_index: index,
    scheduled_at: scheduledAt.toISOString(),
    start_time: start.toISOString(),
    end_time: new Date().toISOString(),
    status: 'completed',
    skip_reason: null,
    error,
    gold_commit_id: null,
    source_max_processing_ts: null,
    query_time_freshness_seconds: null,
    qph: 0,
    queries: [],
    failed_queries: QUERIES.map((q) => q.id),
    q9: null,
  };
}
