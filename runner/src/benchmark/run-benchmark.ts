// The benchmark stage: power run → answer checks → QpH, as the `benchmark` block of metrics.json.
import type { LakebenchConfig } from '../config/schema.js';
import type { QueryEngine } from '../engines/engine.js';
import type { Manifest } from '../datagen/manifest.js';
import type { BenchmarkBlock } from '../model/metrics.js';
import { adapt } from '../sql/dialect.js';
import { powerRun, type BenchmarkProgress, type QueryRun } from './power-run.js';
import { answerChecks, type GoldRows } from './answer-checks.js';
import { qph, qphByClass } from './qph.js';
import { BadInputError } from '../util/errors.js';

export type BenchmarkOutcome = { block: BenchmarkBlock; runs: QueryRun[] };

const GOLD_LATEST = `SELECT interaction_date, daily_active_customers, total_daily_revenue, conversions, avg_engagement_score, high_churn_risk_count
FROM {gold} ORDER BY interaction_date DESC LIMIT 30`;

export async function runBenchmark(engine: QueryEngine, config: LakebenchConfig, manifest: Manifest, onProgress?: BenchmarkProgress): Promise<BenchmarkOutcome> {
  const b = config.benchmark;
  if (b.mode !== 'power') throw new BadInputError(`mode '${b.mode}' is not implemented yet; use 'power'`, 'benchmark.mode');
  const run = await powerRun(engine, { iterations: b.iterations, cache: b.cache, timeoutSeconds: b.timeoutSeconds }, onProgress);

  // Untimed: the gold rows Q9 must agree with.
  const gold = await engine.execute(adapt(GOLD_LATEST, engine.dialect, engine.tables), { timeoutSeconds: b.timeoutSeconds });
  const goldRows: GoldRows | null = gold.ok ? { columns: gold.columns, rows: gold.rows } : null;
  const checks = answerChecks(run.queries, manifest, goldRows);
  for (const q of run.queries) {
    q.result.checks = checks.get(q.def.id) ?? [];
    const failed = q.result.checks.filter((c) => c.status === 'failed');
    if (q.result.success && failed.length > 0) {
      q.result.success = false;
      q.result.error = { code: 'ANSWER_CHECK_FAILED', message: failed.map((c) => `${c.name}: expected ${c.expected}, observed ${c.observed}`).join('; ') };
    }
  }
  const all = run.queries.flatMap((q) => q.result.checks);
  const timed = run.queries.map((q) => ({ success: q.result.success, elapsedSeconds: q.result.elapsed_seconds, class: q.def.class }));
  const power = qph(timed);
  return {
    runs: run.queries,
    block: {
      engine: { type: engine.type, version: await engine.version() },
      mode: b.mode,
      streams: 1,
      iterations: b.iterations,
      seed: b.seed,
      timeout_seconds: b.timeoutSeconds,
      cache: { mode: b.cache, warmup: run.warmup, flushed: run.flushed, not_flushed: run.notFlushed },
      qph: power,
      power_qph: power,
      throughput_qph: null,
      composite_qph: null,
      qph_by_class: qphByClass(timed),
      total_seconds: timed.reduce((s, t) => s + t.elapsedSeconds, 0),
      snapshots: null,
      queries: run.queries.map((q) => q.result),
      streams_results: [],
      answer_checks: {
        passed: all.filter((c) => c.status === 'passed').length,
        failed: all.filter((c) => c.status === 'failed').length,
        skipped: all.filter((c) => c.status === 'skipped').length,
      },
    },
  };
}
