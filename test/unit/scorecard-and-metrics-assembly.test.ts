// The scorecard (runner/src/model/scorecard.ts) and the assembly of metrics.json
// (runner/src/model/assemble-metrics.ts): time to value, core-hours, the scale ratio the validity
// gate reads, the recipe's defaults and the fingerprints that decide what may be compared. Stage
// entries come from the runner's observedEntry, the benchmark block and manifest from the metrics
// fixture (itself built by the runner's own code).
import { describe, expect, it } from 'vitest';
import { scorecard } from '../../runner/src/model/scorecard.js';
import { assembleMetrics, type RunFacts } from '../../runner/src/model/assemble-metrics.js';
import { observedEntry } from '../../runner/src/model/stage-entry.js';
import { metricsSchema, type StageEntry } from '../../runner/src/model/metrics.js';
import { validateConfig } from '../../runner/src/config/load.js';
import { makeMetrics } from '../fixtures/metrics.js';

const GiB = 2 ** 30;
const t = (s: number) => new Date(Date.parse('2026-01-15T10:00:00.000Z') + s * 1000);
const res = { executors: 2, cores: 4, memoryGb: 8, driverCores: 1, driverMemoryGb: 2 };
const stage = (name: StageEntry['name'], from: number, to: number, status: StageEntry['status'] = 'succeeded') => observedEntry(name, name === 'benchmark' ? 'duckdb' : 'spark', t(from), t(to), status, res);

// datagen 0–100 s, bronze-verify 100–110, silver-build 110–170, gold-finalize 170–180, benchmark 180–240.
const STAGES = [stage('datagen', 0, 100), stage('bronze-verify', 100, 110), stage('silver-build', 110, 170), stage('gold-finalize', 170, 180), stage('benchmark', 180, 240)];
const bench = makeMetrics({ seed: 7 }).benchmark!;

describe('scorecard', () => {
  it('times value from bronze-verify start to gold-finalize end, leaving datagen and the benchmark out', () => {
    const card = scorecard(STAGES, bench, 10 * GiB, 1);
    expect(card.time_to_value_seconds).toBe(80);
    expect(card.total_elapsed_seconds).toBe(240);
    expect(card.pipeline_throughput_gb_per_second).toBe(10 / 80);
  });

  it('counts core-hours over the batch stages only', () => {
    const card = scorecard(STAGES, bench, 10 * GiB, 1);
    expect(card.total_core_hours).toBeCloseTo((2 * 4 * (10 + 60 + 10)) / 3600, 12);
    expect(card.compute_efficiency_gb_per_core_hour).toBeCloseTo(10 / card.total_core_hours!, 12);
  });

  it('has no time to value when a batch stage did not succeed', () => {
    const failed = STAGES.map((s) => (s.name === 'gold-finalize' ? { ...s, status: 'failed' as const } : s));
    const card = scorecard(failed, bench, 10 * GiB, 1);
    expect(card.time_to_value_seconds).toBeNull();
    expect(card.pipeline_throughput_gb_per_second).toBeNull();
  });

  it('takes the scale ratio as bronze bytes ÷ (scale × 10 GiB), and none without a manifest', () => {
    expect(scorecard(STAGES, bench, 9.5 * GiB, 1).scale_ratio).toBeCloseTo(0.95, 12);
    expect(scorecard(STAGES, bench, 23 * GiB, 2).scale_ratio).toBeCloseTo(1.15, 12);
    expect(scorecard(STAGES, bench, null, 1).scale_ratio).toBeNull();
  });

  it("headlines the benchmark mode's QpH, and nothing without a benchmark", () => {
    const card = scorecard(STAGES, bench, GiB, 0.1);
    expect([card.headline_qph, card.headline_qph_kind]).toEqual([bench.qph, bench.mode]);
    const none = scorecard(STAGES, null, GiB, 0.1);
    expect([none.headline_qph, none.headline_qph_kind, none.composite_qph]).toEqual([null, null, null]);
  });
});

describe('metrics.json assembly', () => {
  const reference = makeMetrics({ seed: 7 });
  const facts = (over: Partial<RunFacts> = {}): RunFacts => ({
    runId: '20260115-100000-3fa9c2',
    config: validateConfig({ scale: 1, benchmark: { iterations: 3 } }, 'test'),
    platform: 'embedded',
    start: t(0),
    end: t(240),
    manifest: {
      generator: { version: '1.0.0' },
      dataset: { seed: 42, scale: 1, window_start: '2024-01-01', window_end: '2025-12-31' },
      totals: { file_count: 640, total_rows: 2_556_000, total_bytes: 10 * GiB },
      data_fingerprint: reference.data_fingerprint!,
    },
    datagenSeconds: 100,
    stages: STAGES,
    benchmark: bench,
    benchmarkExpected: true,
    versions: { runner: '0.1.0' },
    sizing: { executors: 1 },
    incompleteReason: null,
    ...over,
  });

  it('produces a document of the metrics schema with the manifest, scorecard and verdict of the facts', () => {
    const doc = metricsSchema.parse(assembleMetrics(facts()));
    expect(doc.datagen).toMatchObject({ files: 640, bytes: 10 * GiB, elapsed_seconds: 100, generator_version: '1.0.0' });
    expect(doc.bucket_sizes.bronze_gb).toBe(10);
    expect(doc.scorecard.scale_ratio).toBe(1);
    expect(doc.total_elapsed_seconds).toBe(240);
    expect(doc.versions.datagen_generator).toBe('1.0.0');
  });

  it('fails the run when the manifest holds too little data for the scale', () => {
    const doc = assembleMetrics(facts({ manifest: { ...facts().manifest!, totals: { file_count: 640, total_rows: 1, total_bytes: 9 * GiB } } }));
    expect(doc.verdict.status).toBe('FAILED');
    expect(doc.verdict.reasons.map((r) => r.code)).toContain('SCALE_RATIO_LOW');
  });

  it('fills the recipe from the platform: Parquet and DuckDB embedded, the cluster defaults (Hive, Iceberg) when the config names none', () => {
    expect(assembleMetrics(facts()).recipe).toEqual({ catalog: 'none (Parquet files)', table_format: 'parquet', pipeline_engine: 'duckdb', query_engine: bench.engine.type });
    const k8s = assembleMetrics(facts({ platform: 'kubernetes', benchmark: null, benchmarkExpected: false }));
    expect(k8s.recipe).toEqual({ catalog: 'hive', table_format: 'iceberg', pipeline_engine: 'spark', query_engine: 'trino' });
  });

  it('fingerprints the measurement from the benchmark settings only, and leaves it null without a benchmark', () => {
    const a = assembleMetrics(facts());
    expect(a.measurement_fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(assembleMetrics(facts({ stages: STAGES.slice(0, 3), end: t(999) })).measurement_fingerprint).toBe(a.measurement_fingerprint);
    expect(assembleMetrics(facts({ config: validateConfig({ scale: 1, benchmark: { iterations: 5 } }, 'test') })).measurement_fingerprint).not.toBe(a.measurement_fingerprint);
    expect(assembleMetrics(facts({ benchmark: null })).measurement_fingerprint).toBeNull();
  });

  it('fingerprints the sizing with the platform, so embedded and cluster runs never compare as like', () => {
    expect(assembleMetrics(facts()).sizing_fingerprint).not.toBe(assembleMetrics(facts({ platform: 'kubernetes' })).sizing_fingerprint);
    expect(assembleMetrics(facts({ sizing: { executors: 1 } })).sizing_fingerprint).toBe(assembleMetrics(facts()).sizing_fingerprint);
  });

  it('marks an interrupted run FAILED with RUN_INCOMPLETE', () => {
    const doc = assembleMetrics(facts({ incompleteReason: 'SIGTERM' }));
    expect(doc.verdict.status).toBe('FAILED');
    expect(doc.verdict.reasons[0]!.code).toBe('RUN_INCOMPLETE');
  });
});
