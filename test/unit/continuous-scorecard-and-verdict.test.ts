// The continuous scorecard (docs/pipeline.md §8.6) and the continuous verdict rules, as pure
// functions of what a run observed: every rule is made to happen from facts that would produce it.
import { describe, expect, it } from 'vitest';
import { continuousBlock, continuousScorecard, silverLagMaxSeconds, silverLagSeconds, type StreamingFacts } from '../../runner/src/model/continuous-scorecard.js';
import { continuousReasons } from '../../runner/src/model/continuous-verdict.js';
import { withContinuous } from '../../runner/src/model/assemble-continuous.js';
import { assembleMetrics } from '../../runner/src/model/assemble-metrics.js';
import { metricsSchema } from '../../runner/src/model/metrics.js';
import { configSchema } from '../../runner/src/config/schema.js';
import type { RoundRecord } from '../../runner/src/model/continuous-metrics.js';
import { skippedRound } from '../../runner/src/benchmark/in-stream-round.js';
import type { QueryResult } from '../../runner/src/model/metrics.js';

const T = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

const query = (id: string, success: boolean, seconds = 1): QueryResult => ({
  id, name: id, display_name: id, class: 'scan', success, rows: success ? 1 : null, elapsed_seconds: seconds, samples_seconds: [seconds],
  p50_seconds: seconds, p95_seconds: seconds, min_seconds: seconds, max_seconds: seconds, fingerprint: null, fingerprint_stable: true, checks: [],
  error: success ? null : { code: 'QUERY_FAILED', message: 'No files found' }, engine_stats: null,
});

const round = (index: number, startS: number, qph: number, freshness: number, failed: string[] = []): RoundRecord => ({
  round_index: index, scheduled_at: T(startS), start_time: T(startS), end_time: T(startS + 5), status: 'completed', skip_reason: null, error: null,
  gold_commit_id: '0', source_max_processing_ts: T(startS - freshness), query_time_freshness_seconds: freshness, qph,
  queries: ['Q1', 'Q9'].map((id) => query(id, !failed.includes(id))), failed_queries: failed, q9: null,
});

function facts(over: Partial<StreamingFacts> = {}): StreamingFacts {
  return {
    durationSeconds: 100,
    base: { files: 2, rows: 1000, bytes: 2 ** 30, filteredRows: 20 },
    landed: [{ index: 2, key: 'part-000002.parquet', rows: 500, bytes: 2 ** 29, filtered_rows: 10, landed_at: T(10) }],
    jobs: [
      { job: 'bronze-ingest', stopped_by: 'duration', restarts: 0, batches: [{ started_at: T(0), committed_at: T(2), rows: 1000 }, { started_at: T(12), committed_at: T(13), rows: 500 }] },
      { job: 'silver-stream', stopped_by: 'duration', restarts: 0, batches: [{ started_at: T(3), committed_at: T(7), rows: 980 }, { started_at: T(14), committed_at: T(16), rows: 490 }] },
      { job: 'gold-refresh', stopped_by: 'duration', restarts: 0, batches: [{ started_at: T(8), committed_at: T(11), rows: 30 }] },
    ],
    goldCommits: [
      { id: '0', committed_at: T(11), source_max_processing_ts: T(7) },
      { id: '1', committed_at: T(40), source_max_processing_ts: T(20) },
    ],
    rounds: [round(0, 30, 100, 10), round(1, 50, 300, 30), round(2, 70, 200, 20)],
    cores: 2,
    batchBaselineQph: 400,
    saturationRatio: 0.95,
    window: { openedAt: T(0), closedAt: T(100) },
    silverLagMaxSeconds: 20,
    maintenance: { skip_reason: null, retention_interval_seconds: 30, compaction_interval_seconds: 60, retention_threshold_seconds: 30, passes: 0, actions: [] },
    ...over,
  };
}

describe('continuous scorecard', () => {
  it('derives freshness, ingest, latency and in-stream QpH from the observed facts', () => {
    const s = continuousScorecard(facts());
    expect(s.data_freshness_seconds).toBe(20); // worst of 4 s and 20 s
    expect(s.query_time_freshness_seconds).toBe(20); // median of 10, 30, 20
    expect(s.in_stream_composite_qph).toBe(200);
    expect(s.qph_degradation_pct).toBe(50);
    expect(s.total_rows_processed).toBe(1500);
    expect(s.rows_landed).toBe(1500);
    expect(s.ingest_ratio).toBe(1);
    expect(s.pipeline_saturated).toBe(false);
    expect(s.sustained_throughput_rps).toBe(15);
    expect(s.stage_latency_profile).toEqual({ bronze_ms: 1500, silver_ms: 3000, gold_ms: 3000 });
    expect(s.end_to_end_latency_ms).toBe(7500);
    expect(s.silver_lag_seconds).toBe(0);
    expect(s.silver_lag_max_seconds).toBe(20);
    expect(s.total_data_processed_gb).toBe(1.5);
    expect(s.total_core_hours).toBeCloseTo(200 / 3600, 9);
  });

  it("counts the rates over the window: the stop's catch-up batch and files landed after the close are in the totals, not per second", () => {
    const f = facts();
    const late = facts({
      landed: [...f.landed, { index: 3, key: 'part-000003.parquet', rows: 300, bytes: 2 ** 28, filtered_rows: 0, landed_at: T(105) }],
      jobs: f.jobs.map((j) => (j.job === 'bronze-ingest' ? { ...j, batches: [...j.batches, { started_at: T(110), committed_at: T(112), rows: 300 }] } : j)),
    });
    const s = continuousScorecard(late);
    expect(s.total_rows_processed).toBe(1800);
    expect(s.rows_landed).toBe(1800);
    expect(s.ingest_ratio).toBe(1);
    expect(s.total_data_processed_gb).toBe(1.75);
    // Unchanged from the same run without the late file: 1500 rows and 1.5 GiB in the 100 s window.
    expect(s.sustained_throughput_rps).toBe(15);
    expect(s.pipeline_throughput_gb_per_second).toBe(0.015);
    expect(s.compute_efficiency_gb_per_core_hour).toBeCloseTo(1.5 / (200 / 3600), 9);
  });

  it('has no degradation without a batch baseline, and no QpH without rounds', () => {
    expect(continuousScorecard(facts({ batchBaselineQph: null })).qph_degradation_pct).toBeNull();
    const none = continuousScorecard(facts({ rounds: [] }));
    expect(none.in_stream_composite_qph).toBeNull();
    expect(none.query_time_freshness_seconds).toBeNull();
  });

  it('counts skipped rounds apart from the rounds that ran', () => {
    const skipped: RoundRecord = { ...round(3, 80, 0, 0), status: 'skipped', skip_reason: 'round 2 was still running', start_time: null, end_time: null, qph: null, queries: [], query_time_freshness_seconds: null };
    const s = continuousScorecard(facts({ rounds: [...facts().rounds, skipped] }));
    expect(s.benchmark_rounds_count).toBe(3);
    expect(s.rounds_skipped).toBe(1);
    expect(s.in_stream_composite_qph).toBe(200);
  });
});

describe('silver lag at the window close (pipeline_saturated)', () => {
  const silverJob = (batches: { started_at: string; committed_at: string; rows: number }[]) => (f: StreamingFacts) =>
    f.jobs.map((j) => (j.job === 'silver-stream' ? { ...j, batches } : j));
  // Landed files a (T 10, 490 silver rows) and b (T 60, 490 rows) after a base set of 980 silver rows.
  const two = (over: Partial<StreamingFacts> = {}): StreamingFacts => {
    const f = facts(over);
    return { ...f, landed: [...f.landed, { index: 3, key: 'part-000003.parquet', rows: 500, bytes: 2 ** 29, filtered_rows: 10, landed_at: T(60) }] };
  };

  it('allows 2 × (bronze trigger + silver trigger)', () => {
    expect(silverLagMaxSeconds({ bronzeSeconds: 30, silverSeconds: 60 })).toBe(180);
  });

  it('is the age at the close of the oldest landed rows silver had not committed, base set first', () => {
    const f = two();
    // Silver holds the base and file a: file b (landed at 60 s) is 40 s old at the close (100 s).
    expect(silverLagSeconds({ ...f, jobs: silverJob([{ started_at: T(3), committed_at: T(7), rows: 980 }, { started_at: T(14), committed_at: T(16), rows: 490 }])(f) })).toBe(40);
    // Silver holds part of the base only: the base counts as landed when the streams started.
    expect(silverLagSeconds({ ...f, jobs: silverJob([{ started_at: T(3), committed_at: T(7), rows: 500 }])(f) })).toBe(100);
    // Everything landed is in silver: no lag.
    expect(silverLagSeconds({ ...f, jobs: silverJob([{ started_at: T(3), committed_at: T(70), rows: 1960 }])(f) })).toBe(0);
    // No silver-stream record: nothing to judge.
    expect(silverLagSeconds({ ...f, jobs: f.jobs.filter((j) => j.job !== 'silver-stream') })).toBeNull();
  });

  it('does not count the catch-up batch the stop runs after the close, nor files landed after it', () => {
    const f = two({ window: { openedAt: T(0), closedAt: T(50) } });
    // File b landed after the close: only the base and file a are due; silver's batch for a committed after it.
    const jobs = silverJob([{ started_at: T(3), committed_at: T(7), rows: 980 }, { started_at: T(50), committed_at: T(55), rows: 980 }])(f);
    expect(silverLagSeconds({ ...f, jobs })).toBe(40);
  });

  it('marks a pipeline saturated and FAILS it when silver lags beyond the allowance, even with every landed row in bronze_raw', () => {
    const f = two();
    const jobs = silverJob([{ started_at: T(3), committed_at: T(7), rows: 980 }, { started_at: T(14), committed_at: T(16), rows: 490 }])(f);
    // bronze_raw got all three parts: ingest ratio 1.
    const bronze = jobs.map((j) => (j.job === 'bronze-ingest' ? { ...j, batches: [...j.batches, { started_at: T(61), committed_at: T(62), rows: 500 }] } : j));
    const behind = continuousBlock({ ...f, jobs: bronze, silverLagMaxSeconds: 39 });
    expect(behind.scorecard.ingest_ratio).toBe(1);
    expect(behind.scorecard.silver_lag_seconds).toBe(40);
    expect(behind.scorecard.pipeline_saturated).toBe(true);
    expect(continuousReasons(behind, { ingestRatioMin: 0.95, roundsExpected: true }).map((r) => `${r.severity} ${r.code}`)).toEqual(['FAILED SILVER_LAG_HIGH']);
    // The same facts with the lag at the allowance exactly: keeping up, nothing to report.
    const atLimit = continuousBlock({ ...f, jobs: bronze, silverLagMaxSeconds: 40 });
    expect(atLimit.scorecard.pipeline_saturated).toBe(false);
    expect(continuousReasons(atLimit, { ingestRatioMin: 0.95, roundsExpected: true })).toEqual([]);
  });
});

describe('continuous verdict rules', () => {
  const opts = { ingestRatioMin: 0.95, roundsExpected: true };
  const codes = (f: StreamingFacts) => continuousReasons(continuousBlock(f), opts).map((r) => `${r.severity} ${r.code}`);

  it('gives no reason for a healthy run', () => {
    expect(codes(facts())).toEqual([]);
  });

  it('fails a run whose streaming job died and did not recover', () => {
    const f = facts();
    const jobs = f.jobs.map((j) => (j.job === 'silver-stream' ? { ...j, stopped_by: 'failed' as const, error: 'IO Error' } : j));
    expect(codes({ ...f, jobs })).toContain('FAILED STREAMING_JOB_FAILED');
  });

  it('warns, and does not fail, for a job that restarted and recovered', () => {
    const f = facts();
    const jobs = f.jobs.map((j) => (j.job === 'gold-refresh' ? { ...j, restarts: 2 } : j));
    expect(codes({ ...f, jobs })).toEqual(['WARNING STREAMING_JOB_RESTARTED']);
  });

  it('fails an ingest ratio below the threshold and marks the pipeline saturated', () => {
    const f = facts();
    const jobs = f.jobs.map((j) => (j.job === 'bronze-ingest' ? { ...j, batches: j.batches.slice(0, 1) } : j));
    const block = continuousBlock({ ...f, jobs });
    expect(block.scorecard.ingest_ratio).toBeCloseTo(1000 / 1500, 9);
    expect(block.scorecard.pipeline_saturated).toBe(true);
    expect(codes({ ...f, jobs })).toContain('FAILED INGEST_RATIO_LOW');
  });

  it('warns on an ingest ratio above 1.05 (rows ingested twice)', () => {
    const f = facts();
    const jobs = f.jobs.map((j) => (j.job === 'bronze-ingest' ? { ...j, batches: [...j.batches, { started_at: T(20), committed_at: T(21), rows: 500 }] } : j));
    expect(codes({ ...f, jobs })).toEqual(['WARNING INGEST_RATIO_HIGH']);
  });

  it('fails a round with a failed query, after its Q9 retry', () => {
    expect(codes(facts({ rounds: [round(0, 30, 100, 10, ['Q9'])] }))).toEqual(['FAILED QUERY_FAILED']);
  });

  it('fails a round that could not run its queries at all', () => {
    const r: RoundRecord = { ...round(0, 30, 0, 10), error: 'IO Error: No files found', queries: [], failed_queries: ['Q1'] };
    expect(codes(facts({ rounds: [r] }))).toEqual(['FAILED ROUND_FAILED']);
  });

  it('fails freshness above half the run, and a run that never refreshed gold', () => {
    expect(codes(facts({ goldCommits: [{ id: '0', committed_at: T(90), source_max_processing_ts: T(20) }] }))).toEqual(['FAILED FRESHNESS_TOO_OLD']);
    const f = facts({ goldCommits: [] });
    const jobs = f.jobs.map((j) => (j.job === 'gold-refresh' ? { ...j, batches: [] } : j));
    expect(codes({ ...f, jobs })).toEqual(['FAILED NO_GOLD_COMMIT']);
  });

  it('fails, without claiming gold never refreshed, when the job reported refreshes the table probe never read', () => {
    const f = facts({ goldCommits: [] });
    const refreshes = f.jobs.find((j) => j.job === 'gold-refresh')!.batches.length;
    expect(refreshes).toBeGreaterThan(0);
    const reasons = continuousReasons(continuousBlock(f), opts);
    expect(reasons.map((r) => `${r.severity} ${r.code}`)).toEqual(['FAILED GOLD_NOT_OBSERVED']);
    expect(reasons[0]!.message).toBe(`gold-refresh reported ${refreshes} refresh(es), but no gold commit was read from the table during the run (see the run log for the probe's errors), so no freshness was measured`);
  });

  it('warns when rounds were expected and none ran: the schedule never fired inside the run', () => {
    expect(codes(facts({ rounds: [] }))).toEqual(['WARNING NO_ROUNDS']);
    expect(continuousReasons(continuousBlock(facts({ rounds: [] })), opts)[0]!.message).toBe('in-stream rounds were expected but none ran (warm-up and schedule left no round inside the run)');
  });

  it('warns when rounds were expected and none ran: every firing skipped, counted by reason', () => {
    const noGold = [0, 1, 2].map((i) => skippedRound(i, new Date(T(30 + 10 * i)), 'gold has no commit yet'));
    const all = continuousReasons(continuousBlock(facts({ rounds: noGold })), opts);
    expect(all.map((r) => `${r.severity} ${r.code}`)).toEqual(['WARNING NO_ROUNDS']);
    expect(all[0]!.message).toBe('in-stream rounds were expected but none ran (3 rounds fired, all skipped: gold has no commit yet)');
    const one = continuousReasons(continuousBlock(facts({ rounds: noGold.slice(0, 1) })), opts);
    expect(one[0]!.message).toBe('in-stream rounds were expected but none ran (1 round fired, skipped: gold has no commit yet)');
    // A round whose record was lost (its probe threw) leaves only the firings it made skip.
    const mixed = [...noGold.slice(0, 2), skippedRound(4, new Date(T(80)), 'round 3 was still running')];
    expect(continuousReasons(continuousBlock(facts({ rounds: mixed })), opts)[0]!.message).toBe(
      'in-stream rounds were expected but none ran (3 rounds fired, all skipped: gold has no commit yet (2), round 3 was still running (1))',
    );
  });

  it('warns (docs/results.md §3.5: maintenance errors) once per table and action that failed, never for ok or skipped ones', () => {
    const action = (pass: number, table: string, status: 'ok' | 'failed' | 'skipped', error: string | null = null) => ({
      pass, started_at: T(30 + pass), table, action: 'expire_snapshots' as const, status, seconds: 1, older_than_seconds: 1800, detail: null, error,
    });
    const maintenance = (actions: ReturnType<typeof action>[]) => ({ ...facts().maintenance, passes: 2, actions });
    expect(codes(facts({ maintenance: maintenance([action(0, 'gold', 'ok'), action(1, 'gold', 'skipped', 'window closed')]) }))).toEqual([]);
    const f = facts({ maintenance: maintenance([action(0, 'gold', 'failed', 'TABLE_NOT_FOUND: no gold'), action(1, 'gold', 'failed', 'TABLE_NOT_FOUND: still no gold'), action(1, 'silver', 'ok')]) });
    const reasons = continuousReasons(continuousBlock(f), opts);
    expect(reasons.map((r) => `${r.severity} ${r.code} ${r.source}`)).toEqual(['WARNING MAINTENANCE_FAILED maintenance']);
    expect(reasons[0]!.message).toBe('expire_snapshots on gold failed in 2 pass(es): TABLE_NOT_FOUND: still no gold');
    expect(continuousBlock(f).maintenance!.actions).toHaveLength(3);
  });

  it('never leaves a continuous run PASSED with a FAILED reason, and writes a valid metrics document', () => {
    const config = configSchema.parse({ pipeline: { mode: 'continuous' }, continuous: { durationSeconds: 100, rounds: { warmupSeconds: 10 } } });
    const batch = assembleMetrics({
      runId: '20260101-000000-abcdef', config, platform: 'embedded', start: new Date(T(0)), end: new Date(T(100)), manifest: null, datagenSeconds: null,
      stages: [], benchmark: null, benchmarkExpected: false, versions: {}, sizing: {}, incompleteReason: null,
    });
    const f = facts();
    const bad = withContinuous(batch, continuousBlock({ ...f, jobs: f.jobs.map((j) => (j.job === 'bronze-ingest' ? { ...j, stopped_by: 'failed' as const } : j)) }), config);
    expect(bad.verdict.status).toBe('FAILED');
    expect(bad.mode).toBe('continuous');
    const good = withContinuous(batch, continuousBlock(f), config);
    expect(good.verdict.status).toBe('PASSED');
    expect(good.scorecard.headline_qph).toBe(200);
    expect(metricsSchema.parse(JSON.parse(JSON.stringify(good))).continuous?.scorecard.ingest_ratio).toBe(1);
  });
});
