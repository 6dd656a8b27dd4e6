// The embedded benchmark end to end, through the real CLI: two runs of the same seed in two fresh
// output folders, then everything a user relies on — exit code, verdict, row conservation through
// the layers, manifest agreement, 8/8 queries with their expected rows, identical fingerprints, and
// a report that opens in a real browser with its charts drawn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { lakebench, type CliResult } from '../harness/cli.js';
import { launchChromium, openOffline, probeCharts } from '../harness/browser.js';
import { metricsSchema, type Metrics } from '../../runner/src/model/metrics.js';
import { manifestSchema, type Manifest } from '../../runner/src/datagen/manifest.js';
import { openDuckDb, closeDuckDb, queryNumbers } from '../../runner/src/engines/duckdb-session.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-e2e-'));
const outA = path.join(tmp, 'a');
const outB = path.join(tmp, 'b');
// Q2: one row per (day, type) in the first 91 days; generator 2.0.0's data at seed 42 has no row for 5 of the 455 pairs.
const EXPECTED_ROWS: Record<string, number> = { Q1: 1, Q2: 450, Q4: 6, Q3: 12, Q7: 5, Q5: 90, Q9: 30 };

let runA: CliResult;
let runB: CliResult;
let a: Metrics;
let b: Metrics;
let manifest: Manifest;

const readMetrics = (out: string, summary: CliResult): Metrics => {
  const { metrics } = JSON.parse(summary.stdout) as { metrics: string };
  expect(metrics.startsWith(out)).toBe(true);
  return metricsSchema.parse(JSON.parse(readFileSync(metrics, 'utf8')));
};

beforeAll(async () => {
  runA = await lakebench(['run', '--local', '--scale', '0.01', '--output', outA, '--json']);
  runB = await lakebench(['run', '--local', '--scale', '0.01', '--output', outB, '--json']);
  a = readMetrics(outA, runA);
  b = readMetrics(outB, runB);
  manifest = manifestSchema.parse(JSON.parse(readFileSync(path.join(outA, 'warehouse', 'bronze', '_manifest', 'manifest.json'), 'utf8')));
}, 600_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('embedded run through the CLI', () => {
  it('exits 0 with a PASSED verdict and reports progress on stderr', () => {
    expect(runA.code, runA.stderr).toBe(0);
    expect(a.verdict.status).toBe('PASSED');
    expect(runA.stderr).toMatch(/datagen: \d+\/\d+ files/);
    expect(runA.stderr).toMatch(/silver-build: done in/);
  });

  it('writes a versioned metrics document with every stage', () => {
    expect(a.schema_version).toBe('1.0');
    expect(a.run_id).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(a.stages.map((s) => s.name)).toEqual(['datagen', 'bronze-verify', 'silver-build', 'gold-finalize', 'maintenance', 'benchmark']);
    for (const s of a.stages.filter((x) => x.type === 'batch')) {
      expect(s.status).toBe('succeeded');
      expect(s.metrics_source).toBe('stage-report');
      expect(s.elapsed_seconds).toBeGreaterThan(0);
      expect(s.input_rows).toBeGreaterThan(0);
      expect(s.input_bytes).toBeGreaterThan(0);
    }
    const bv = a.stages.find((s) => s.name === 'bronze-verify')!;
    expect(bv.validation?.filter((c) => c.status !== 'PASS')).toEqual([]);
    expect(bv.input_bytes).toBe(manifest.totals.total_bytes);
  });

  it('conserves rows bronze → silver (minus duplicate_suspected) → gold (one row per day)', async () => {
    const dup = manifest.aggregates.rows_by_data_quality_flag.duplicate_suspected ?? 0;
    const silver = a.stages.find((s) => s.name === 'silver-build')!;
    const gold = a.stages.find((s) => s.name === 'gold-finalize')!;
    expect(silver.input_rows).toBe(manifest.totals.total_rows);
    expect(silver.output_rows).toBe(manifest.totals.total_rows - dup);
    expect(gold.input_rows).toBe(silver.output_rows);
    expect(gold.output_rows).toBe(730);
    expect(gold.self_checks?.every((c) => c.passed)).toBe(true);
    // Read the tables as any other tool would: plain Parquet in the warehouse folder.
    const s = await openDuckDb();
    try {
      const wh = path.join(outA, 'warehouse');
      const counted = await queryNumbers(s.connection, `SELECT count(*) AS n FROM read_parquet('${wh}/silver/customer_interactions_enriched/**/*.parquet', hive_partitioning = true)`);
      expect(counted.n).toBe(manifest.totals.total_rows - dup);
      const days = readdirSync(path.join(wh, 'silver', 'customer_interactions_enriched')).filter((d) => d.startsWith('interaction_date='));
      expect(days).toHaveLength(730);
      const g = await queryNumbers(s.connection, `SELECT count(*) AS n, sum(conversions) AS conv FROM read_parquet('${wh}/gold/customer_executive_dashboard/*.parquet')`);
      expect(g.n).toBe(730);
      const purchases = Object.entries(manifest.aggregates.rows_by_flag_and_type).filter(([k]) => k.endsWith('|purchase') && !k.startsWith('duplicate_suspected')).reduce((x, [, v]) => x + v, 0);
      expect(g.conv).toBe(purchases);
    } finally {
      closeDuckDb(s);
    }
  });

  it('agrees with the manifest it generated', () => {
    expect(a.data_fingerprint).toBe(manifest.data_fingerprint);
    expect(a.datagen?.rows).toBe(25_565);
    expect(a.scorecard.scale_ratio).toBeGreaterThan(0.95);
    expect(a.scorecard.total_data_processed_gb).toBeCloseTo(manifest.totals.total_bytes / 2 ** 30, 6);
  });

  it('runs 8/8 queries with their expected row counts and passing answer checks', () => {
    const qs = a.benchmark!.queries;
    expect(qs.map((q) => q.id)).toEqual(['Q1', 'Q2', 'Q4', 'Q3', 'Q7', 'Q5', 'Q6', 'Q9']);
    for (const q of qs) {
      expect(q.success, `${q.id}: ${q.error?.message}`).toBe(true);
      if (EXPECTED_ROWS[q.id] !== undefined) expect(q.rows, q.id).toBe(EXPECTED_ROWS[q.id]);
      expect(q.fingerprint).toMatch(/^sha256:/);
      expect(q.checks.filter((c) => c.status === 'failed')).toEqual([]);
    }
    const q6 = qs.find((q) => q.id === 'Q6')!;
    expect(q6.rows).toBeGreaterThan(0);
    expect(q6.rows).toBeLessThanOrEqual(6);
    expect(a.benchmark!.answer_checks.failed).toBe(0);
    expect(a.benchmark!.answer_checks.passed).toBeGreaterThan(20);
    expect(a.benchmark!.qph).toBeGreaterThan(0);
  });

  it('gives identical data and result fingerprints for two runs of the same seed', () => {
    expect(runB.code, runB.stderr).toBe(0);
    expect(b.data_fingerprint).toBe(a.data_fingerprint);
    expect(b.benchmark!.queries.map((q) => q.fingerprint)).toEqual(a.benchmark!.queries.map((q) => q.fingerprint));
    expect(b.run_id).not.toBe(a.run_id);
  });

  it('runs a cold benchmark with iterations on the existing tables, flushing before every execution', async () => {
    const cold = await lakebench(['benchmark', '--local', '--scale', '0.01', '--output', outA, '--iterations', '2', '--cache', 'cold', '--json']);
    expect(cold.code, cold.stderr).toBe(0);
    const m = readMetrics(outA, cold);
    const bench = m.benchmark!;
    expect(bench.cache).toMatchObject({ mode: 'cold', warmup: false });
    expect(bench.cache.flushed.length).toBeGreaterThan(0);
    expect(bench.cache.not_flushed).toContain('OS page cache');
    expect(m.stages.map((s) => s.name)).toEqual(['maintenance', 'benchmark']);
    for (const q of bench.queries) {
      expect(q.samples_seconds).toHaveLength(2);
      expect(q.fingerprint_stable).toBe(true);
      expect(q.elapsed_seconds).toBeCloseTo((q.samples_seconds[0]! + q.samples_seconds[1]!) / 2, 9);
    }
    expect(bench.queries.map((q) => q.fingerprint)).toEqual(a.benchmark!.queries.map((q) => q.fingerprint));
    // Reopened before every timed execution: each stored execution was preceded by a flush and ran on
    // a DuckDB instance of its own, 2 iterations × 8 queries of them.
    const runDir = path.dirname((JSON.parse(cold.stdout) as { metrics: string }).metrics);
    const executions = bench.queries.flatMap((q) => (JSON.parse(readFileSync(path.join(runDir, 'benchmark', `${q.id}.json`), 'utf8')) as { executions: Array<{ iteration: number; flushed_before: boolean; instance: string | null }> }).executions);
    expect(executions.map((e) => e.iteration)).toEqual(bench.queries.flatMap(() => [1, 2]));
    expect(executions.filter((e) => e.flushed_before)).toHaveLength(2 * 8);
    expect(new Set(executions.map((e) => e.instance)).size).toBe(2 * 8);
    expect(executions.every((e) => /^duckdb-instance-\d+$/.test(e.instance ?? ''))).toBe(true);
  });

  it('lists the run in `lakebench results` and re-renders the report from metrics.json', async () => {
    const listed = await lakebench(['results', '--output', outA, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).map((e: { run_id: string }) => e.run_id)[0]).toBe(a.run_id);
    const rendered = await lakebench(['report', a.run_id, '--output', outA]);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(rendered.stdout.trim()).toBe(path.join(outA, 'runs', a.run_id, 'report.html'));
  });

  describe('the report in headless Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => browser?.close());

    it.each([375, 1440])('opens at %i px with no console errors and every chart drawn', async (width) => {
      const file = path.join(outA, 'runs', a.run_id, 'report.html');
      const { page, seen } = await openOffline(browser, file, width);
      const charts = await page.evaluate(probeCharts);
      expect(charts.map((c) => c.id)).toEqual(expect.arrayContaining(['chart-bottleneck', 'chart-timeline', 'chart-queries']));
      for (const c of charts) {
        expect(c.points.length, c.id).toBeGreaterThan(0);
        expect(c.coloured, `${c.id} has drawn data`).toBeGreaterThan(100);
      }
      const latency = charts.find((c) => c.id === 'chart-queries')!;
      expect(latency.points).toContain(8);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(seen.errors).toEqual([]);
      expect(seen.requests).toEqual([]);
      await page.context().close();
    });
  });
});
