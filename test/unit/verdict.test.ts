// The verdict of docs/results.md §3.5, made to decide each FAILED and WARNING reason from a real cause.
import { describe, expect, it } from 'vitest';
import { verdict, type VerdictInput } from '../../runner/src/model/verdict.js';
import { assembleMetrics } from '../../runner/src/model/assemble-metrics.js';
import { validateConfig } from '../../runner/src/config/load.js';
import type { BenchmarkBlock, QueryResult } from '../../runner/src/model/metrics.js';
import type { BenchmarkSnapshots } from '../../runner/src/model/benchmark-snapshots.js';
import { makeMetrics } from '../fixtures/metrics.js';

const DIGEST = `@sha256:${'ab'.repeat(32)}`;
const clean = makeMetrics({});
const base: VerdictInput = { stages: clean.stages, benchmark: clean.benchmark, benchmarkExpected: true, scaleRatio: 1.03, incompleteReason: null, versions: {}, executorOverrides: {} };
const codes = (input: Partial<VerdictInput>) => verdict({ ...base, ...input }).reasons.map((r) => `${r.severity} ${r.code}`);

/** The clean benchmark block with one query's result replaced. */
function withQuery(id: string, change: Partial<QueryResult>): BenchmarkBlock {
  const b = structuredClone(clean.benchmark!);
  b.queries = b.queries.map((q) => (q.id === id ? { ...q, ...change } : q));
  return b;
}
const withSnapshots = (snapshots: BenchmarkSnapshots | null): BenchmarkBlock => ({ ...structuredClone(clean.benchmark!), snapshots });
const icebergTable = (layer: 'silver' | 'gold', before: string | null, after: string | null, error: string | null = null) => ({
  layer, table: `lakehouse.${layer}.t`, format: 'iceberg' as const, before, after, error,
});

describe('verdict', () => {
  it('passes a clean run: the fixture itself is judged PASSED by the runner', () => {
    expect(clean.verdict).toEqual({ status: 'PASSED', reasons: [] });
    expect(verdict(base)).toEqual({ status: 'PASSED', reasons: [] });
  });

  it('warns when silver wrote more files than max(2 × expected, expected + 1000), reading expected_files through its schema', () => {
    const silver = (files_written: number, expected_files: unknown) => clean.stages.map((s) => (s.name === 'silver-build' ? { ...s, files_written, extras: { expected_files } } : s));
    expect(codes({ stages: silver(1730, 730) })).toEqual([]);
    expect(codes({ stages: silver(1731, 730) })).toEqual(['WARNING SILVER_FILES_ABOVE_BOUND']);
    expect(codes({ stages: silver(4000, 2000) })).toEqual([]);
    expect(codes({ stages: silver(4001, 2000) })).toEqual(['WARNING SILVER_FILES_ABOVE_BOUND']);
    // Only a file count is a bound: text or a fraction is not guessed at.
    expect(codes({ stages: silver(99_999, '730') })).toEqual([]);
    expect(codes({ stages: silver(99_999, 730.5) })).toEqual([]);
  });

  it('warns on a warn-mode quality breach', () => {
    const warned = makeMetrics({ qualityWarning: true });
    const v = verdict({ ...base, stages: warned.stages });
    expect(v.status).toBe('WARNING');
    expect(v.reasons.map((r) => r.code)).toEqual(['QUALITY_WARN']);
  });

  it('fails on a failed query, and names it', () => {
    const failed = makeMetrics({ failedQueries: ['Q6'] });
    const v = verdict({ ...base, benchmark: failed.benchmark });
    expect(v.status).toBe('FAILED');
    expect(v.reasons).toEqual([expect.objectContaining({ code: 'QUERY_FAILED', severity: 'FAILED', source: 'benchmark' })]);
    expect(v.reasons[0]!.message).toMatch(/^Q6 Q6_customer_rfm: Binder Error/);
  });

  it.each([
    ['TOO_FEW_ROWS', 'TOO_FEW_ROWS'],
    ['FINGERPRINT_UNSTABLE', 'FINGERPRINT_UNSTABLE'],
    ['ANSWER_CHECK_FAILED', 'ANSWER_CHECK_FAILED'],
    ['TIMEOUT', 'QUERY_TIMEOUT'],
    ['Binder Error', 'QUERY_FAILED'],
    ['TABLE_NOT_FOUND', 'QUERY_FAILED'],
  ])('gives a query failing with %s the reason %s', (error, reason) => {
    expect(codes({ benchmark: withQuery('Q3', { success: false, error: { code: error, message: 'x' } }) })).toEqual([`FAILED ${reason}`]);
  });

  it('warns, and does not fail, when a query\'s executions differ only by rounding', () => {
    const b = withQuery('Q5', { fingerprint_stable: false, checks: [{ name: 'executions agree within rounding', status: 'passed', expected: 'identical answers', observed: 'rounding difference', detail: 'revenue 10.01 against 10.02' }] });
    const v = verdict({ ...base, benchmark: b });
    expect(v.status).toBe('WARNING');
    expect(v.reasons).toEqual([expect.objectContaining({ code: 'ROUNDING_DIFFERENCE', message: expect.stringContaining('revenue 10.01 against 10.02') })]);
  });

  it('fails a low scale ratio and only warns on a high one', () => {
    expect(codes({ scaleRatio: 0.9 })).toEqual(['FAILED SCALE_RATIO_LOW']);
    expect(codes({ scaleRatio: 1.2 })).toEqual(['WARNING SCALE_RATIO_HIGH']);
  });

  it('fails an incomplete run and a missing benchmark', () => {
    expect(codes({ incompleteReason: 'interrupted by SIGTERM' })).toEqual(['FAILED RUN_INCOMPLETE']);
    expect(codes({ benchmark: null })).toEqual(['FAILED BENCHMARK_MISSING']);
  });

  it('is what every fixture document carries: test fixtures cannot hold a reason the runner does not give', () => {
    for (const opts of [{}, { qualityWarning: true }, { scaleRatio: 0.91 }, { scaleRatio: 1.2 }, { failedQueries: ['Q4', 'Q9'] }, { status: 'WARNING' as const }, { status: 'FAILED' as const }, { benchmark: false }]) {
      const doc = makeMetrics(opts);
      const again = verdict({ stages: doc.stages, benchmark: doc.benchmark, benchmarkExpected: opts.benchmark ?? true, scaleRatio: doc.scorecard.scale_ratio, incompleteReason: null, versions: doc.versions, executorOverrides: {} });
      expect(doc.verdict, JSON.stringify(opts)).toEqual(again);
    }
    expect(() => makeMetrics({ status: 'WARNING', scaleRatio: 0.5 })).toThrow(/fixture asked for WARNING but the runner's verdict is FAILED: SCALE_RATIO_LOW, QUALITY_WARN/);
  });

  it('lists FAILED reasons before WARNING reasons', () => {
    expect(codes({ scaleRatio: 0.9, versions: { spark_image: 'apache/spark:4.0.1' }, incompleteReason: 'stopped' })).toEqual(['FAILED RUN_INCOMPLETE', 'FAILED SCALE_RATIO_LOW', 'WARNING IMAGE_WITHOUT_DIGEST']);
  });
});

describe('verdict: table snapshots during the benchmark', () => {
  it('warns when a table\'s snapshot changed between before and after, naming the table and both ids', () => {
    const v = verdict({ ...base, benchmark: withSnapshots({ status: 'recorded', detail: 'd', tables: [icebergTable('silver', '1', '1'), icebergTable('gold', '7', '8')] }) });
    expect(v.status).toBe('WARNING');
    expect(v.reasons).toEqual([{ code: 'SNAPSHOTS_CHANGED', severity: 'WARNING', source: 'benchmark', message: 'lakehouse.gold.t changed during the benchmark: snapshot 7 before, 8 after' }]);
  });

  it('passes unchanged snapshots, and plain Parquet where snapshots do not apply', () => {
    expect(codes({ benchmark: withSnapshots({ status: 'recorded', detail: 'd', tables: [icebergTable('silver', '1', '1'), icebergTable('gold', '2', '2')] }) })).toEqual([]);
    expect(codes({ benchmark: withSnapshots({ status: 'not_applicable', detail: 'plain Parquet' }) })).toEqual([]);
  });

  it('warns "not observed" when a snapshot could not be read, when none were recorded, or the record is unreadable', () => {
    expect(codes({ benchmark: withSnapshots({ status: 'recorded', detail: 'd', tables: [icebergTable('silver', null, null, 'before: TABLE_NOT_FOUND: x'), icebergTable('gold', '2', '2')] }) })).toEqual(['WARNING SNAPSHOTS_NOT_OBSERVED']);
    expect(codes({ benchmark: withSnapshots({ status: 'recorded', detail: 'd', tables: [] }) })).toEqual(['WARNING SNAPSHOTS_NOT_OBSERVED']);
    expect(codes({ benchmark: withSnapshots(null) })).toEqual(['WARNING SNAPSHOTS_NOT_OBSERVED']);
    expect(codes({ benchmark: { ...withSnapshots(null), snapshots: { status: 'recorded' } } })).toEqual(['WARNING SNAPSHOTS_NOT_OBSERVED']);
  });
});

describe('verdict: images and executor overrides', () => {
  it('warns on every image recorded without a digest, and only on images', () => {
    const v = verdict({ ...base, versions: { spark_image: 'apache/spark:4.0.1-python3', runner_image: `ghcr.io/lakebench/runner:1${DIGEST}`, kubernetes: 'v1.33.1', duckdb: 'v1.5.6' } });
    expect(v.reasons).toEqual([{ code: 'IMAGE_WITHOUT_DIGEST', severity: 'WARNING', source: 'versions', message: 'spark_image apache/spark:4.0.1-python3 has no digest: its content can change between runs' }]);
    expect(codes({ versions: { spark_image: `apache/spark@sha256:${'ab'.repeat(31)}` } })).toEqual(['WARNING IMAGE_WITHOUT_DIGEST']);
    expect(codes({ versions: { spark_image: null } })).toEqual([]);
  });

  it('warns on an executor override above the ceiling of 28, not at 28', () => {
    expect(codes({ executorOverrides: { 'silver-build': 28, 'bronze-verify': 4 } })).toEqual([]);
    const v = verdict({ ...base, executorOverrides: { 'silver-build': 29 } });
    expect(v.reasons).toEqual([expect.objectContaining({ code: 'EXECUTOR_OVERRIDE_ABOVE_CEILING', source: 'silver-build', message: expect.stringMatching(/^silver-build runs 29 executors, above the ceiling of 28/) })]);
  });

  it('assembleMetrics passes the versions and, on the kubernetes platform, the executor overrides of the config', () => {
    const config = validateConfig({ platform: 'kubernetes', cluster: { spark: { executors: { 'gold-finalize': 32 }, allowOverCeiling: true } } }, 'test');
    const facts = {
      runId: '20260115-100000-3fa9c2', config, start: new Date(0), end: new Date(1000), manifest: null, datagenSeconds: null,
      stages: clean.stages, benchmark: clean.benchmark, benchmarkExpected: true, sizing: {}, incompleteReason: null,
    };
    const k8s = assembleMetrics({ ...facts, platform: 'kubernetes', versions: { spark_image: `apache/spark:4.0.1${DIGEST}`, runner_image: 'ghcr.io/lakebench/runner:0.1.0' } });
    expect(k8s.verdict.reasons.map((r) => r.code)).toEqual(['IMAGE_WITHOUT_DIGEST', 'EXECUTOR_OVERRIDE_ABOVE_CEILING']);
    // The embedded platform runs no Spark executors: a cluster section's overrides do not apply.
    const embedded = assembleMetrics({ ...facts, platform: 'embedded', versions: {} });
    expect(embedded.verdict.reasons.map((r) => r.code)).toEqual([]);
  });
});
