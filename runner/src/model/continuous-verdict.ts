// The verdict reasons only a continuous run can have (docs/results.md §3.5), added to the batch
// rules' reasons: a streaming job that died and did not recover, an ingest ratio below the
// threshold, silver lagging the landing beyond its allowance when the window closed, gold fresher
// than half the run never reached, a round with failed queries (after the Q9 retry) ⇒ FAILED; an
// ingest ratio above 1.05, rounds expected but none ran (the message says whether any fired, and why
// each was skipped), a job that restarted and recovered, a failed retention or compaction action ⇒
// WARNING. Never PASSED with any of them.
import type { ContinuousBlock } from './continuous-metrics.js';
import type { VerdictReason } from './metrics.js';
import { queryFailureCode } from './verdict.js';

export const INGEST_RATIO_WARN_ABOVE = 1.05;
/** Refresh freshness above this share of the run duration fails the run. */
export const FRESHNESS_MAX_SHARE = 0.5;

export function continuousReasons(block: ContinuousBlock, opts: { ingestRatioMin: number; roundsExpected: boolean }): VerdictReason[] {
  const reasons: VerdictReason[] = [];
  const fail = (code: string, message: string, source: string) => reasons.push({ code, severity: 'FAILED', message, source });
  const warn = (code: string, message: string, source: string) => reasons.push({ code, severity: 'WARNING', message, source });
  const card = block.scorecard;
  for (const j of block.jobs) {
    if (j.stopped_by === 'failed') fail('STREAMING_JOB_FAILED', `${j.job} died and did not recover${j.error ? `: ${j.error}` : ''}`, j.job);
    else if (j.restarts > 0) warn('STREAMING_JOB_RESTARTED', `${j.job} restarted ${j.restarts} time(s) and recovered`, j.job);
  }
  if (card.ingest_ratio !== null && card.ingest_ratio < opts.ingestRatioMin) {
    fail('INGEST_RATIO_LOW', `ingest ratio ${card.ingest_ratio.toFixed(3)} is below ${opts.ingestRatioMin} (${card.total_rows_processed} of ${card.rows_landed} landed rows reached bronze_raw): the pipeline is saturated`, 'bronze-ingest');
  }
  const lag = card.silver_lag_seconds ?? null;
  const lagMax = card.silver_lag_max_seconds ?? null;
  if (lag !== null && lagMax !== null && lag > lagMax) {
    fail('SILVER_LAG_HIGH', `silver was ${lag.toFixed(1)} s behind the landing when the window closed, above the ${lagMax} s a pipeline that keeps up allows (2 × (bronze trigger + silver trigger)): the pipeline is saturated`, 'silver-stream');
  }
  if (card.ingest_ratio !== null && card.ingest_ratio > INGEST_RATIO_WARN_ABOVE) warn('INGEST_RATIO_HIGH', `ingest ratio ${card.ingest_ratio.toFixed(3)} is above ${INGEST_RATIO_WARN_ABOVE}: rows were ingested twice`, 'bronze-ingest');
  if (card.ingest_ratio === null) fail('NOTHING_LANDED', 'no rows landed, so nothing was measured', 'datagen');
  if (card.data_freshness_seconds !== null && card.data_freshness_seconds > FRESHNESS_MAX_SHARE * block.duration_seconds) {
    fail('FRESHNESS_TOO_OLD', `data freshness ${card.data_freshness_seconds.toFixed(1)} s is above ${FRESHNESS_MAX_SHARE * 100}% of the ${block.duration_seconds} s run`, 'gold-refresh');
  }
  if (block.gold_commits.length === 0) {
    // The commits are read from gold's table; the job's own reports say whether it refreshed at all. A
    // refresh the table never showed (the query engine did not answer the run's probe) is not "never".
    const reported = block.jobs.find((j) => j.job === 'gold-refresh')?.batches ?? 0;
    if (reported > 0) fail('GOLD_NOT_OBSERVED', `gold-refresh reported ${reported} refresh(es), but no gold commit was read from the table during the run (see the run log for the probe's errors), so no freshness was measured`, 'gold-refresh');
    else fail('NO_GOLD_COMMIT', 'gold was never refreshed during the run, so no freshness was measured', 'gold-refresh');
  }
  for (const r of block.rounds) {
    if (r.error !== null) fail('ROUND_FAILED', `round ${r.round_index} ran no query: ${r.error}`, 'benchmark');
    for (const q of r.queries.filter((q) => !q.success)) fail(queryFailureCode(q.error?.code), `round ${r.round_index}: ${q.id} ${q.name}: ${q.error?.message ?? 'failed'}`, 'benchmark');
  }
  // docs/results.md §3.5: maintenance errors are a WARNING; one reason per table and action, with how often.
  const failedMaintenance = new Map<string, { count: number; error: string | null }>();
  for (const a of block.maintenance?.actions ?? []) {
    if (a.status !== 'failed') continue;
    const key = `${a.action} on ${a.table}`;
    failedMaintenance.set(key, { count: (failedMaintenance.get(key)?.count ?? 0) + 1, error: a.error });
  }
  for (const [what, f] of failedMaintenance) warn('MAINTENANCE_FAILED', `${what} failed in ${f.count} pass(es)${f.error ? `: ${f.error}` : ''}`, 'maintenance');
  if (opts.roundsExpected && card.benchmark_rounds_count === 0) warn('NO_ROUNDS', `in-stream rounds were expected but none ran ${whyNoRound(block.rounds)}`, 'benchmark');
  return reasons;
}

/**
 * Why no round ran: the schedule never fired inside the run after the warm-up, or it fired and every
 * firing was skipped, counted by reason ("3 rounds fired, all skipped: gold has no commit yet").
 */
function whyNoRound(rounds: ContinuousBlock['rounds']): string {
  const skipped = rounds.filter((r) => r.status === 'skipped');
  if (skipped.length === 0) return '(warm-up and schedule left no round inside the run)';
  const byReason = new Map<string, number>();
  for (const r of skipped) {
    const reason = r.skip_reason ?? 'no reason recorded';
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }
  const reasons = byReason.size === 1 ? [...byReason.keys()] : [...byReason].map(([reason, n]) => `${reason} (${n})`);
  const fired = skipped.length === 1 ? '1 round fired, skipped' : `${skipped.length} rounds fired, all skipped`;
  return `(${fired}: ${reasons.join(', ')})`;
}
