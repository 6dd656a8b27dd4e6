// The benchmark's failure paths through runBenchmark, on an engine stub that misbehaves per query:
// an engine error (Q2), zero rows (Q4), a different answer in every iteration (Q3), a wrong total
// (Q7), and a rounding-only difference between iterations (Q5); Q1, Q6 and Q9 answer correctly.
// Every figure the stage reports is asserted against arithmetic done here on the stub's own timings:
// power QpH, QpH per class, Σ time, each query's reason, the verdict, the exact answer-check counts.
import { describe, expect, it } from 'vitest';
import type { Cell, FlushReport, QueryEngine, QueryOutcome } from '../../runner/src/engines/engine.js';
import { DUCKDB_TABLES } from '../../runner/src/engines/duckdb-engine.js';
import { adapt } from '../../runner/src/sql/dialect.js';
import { QUERIES, type QueryDef } from '../../runner/src/sql/queries.js';
import { runBenchmark } from '../../runner/src/benchmark/run-benchmark.js';
import { powerRun, storedResult } from '../../runner/src/benchmark/power-run.js';
import { validateConfig } from '../../runner/src/config/load.js';
import { manifestSchema, type Manifest } from '../../runner/src/datagen/manifest.js';
import { verdict } from '../../runner/src/model/verdict.js';

type Id = QueryDef['id'];
const S = 960; // silver rows: 1,000 bronze rows minus 40 duplicate_suspected
const REVENUE = 12_300; // (1,234,567 − 4,567) cents
const CUSTOMERS = 90;
const PURCHASES = 300;

/** Seconds each call of a query takes, by call index (0 is the hot warm-up). */
const SECONDS: Record<Id, number[]> = {
  Q1: [9, 1, 1, 1],
  Q2: [9, 0.5, 0.5, 0.5],
  Q4: [9, 0.25, 0.25, 0.25],
  Q3: [9, 2, 4, 3],
  Q7: [9, 1.5, 1.5, 1.5],
  Q5: [9, 0.75, 0.75, 0.75],
  Q6: [9, 2, 2, 2],
  Q9: [9, 0.25, 0.25, 0.25],
};

function manifest(): Manifest {
  return manifestSchema.parse({
    manifest_version: 1,
    generator: { name: 'lakebench-datagen', version: '1.0.0', parquet_writer: 'duckdb', parquet_writer_version: 'v1.5.6', image: null, hash_basis: 'file-bytes' },
    dataset: {
      schema: 'customer360', seed: 42, scale: 0.01, window_start: '2024-01-01', window_end: '2025-12-31', dirty_ratio: 0.08, duplicate_email_ratio: 0.02,
      payload_bytes: 512, bytes_per_row_constant: 1000, compression: 'snappy', file_size_bytes: 2 ** 24, row_group_rows: 100_000,
      customers: 100, customer_law: { type: 'zipf-mandelbrot', s: 1.1, q: 2.7 }, total_rows: 1000, file_count: 1,
    },
    totals: { file_count: 1, total_rows: 1000, total_bytes: 1e6, event_ts_min: '2024-01-01T00:00:00.000000Z', event_ts_max: '2025-12-30T23:00:00.000000Z', event_date_min: '2024-01-01', event_date_max: '2025-12-30' },
    files: [],
    aggregates: {
      rows_by_interaction_type: { purchase: 310, view: 690 },
      rows_by_data_quality_flag: { clean: 960, duplicate_suspected: 40 },
      rows_by_channel: {},
      rows_by_flag_and_type: { 'clean|purchase': PURCHASES, 'duplicate_suspected|purchase': 10, 'clean|view': 660, 'duplicate_suspected|view': 30 },
      amount_cents_total: 1_234_567,
      amount_cents_by_flag: { clean: 1_230_000, duplicate_suspected: 4_567 },
      rows_by_month_excluding_duplicates: {},
      rows_product_id_null: 0, rows_device_type_null: 0, rows_satisfaction_set: 0,
    },
    data_fingerprint: 'sha256:00',
    generated_at: '2026-01-01T00:00:00.000Z',
  });
}

const day = (n: number): Cell => ({ date: new Date(Date.UTC(2025, 11, 30) - n * 86_400_000).toISOString().slice(0, 10) });
const GOLD_ROWS: Cell[][] = Array.from({ length: 30 }, (_, i) => [day(i), 40n, 400.5, 10n, 55.25, 3n]);

/** The answer each query gives on call `call` (0: warm-up), as columns and rows. */
function answer(id: Id, call: number): { columns: string[]; rows: Cell[][] } {
  switch (id) {
    case 'Q1':
      return { columns: ['total_records', 'unique_customers', 'unique_sessions', 'total_revenue', 'avg_transaction'], rows: [[BigInt(S), BigInt(CUSTOMERS), BigInt(S), REVENUE, 12.81]] };
    case 'Q4':
      return { columns: ['churn_risk_indicator', 'customer_journey_stage', 'device_category', 'interactions', 'at_risk_customers', 'avg_engagement', 'avg_satisfaction'], rows: [] };
    case 'Q3': // a different customer count in every call: not a rounding difference
      return { columns: ['customer_value_tier', 'channel_preference', 'customers', 'total_spend', 'avg_engagement', 'avg_ltv'], rows: Array.from({ length: 12 }, (_, i) => ['tier', `c${i}`, BigInt(10 + call), REVENUE / 12, 50, 100]) };
    case 'Q7': // Σ conversions 299 where the manifest says 300; the other sums agree with Q1
      return {
        columns: ['channel', 'total_interactions', 'awareness', 'consideration', 'conversions', 'retention', 'conversion_rate_pct', 'channel_revenue', 'avg_engagement'],
        rows: [200, 190, 190, 190, 190].map((n, i) => [`ch${i}`, BigInt(n), 50n, 50n, BigInt(i === 0 ? 59 : 60), 40n, 120, 2460 + (4 - i) * 0.01 - 0.02, 50]),
      };
    case 'Q5': // call 2 returns the first revenue one cent higher: a rounding difference only
      return {
        columns: ['interaction_date', 'dau', 'revenue', 'total_interactions', 'revenue_ma7', 'dau_ma7'],
        rows: Array.from({ length: 90 }, (_, i) => [day(i), 40n, i === 0 && call === 2 ? 100.01 : 100, 50n, 100, 40]),
      };
    case 'Q6':
      return { columns: ['rfm_segment', 'customer_count', 'avg_spend', 'avg_frequency', 'avg_recency'], rows: [['Champions', 30n, 900, 20, 5], ['Loyal', 60n, 400, 10, 40]] };
    case 'Q9':
      return {
        columns: ['interaction_date', 'daily_active_customers', 'total_daily_revenue', 'conversions', 'avg_engagement_score', 'high_churn_risk_count', 'revenue_change', 'dau_change_pct'],
        rows: GOLD_ROWS.map((r) => [...r, 0, 0]),
      };
    case 'Q2':
      throw new Error('Q2 errors, it has no answer');
  }
}

/** The stub: recognises each of the 8 statements by their adapted text; anything else is the untimed gold read. */
class MisbehavingEngine implements QueryEngine {
  readonly type = 'duckdb' as const;
  readonly dialect = 'duckdb' as const;
  readonly tables = DUCKDB_TABLES;
  readonly calls = new Map<Id, number>();
  private readonly bySql = new Map(QUERIES.map((q) => [adapt(q.sql, 'duckdb', DUCKDB_TABLES), q.id]));
  async version(): Promise<string> {
    return 'stub';
  }
  async execute(sql: string): Promise<QueryOutcome> {
    const id = this.bySql.get(sql);
    if (!id) return { ok: true, columns: ['interaction_date', 'daily_active_customers', 'total_daily_revenue', 'conversions', 'avg_engagement_score', 'high_churn_risk_count'], rows: GOLD_ROWS, elapsedSeconds: 0.1, engineStats: null };
    const call = this.calls.get(id) ?? 0;
    this.calls.set(id, call + 1);
    const elapsedSeconds = SECONDS[id][call]!;
    if (id === 'Q2') return { ok: false, timedOut: false, elapsedSeconds, error: { code: 'Binder Error', message: 'Binder Error: Referenced column "interaction_type" not found' } };
    return { ok: true, ...answer(id, call), elapsedSeconds, engineStats: null };
  }
  async flush(): Promise<FlushReport> {
    return { flushed: [], notFlushed: [] };
  }
  async close(): Promise<void> {}
}

describe('the benchmark stage when queries fail, return nothing, change answers or give a wrong total', () => {
  const config = validateConfig({ scale: 0.01, benchmark: { mode: 'power', iterations: 3, cache: 'hot' } }, 'test');
  const run = (async () => {
    const engine = new MisbehavingEngine();
    const outcome = await runBenchmark(engine, config, manifest());
    return { engine, outcome, block: outcome.block };
  })();

  it('ran one warm-up and three timed calls of every query', async () => {
    const { engine } = await run;
    expect(Object.fromEntries(engine.calls)).toEqual({ Q1: 4, Q2: 4, Q4: 4, Q3: 4, Q7: 4, Q5: 4, Q6: 4, Q9: 4 });
  });

  it('gives each misbehaving query its own error code and keeps the others successful', async () => {
    const { block } = await run;
    const byId = Object.fromEntries(block.queries.map((q) => [q.id, q]));
    expect(block.queries.map((q) => [q.id, q.success, q.error?.code ?? null])).toEqual([
      ['Q1', true, null],
      ['Q2', false, 'Binder Error'],
      ['Q4', false, 'TOO_FEW_ROWS'],
      ['Q3', false, 'FINGERPRINT_UNSTABLE'],
      ['Q7', false, 'ANSWER_CHECK_FAILED'],
      ['Q5', true, null],
      ['Q6', true, null],
      ['Q9', true, null],
    ]);
    expect(byId.Q4!.error!.message).toBe('returned 0 rows, fewer than the declared minimum of 1');
    expect(byId.Q4!.rows).toBe(0);
    expect(byId.Q3!.fingerprint_stable).toBe(false);
    expect(byId.Q3!.error!.message).toMatch(/^iterations returned different answers: row \d+: customers 1[0-9] against 1[0-9]$/);
    expect(byId.Q7!.error!.message).toBe(`Σ conversions = manifest purchases: expected ${PURCHASES}, observed 299`);
    // Q5's answers differ by one cent in one cell: tolerated, recorded, not a failure.
    expect(byId.Q5!.fingerprint_stable).toBe(false);
    expect(byId.Q5!.checks[0]).toEqual({ name: 'executions agree within rounding', status: 'passed', expected: 'identical answers', observed: 'rounding difference', detail: 'execution 2: revenue 100 against 100.01' });
  });

  it('counts power QpH as successes ÷ the time of all queries, failed ones included, × 3600', async () => {
    const { block } = await run;
    // Medians of the timed calls: Q1 1, Q2 0.5, Q4 0.25, Q3 3 (of 2, 4, 3), Q7 1.5, Q5 0.75, Q6 2, Q9 0.25.
    const total = 1 + 0.5 + 0.25 + 3 + 1.5 + 0.75 + 2 + 0.25;
    expect(block.total_seconds).toBeCloseTo(total, 12);
    expect(block.power_qph).toBeCloseTo((4 / total) * 3600, 9);
    expect(block.qph).toBe(block.power_qph);
    expect(block.throughput_qph).toBeNull();
    expect(block.composite_qph).toBeNull();
  });

  it('counts QpH per class the same way: a class whose queries all failed scores 0', async () => {
    const { block } = await run;
    expect(block.qph_by_class.scan).toBeCloseTo((1 / 1) * 3600, 9);
    expect(block.qph_by_class.filter_prune).toBe(0); // Q2 error + Q4 zero rows
    expect(block.qph_by_class.aggregation).toBe(0); // Q3 unstable + Q7 wrong total
    expect(block.qph_by_class.analytics).toBeCloseTo((2 / (0.75 + 2)) * 3600, 9);
    expect(block.qph_by_class.operational).toBeCloseTo((1 / 0.25) * 3600, 9);
  });

  it('counts answer checks exactly: passed, failed and skipped (a check against a failed query is skipped, never dropped)', async () => {
    const { block } = await run;
    const statuses = Object.fromEntries(block.queries.map((q) => [q.id, q.checks.map((c) => `${c.status} ${c.name}`)]));
    expect(statuses).toEqual({
      Q1: ['skipped order', 'passed total_records = silver rows', 'passed total_revenue = manifest cents', 'passed unique_sessions = total_records', 'passed unique_customers <= N'],
      Q2: ['skipped answer'],
      Q4: ['skipped answer'],
      Q3: ['skipped answer'],
      Q7: ['passed order', 'passed 5 rows', 'passed Σ total_interactions = Q1 total_records', 'failed Σ conversions = manifest purchases', 'passed Σ channel_revenue = Q1 total_revenue'],
      Q5: ['passed executions agree within rounding', 'passed order', 'passed 90 rows', 'passed dates descending and consecutive'],
      Q6: ['passed order', 'passed Σ customer_count = Q1 unique_customers', 'passed segment names'],
      Q9: ['passed order', 'passed 30 rows', 'passed rows equal gold'],
    });
    expect(block.answer_checks).toEqual({ passed: 18, failed: 1, skipped: 4 });
  });

  it('fails the run with one reason per failed query, each with its own code, and warns on the rounding difference', async () => {
    const { block } = await run;
    const v = verdict({ stages: [], benchmark: block, benchmarkExpected: true, scaleRatio: 1, incompleteReason: null, versions: {}, executorOverrides: {} });
    expect(v.status).toBe('FAILED');
    expect(v.reasons.map((r) => `${r.severity} ${r.code} ${r.message.slice(0, 2)}`)).toEqual([
      'FAILED QUERY_FAILED Q2',
      'FAILED TOO_FEW_ROWS Q4',
      'FAILED FINGERPRINT_UNSTABLE Q3',
      'FAILED ANSWER_CHECK_FAILED Q7',
      'WARNING ROUNDING_DIFFERENCE Q5',
    ]);
  });

  it('records plain-Parquet snapshots as not applicable, not as an empty success', async () => {
    const { block } = await run;
    expect(block.snapshots).toEqual({ status: 'not_applicable', detail: 'the embedded DuckDB engine reads plain Parquet files, which have no snapshots' });
  });

  it('a check against Q1 is skipped, naming why, when Q1 itself failed', async () => {
    class Q1Fails extends MisbehavingEngine {
      override async execute(sql: string): Promise<QueryOutcome> {
        const r = await super.execute(sql);
        return sql === adapt(QUERIES[0]!.sql, 'duckdb', DUCKDB_TABLES) ? { ok: false, timedOut: true, elapsedSeconds: 300, error: { code: 'TIMEOUT', message: 'timed out' } } : r;
      }
    }
    const { block } = await runBenchmark(new Q1Fails(), config, manifest());
    const q6 = block.queries.find((q) => q.id === 'Q6')!;
    expect(q6.checks.find((c) => c.name === 'Σ customer_count = Q1 unique_customers')).toEqual({
      name: 'Σ customer_count = Q1 unique_customers', status: 'skipped', expected: null, observed: null, detail: 'Q1 failed (TIMEOUT), so there is no total to compare with',
    });
    // Q7's two sums against Q1 and Q6's count against Q1 are counted as skipped: 4 "answer" skips + 3.
    expect(block.answer_checks).toEqual({ passed: 11, failed: 1, skipped: 7 });
    const v = verdict({ stages: [], benchmark: block, benchmarkExpected: true, scaleRatio: 1, incompleteReason: null, versions: {}, executorOverrides: {} });
    expect(v.reasons[0]).toMatchObject({ code: 'QUERY_TIMEOUT', message: 'Q1 Q1_full_aggregation_scan: timed out' });
  });
});

describe('cold power runs record a flush and the engine instance of every execution', () => {
  /** Each flush "reopens": the instance number grows, and each execution reports the instance that ran it. */
  class ReopeningEngine extends MisbehavingEngine {
    instance = 1;
    flushes = 0;
    override async execute(sql: string): Promise<QueryOutcome> {
      return { ...(await super.execute(sql)), instance: `stub-${this.instance}` };
    }
    override async flush(): Promise<FlushReport> {
      this.flushes++;
      this.instance++;
      return { flushed: ['stub instance reopened'], notFlushed: [] };
    }
  }

  it('flushes iterations × 8 times and stores which instance ran each execution', async () => {
    const engine = new ReopeningEngine();
    const run = await powerRun(engine, { iterations: 2, cache: 'cold', timeoutSeconds: 60 });
    expect(engine.flushes).toBe(16);
    expect(run.flushes).toBe(16);
    const executions = run.queries.flatMap((q) => (storedResult(q).executions as Array<{ iteration: number; flushed_before: boolean; instance: string | null }>));
    expect(executions).toHaveLength(16);
    expect(executions.every((e) => e.flushed_before)).toBe(true);
    expect(new Set(executions.map((e) => e.instance)).size).toBe(16);
    expect(run.queries[0]!.executions!.map((e) => e.iteration)).toEqual([1, 2]);
  });
});
