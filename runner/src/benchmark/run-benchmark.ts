// The benchmark stage (docs/benchmark.md §7): power, throughput or composite (power, then throughput) →
// answer checks → QpH, as the `benchmark` block of metrics.json.
import { DEFAULT_TABLE_FORMAT } from '../config/defaults.js';
import type { LakebenchConfig } from '../config/schema.js';
import type { QueryEngine } from '../engines/engine.js';
import type { Manifest } from '../datagen/manifest.js';
import type { BenchmarkBlock } from '../model/metrics.js';
import { adapt } from '../sql/dialect.js';
import { QUERIES } from '../sql/queries.js';
import { powerRun, summarise, type BenchmarkProgress, type QueryRun } from './power-run.js';
import { answerChecks, type GoldRows } from './answer-checks.js';
import { compositeQph, qph, qphByClass } from './qph.js';
import { assertThroughputCache, throughputRun, type ThroughputRun } from './throughput-run.js';
import { medianThroughputQph, throughputQph, throughputWallSeconds } from './stream-order.js';
import { readSnapshots, snapshotsRecord } from './snapshot-reader.js';

export type BenchmarkOutcome = { block: BenchmarkBlock; runs: QueryRun[] };

const GOLD_LATEST = `SELECT interaction_date, daily_active_customers, total_daily_revenue, conversions, avg_engagement_score, high_churn_risk_count
FROM {gold} ORDER BY interaction_date DESC LIMIT 30`;

/** Refuses, before anything runs, a configuration the benchmark cannot honour. */
export function checkBenchmarkConfig(config: LakebenchConfig): void {
  const b = config.benchmark;
  if (b.mode !== 'power') assertThroughputCache(b.mode, b.cache);
}

/** Answer checks on a set of the 8 queries' runs; a failed check makes its query fail (same rule everywhere). */
function applyChecks(runs: QueryRun[], manifest: Manifest, gold: GoldRows | null): void {
  const checks = answerChecks(runs, manifest, gold);
  for (const q of runs) {
    // Appended: summarise() may already have recorded a rounding difference between executions.
    q.result.checks = [...q.result.checks, ...(checks.get(q.def.id) ?? [])];
    const failed = q.result.checks.filter((c) => c.status === 'failed');
    if (q.result.success && failed.length > 0) {
      q.result.success = false;
      q.result.error = { code: 'ANSWER_CHECK_FAILED', message: failed.map((c) => `${c.name}: expected ${c.expected}, observed ${c.observed}`).join('; ') };
    }
  }
}

type StreamsOutcome = {
  streams: BenchmarkBlock['streams_results'];
  iterations: BenchmarkBlock['throughput_iterations'];
  qph: number;
  /** Each query over all its stream executions (every stream, every iteration). */
  queries: QueryRun[];
};

/**
 * Judges every stream execution by the power rules (error, timeout, too few rows, failed answer
 * check: it counts nothing), then each iteration's QpH = successes ÷ (first start → last finish) × 3600.
 */
function evaluateStreams(run: ThroughputRun, manifest: Manifest, gold: GoldRows | null): StreamsOutcome {
  const streams = run.streams.map((s) => {
    const runs = s.executions.map((e) => summarise(e.def, [e.outcome]));
    applyChecks(runs, manifest, gold);
    return {
      stream_id: s.streamId,
      iteration: s.iteration,
      order: s.order,
      start_offset_seconds: s.startSeconds,
      finish_offset_seconds: s.finishSeconds,
      wall_seconds: s.finishSeconds - s.startSeconds,
      successes: runs.filter((r) => r.result.success).length,
      queries: runs.map((r) => r.result),
      executions: s.executions.map((e, i) => ({ id: e.def.id, start_offset_seconds: e.startSeconds, finish_offset_seconds: e.finishSeconds, success: runs[i]!.result.success })),
    };
  });
  const iterationIds = [...new Set(streams.map((s) => s.iteration))].sort((a, b) => a - b);
  const iterations = iterationIds.map((iteration) => {
    const timed = streams.filter((s) => s.iteration === iteration).flatMap((s) => s.executions.map((e) => ({ success: e.success, startSeconds: e.start_offset_seconds, finishSeconds: e.finish_offset_seconds })));
    return { iteration, wall_seconds: throughputWallSeconds(timed), executions: timed.length, successes: timed.filter((t) => t.success).length, qph: throughputQph(timed) };
  });

  const queries = QUERIES.map((def) => {
    const executions = run.streams.flatMap((s) => s.executions.filter((e) => e.def.id === def.id).map((e) => ({ outcome: e.outcome, context: { iteration: s.iteration, stream: s.streamId, flushedBefore: false } })));
    return summarise(def, executions.map((e) => e.outcome), executions.map((e) => e.context));
  });
  applyChecks(queries, manifest, gold);
  markStreamFailures(queries, streams);
  return { streams, iterations, qph: medianThroughputQph(iterations.map((i) => i.qph)), queries };
}

/** A query that failed in any stream execution is a failed query of the run (for the verdict), with that execution's error. */
function markStreamFailures(queries: QueryRun[], streams: StreamsOutcome['streams']): void {
  for (const q of queries) {
    if (!q.result.success) continue;
    for (const s of streams) {
      const failed = s.queries.find((r) => r.id === q.def.id && !r.success);
      if (failed) {
        q.result.success = false;
        q.result.error = { code: failed.error?.code ?? 'QUERY_FAILED', message: `throughput stream ${s.stream_id} (iteration ${s.iteration}): ${failed.error?.message ?? 'failed'}` };
        break;
      }
    }
  }
}

export async function runBenchmark(engine: QueryEngine, config: LakebenchConfig, manifest: Manifest, onProgress?: BenchmarkProgress): Promise<BenchmarkOutcome> {
  const b = config.benchmark;
  checkBenchmarkConfig(config);
  const withPower = b.mode === 'power' || b.mode === 'composite';
  const withStreams = b.mode === 'throughput' || b.mode === 'composite';
  // Cluster tables are Iceberg unless the config says Delta; the embedded engine has no snapshots.
  const tableFormat = config.cluster?.tableFormat ?? DEFAULT_TABLE_FORMAT;
  const snapshotsBefore = await readSnapshots(engine, tableFormat, b.timeoutSeconds);

  const power = withPower ? await powerRun(engine, { iterations: b.iterations, cache: b.cache, timeoutSeconds: b.timeoutSeconds }, onProgress) : null;
  // Composite: the power run's warm-up and timed passes already warmed the engine for the streams.
  const streamed = withStreams
    ? await throughputRun(engine, { streams: b.streams, seed: b.seed, iterations: b.iterations, cache: b.cache, timeoutSeconds: b.timeoutSeconds, warmup: b.cache === 'hot' && power === null }, onProgress)
    : null;

  // Untimed: the gold rows Q9 must agree with.
  const gold = await engine.execute(adapt(GOLD_LATEST, engine.dialect, engine.tables), { timeoutSeconds: b.timeoutSeconds });
  const goldRows: GoldRows | null = gold.ok ? { columns: gold.columns, rows: gold.rows } : null;
  const snapshots = snapshotsRecord(snapshotsBefore, await readSnapshots(engine, tableFormat, b.timeoutSeconds));

  let powerQph: number | null = null;
  if (power) {
    applyChecks(power.queries, manifest, goldRows);
    powerQph = qph(power.queries.map((q) => ({ success: q.result.success, elapsedSeconds: q.result.elapsed_seconds })));
  }
  const streams = streamed ? evaluateStreams(streamed, manifest, goldRows) : null;

  // The per-query table: the power run's when it ran, else each query over all its stream executions.
  const runs = power ? power.queries : streams!.queries;
  // Per-class QpH and Σ time of that table, before a composite run's stream failures are added to it.
  const timed = runs.map((q) => ({ success: q.result.success, elapsedSeconds: q.result.elapsed_seconds, class: q.def.class }));
  if (power && streams) markStreamFailures(power.queries, streams.streams);
  const throughput = streams ? streams.qph : null;
  const composite = compositeQph(powerQph, throughput);
  const all = runs.flatMap((q) => q.result.checks);
  return {
    runs,
    block: {
      engine: { type: engine.type, version: await engine.version() },
      mode: b.mode,
      streams: withStreams ? b.streams : 1,
      iterations: b.iterations,
      seed: b.seed,
      timeout_seconds: b.timeoutSeconds,
      cache: { mode: b.cache, warmup: power?.warmup ?? streamed?.warmup ?? false, flushed: power?.flushed ?? [], not_flushed: power?.notFlushed ?? [] },
      qph: b.mode === 'power' ? powerQph! : b.mode === 'throughput' ? throughput! : composite!,
      power_qph: powerQph,
      throughput_qph: throughput,
      composite_qph: composite,
      qph_by_class: qphByClass(timed),
      total_seconds: timed.reduce((s, t) => s + t.elapsedSeconds, 0),
      snapshots,
      queries: runs.map((q) => q.result),
      streams_results: streams?.streams ?? [],
      throughput_iterations: streams?.iterations ?? [],
      answer_checks: {
        passed: all.filter((c) => c.status === 'passed').length,
        failed: all.filter((c) => c.status === 'failed').length,
        skipped: all.filter((c) => c.status === 'skipped').length,
      },
    },
  };
}
