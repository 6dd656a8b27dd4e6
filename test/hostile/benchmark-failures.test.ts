// The benchmark's failure paths through the real CLI and the real embedded DuckDB engine: an
// embedded run builds the tables, then they are tampered with the way a broken pipeline or a careless
// user would, and `lakebench benchmark --cache cold --iterations 2` runs on them:
// - gold loses its `high_churn_risk_count` column: Q9 errors (QUERY_FAILED);
// - every silver row's churn_risk_indicator becomes 'low_risk': Q4 returns zero rows (TOO_FEW_ROWS);
// - one silver row's journey stage moves from conversion to awareness: Q7's Σ conversions is one
//   short of the manifest's purchases (ANSWER_CHECK_FAILED);
// - while the benchmark runs, right after Q1's first iteration, one silver file is replaced by a copy
//   whose session ids are all equal: Q1's second iteration answers differently (FINGERPRINT_UNSTABLE).
//   Only Q1 reads session_id, so no other query's answer depends on when exactly the swap lands.
// Every figure of metrics.json is then checked against arithmetic on its own per-query numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lakebench, startLakebench, type CliResult } from '../harness/cli.js';
import { metricsSchema, type Metrics } from '../../runner/src/model/metrics.js';
import { openDuckDb, closeDuckDb, sqlString, type DuckSession } from '../../runner/src/engines/duckdb-session.js';
import { median } from '../../runner/src/benchmark/qph.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-bench-failures-'));
const out = path.join(tmp, 'out');
const warehouse = path.join(out, 'warehouse');
const silverDir = path.join(warehouse, 'silver', 'customer_interactions_enriched');
const goldDir = path.join(warehouse, 'gold', 'customer_executive_dashboard');

let bench: CliResult;
let m: Metrics;
let swapped: { file: string; atMs: number } | null = null;

async function withDuckDb<T>(fn: (s: DuckSession) => Promise<T>): Promise<T> {
  const s = await openDuckDb();
  try {
    return await fn(s);
  } finally {
    closeDuckDb(s);
  }
}

/** Rewrites gold without one column (Q9 selects it). */
async function dropGoldColumn(): Promise<void> {
  const next = path.join(tmp, 'gold.parquet');
  await withDuckDb((s) => s.connection.run(`COPY (SELECT * EXCLUDE (high_churn_risk_count) FROM read_parquet(${sqlString(path.join(goldDir, '*.parquet'))})) TO ${sqlString(next)} (FORMAT parquet)`));
  for (const f of readdirSync(goldDir)) rmSync(path.join(goldDir, f));
  renameSync(next, path.join(goldDir, 'part-0.parquet'));
}

/** Rewrites silver, same layout: no churn risk at all, and one conversion turned into awareness. */
async function tamperSilver(): Promise<void> {
  const next = path.join(tmp, 'silver-next');
  const src = `read_parquet(${sqlString(path.join(silverDir, '**', '*.parquet'))}, hive_partitioning = true, hive_types = {'interaction_date': DATE})`;
  await withDuckDb(async (s) => {
    await s.connection.run(`CREATE TABLE src AS SELECT * FROM ${src}`);
    await s.connection.run(`COPY (
      SELECT * REPLACE (
        'low_risk' AS churn_risk_indicator,
        CASE WHEN session_id = (SELECT min(session_id) FROM src WHERE customer_journey_stage = 'conversion') THEN 'awareness' ELSE customer_journey_stage END AS customer_journey_stage)
      FROM src) TO ${sqlString(next)} (FORMAT parquet, PARTITION_BY (interaction_date))`);
  });
  rmSync(silverDir, { recursive: true });
  renameSync(next, silverDir);
}

/** A copy of one silver file whose rows all share one session id, ready to be renamed over it. */
async function prepareSessionSwap(): Promise<{ victim: string; replacement: string }> {
  const day = readdirSync(silverDir).filter((d) => d.startsWith('interaction_date=')).sort()[100]!;
  const file = readdirSync(path.join(silverDir, day)).find((f) => f.endsWith('.parquet'))!;
  const victim = path.join(silverDir, day, file);
  const replacement = path.join(silverDir, day, '.swap.tmp');
  await withDuckDb((s) => s.connection.run(`COPY (SELECT * REPLACE ('same-session' AS session_id) FROM read_parquet(${sqlString(victim)})) TO ${sqlString(replacement)} (FORMAT parquet)`));
  // A later modification time than the file it replaces, so no cache could take one for the other.
  const later = new Date(Date.now() + 60_000);
  utimesSync(replacement, later, later);
  return { victim, replacement };
}

beforeAll(async () => {
  const run = await lakebench(['run', '--local', '--scale', '0.01', '--output', out, '--json']);
  expect(run.code, run.stderr).toBe(0);
  await dropGoldColumn();
  await tamperSilver();
  const { victim, replacement } = await prepareSessionSwap();

  const cli = startLakebench(['benchmark', '--local', '--scale', '0.01', '--output', out, '--cache', 'cold', '--iterations', '2', '--json']);
  // Q1's first timed execution is reported on stderr before the run moves on to Q2: swap then.
  const deadline = Date.now() + 240_000;
  while (!swapped && Date.now() < deadline && cli.child.exitCode === null) {
    if (/^\s+Q1 #1: /m.test(cli.stderr())) {
      renameSync(replacement, victim);
      swapped = { file: victim, atMs: Date.now() };
    } else await new Promise((r) => setTimeout(r, 5));
  }
  bench = await cli.done;
  const { metrics } = JSON.parse(bench.stdout) as { metrics: string };
  m = metricsSchema.parse(JSON.parse(readFileSync(metrics, 'utf8')));
}, 600_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const q = (id: string) => m.benchmark!.queries.find((x) => x.id === id)!;

describe('lakebench benchmark on tampered tables', () => {
  it('swapped the silver file after Q1 #1 and before Q1 #2 was reported', () => {
    expect(swapped, bench.stderr).not.toBeNull();
    const lines = bench.stderr.split('\n');
    expect(lines.findIndex((l) => /^\s+Q1 #1: /.test(l))).toBeLessThan(lines.findIndex((l) => /^\s+Q1 #2: /.test(l)));
  });

  it('exits 1 with a FAILED verdict whose reasons name each failure by its own code', () => {
    expect(bench.code, bench.stderr).toBe(1);
    expect(m.verdict.status).toBe('FAILED');
    expect(m.verdict.reasons.map((r) => `${r.severity} ${r.code} ${r.message.split(' ')[0]}`)).toEqual([
      'FAILED FINGERPRINT_UNSTABLE Q1',
      'FAILED TOO_FEW_ROWS Q4',
      'FAILED ANSWER_CHECK_FAILED Q7',
      'FAILED QUERY_FAILED Q9',
    ]);
  });

  it('records each query\'s own error', () => {
    expect(m.benchmark!.queries.map((x) => [x.id, x.success, x.error?.code ?? null])).toEqual([
      ['Q1', false, 'FINGERPRINT_UNSTABLE'],
      ['Q2', true, null],
      ['Q4', false, 'TOO_FEW_ROWS'],
      ['Q3', true, null],
      ['Q7', false, 'ANSWER_CHECK_FAILED'],
      ['Q5', true, null],
      ['Q6', true, null],
      ['Q9', false, 'Binder Error'],
    ]);
    expect(q('Q1').fingerprint_stable).toBe(false);
    expect(q('Q1').error!.message).toMatch(/^iterations returned different answers: row 1: unique_sessions \d+ against \d+$/);
    expect(q('Q4')).toMatchObject({ rows: 0, error: { message: 'returned 0 rows, fewer than the declared minimum of 1' } });
    expect(q('Q7').error!.message).toMatch(/^Σ conversions = manifest purchases: expected (\d+), observed (\d+)$/);
    const [, expected, observed] = /expected (\d+), observed (\d+)/.exec(q('Q7').error!.message)!;
    expect(Number(observed)).toBe(Number(expected) - 1);
    expect(q('Q9').error!.message).toMatch(/high_churn_risk_count/);
  });

  it('power QpH = successful queries ÷ the time of all eight × 3600, each time the median of its two executions', () => {
    const b = m.benchmark!;
    for (const x of b.queries) {
      expect(x.samples_seconds).toHaveLength(2);
      expect(x.elapsed_seconds).toBe(median(x.samples_seconds));
    }
    const total = b.queries.reduce((s, x) => s + x.elapsed_seconds, 0);
    expect(b.total_seconds).toBeCloseTo(total, 12);
    expect(b.power_qph).toBeCloseTo((4 / total) * 3600, 9);
    expect(b.qph).toBe(b.power_qph);
  });

  it('QpH per class counts the failed queries\' time and not the queries', () => {
    const c = m.benchmark!.qph_by_class;
    const e = (id: string) => q(id).elapsed_seconds;
    expect(c.scan).toBe(0);
    expect(c.filter_prune).toBeCloseTo((1 / (e('Q2') + e('Q4'))) * 3600, 9);
    expect(c.aggregation).toBeCloseTo((1 / (e('Q3') + e('Q7'))) * 3600, 9);
    expect(c.analytics).toBeCloseTo((2 / (e('Q5') + e('Q6'))) * 3600, 9);
    expect(c.operational).toBe(0);
  });

  it('counts answer checks exactly: the checks against Q1\'s totals are skipped, not dropped', () => {
    const statuses = Object.fromEntries(m.benchmark!.queries.map((x) => [x.id, x.checks.map((c) => `${c.status} ${c.name}`)]));
    expect(statuses).toEqual({
      Q1: ['skipped answer'],
      // ≈ 4 support rows a day at scale 0.01, so "5 × days" is skipped, and says why.
      Q2: ['passed order', 'skipped rows = 5 × days present', 'passed Σ interactions = manifest rows of the 3 months'],
      Q4: ['skipped answer'],
      Q3: ['passed order', 'passed 12 rows', 'skipped Σ total_spend = Q1 total_revenue'],
      Q7: ['passed order', 'passed 5 rows', 'skipped Σ total_interactions = Q1 total_records', 'failed Σ conversions = manifest purchases', 'skipped Σ channel_revenue = Q1 total_revenue'],
      Q5: ['passed order', 'passed 90 rows', 'passed dates descending and consecutive'],
      Q6: ['passed order', 'skipped Σ customer_count = Q1 unique_customers', 'passed segment names'],
      Q9: ['skipped answer'],
    });
    expect(m.benchmark!.answer_checks).toEqual({ passed: 11, failed: 1, skipped: 8 });
  });

  it('reopened the DuckDB instance before every timed execution: 2 × 8 flushes, 16 distinct instances', () => {
    const runDir = path.join(out, 'runs', m.run_id);
    const executions = m.benchmark!.queries.flatMap((x) => {
      const stored = JSON.parse(readFileSync(path.join(runDir, 'benchmark', `${x.id}.json`), 'utf8')) as { executions: Array<{ iteration: number; flushed_before: boolean; instance: string | null; ok: boolean }> };
      return stored.executions;
    });
    expect(executions).toHaveLength(16);
    expect(executions.filter((e) => e.flushed_before)).toHaveLength(16);
    expect(new Set(executions.map((e) => e.instance)).size).toBe(16);
    expect(executions.every((e) => /^duckdb-instance-\d+$/.test(e.instance ?? ''))).toBe(true);
  });

  it('records that plain Parquet has no snapshots instead of leaving them null, and completes the run record', () => {
    expect(m.benchmark!.snapshots).toEqual({ status: 'not_applicable', detail: 'the embedded DuckDB engine reads plain Parquet files, which have no snapshots' });
    const record = JSON.parse(readFileSync(path.join(out, 'runs', m.run_id, 'run.json'), 'utf8')) as { state: string };
    expect(record.state).toBe('complete');
  });
});
