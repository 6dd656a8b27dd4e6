// bronze-verify's gates (model/bronze-checks.ts) made to decide: one breach per check, in fail
// and in warn mode, a tightened threshold, and every observation that was not made (null, NaN, no
// row count, no event-time range) failing as "not observed" instead of passing as zero. The Spark
// judge goes through the same function with the job's nullable counts.
import { describe, expect, it } from 'vitest';
import { evaluateBronze, observedCount, type BronzeObservations } from '../../runner/src/model/bronze-checks.js';
import { cleanBronzeObservations } from '../fixtures/bronze-observations.js';
import { judgeSparkBronze, SPARK_BRONZE_TYPES, type SparkBronzeObservations } from '../../runner/src/spark-jobs/bronze-judge.js';
import { validateConfig } from '../../runner/src/config/load.js';
import { QUALITY_CHECKS, type QualityCheckName } from '../../runner/src/config/schema.js';
import { BRONZE_COLUMNS } from '../../runner/src/datagen/columns.js';
import { datasetParams } from '../../runner/src/datagen/dataset.js';
import { buildManifest } from '../../runner/src/datagen/manifest.js';
import { emptyAggregates } from '../../runner/src/datagen/aggregates.js';
import { stageReport } from '../../runner/src/model/stage-report.js';
import type { ValidationCheck } from '../../runner/src/model/metrics.js';

const thresholds = (overrides: Record<string, unknown> = {}) => validateConfig({ quality: { thresholds: overrides } }, 'test').quality.thresholds;

// Clean observations of real generated bronze (test/fixtures/bronze-observations.ts); each test
// breaches one field. Rates below are proportions of its row count, so they hold at any file size.
const clean = await cleanBronzeObservations();
const ROWS = clean.rows ?? 0;
const share = (rate: number) => Math.round(ROWS * rate);

const statuses = (checks: ValidationCheck[]) => Object.fromEntries(checks.map((c) => [c.name, c.status]));
const byName = (checks: ValidationCheck[], name: QualityCheckName) => checks.find((c) => c.name === name)!;

/** One breach per check, each leaving every other check passing. */
const BREACHES: Record<QualityCheckName, Partial<BronzeObservations>> = {
  file_set: { fileSetMismatches: ['part-000003.parquet: 100 bytes, manifest says 200'] },
  schema: { schemaMismatches: ['missing column interaction_payload'] },
  row_count: { rows: ROWS - 1 },
  not_null: { notNullViolations: 1 },
  structural_nulls: { structuralViolations: 3 },
  domains: { domainViolations: 2 },
  payload: { payloadViolations: 1 },
  email_malformed_rate: { emailMalformed: share(0.12) },
  phone_unnormalizable_rate: { phoneUnnormalizable: share(0.08) },
  duplicate_suspected_rate: { duplicateSuspected: share(0.06) },
  dirt_present: { emailMalformed: share(0.01) },
};

describe('bronze gates: every check can fail and warn', () => {
  it('passes the clean observations on every check', () => {
    const checks = evaluateBronze(clean, thresholds());
    expect(checks.map((c) => c.name)).toEqual([...QUALITY_CHECKS]);
    expect(checks.filter((c) => c.status !== 'PASS')).toEqual([]);
  });

  for (const name of QUALITY_CHECKS) {
    for (const mode of ['fail', 'warn'] as const) {
      it(`${name}: a breach is ${mode === 'fail' ? 'FAIL' : 'WARN'} in ${mode} mode, every other check passes`, () => {
        const checks = evaluateBronze({ ...clean, ...BREACHES[name] }, thresholds({ [name]: { mode } }));
        const expected = Object.fromEntries(QUALITY_CHECKS.map((n) => [n, n === name ? (mode === 'fail' ? 'FAIL' : 'WARN') : 'PASS']));
        expect(statuses(checks)).toEqual(expected);
        expect(byName(checks, name).mode).toBe(mode);
        expect(byName(checks, name).observed).not.toBeNull();
      });
    }
  }

  it('names the event times that leave the window as a domains breach', () => {
    const checks = evaluateBronze({ ...clean, eventTsMax: '2025-12-31T00:00:00.000000Z' }, thresholds());
    expect(byName(checks, 'domains')).toMatchObject({ status: 'FAIL', observed: 1 });
    expect(byName(checks, 'domains').detail).toContain(`event_timestamp range ${clean.eventTsMin} … 2025-12-31T00:00:00.000000Z leaves the window`);
  });

  it('fails a rate the default accepts once the configured max is tightened', () => {
    expect(byName(evaluateBronze(clean, thresholds()), 'duplicate_suspected_rate').status).toBe('PASS');
    const tight = byName(evaluateBronze(clean, thresholds({ duplicate_suspected_rate: { max: 0.001 } })), 'duplicate_suspected_rate');
    expect(tight).toMatchObject({ status: 'FAIL', observed: (clean.duplicateSuspected ?? Number.NaN) / ROWS, threshold: 0.001, mode: 'fail' });
  });
});

describe('bronze gates: an observation nobody made fails as "not observed"', () => {
  const counted: [keyof BronzeObservations, QualityCheckName][] = [
    ['notNullViolations', 'not_null'],
    ['structuralViolations', 'structural_nulls'],
    ['domainViolations', 'domains'],
    ['payloadViolations', 'payload'],
    ['emailMalformed', 'email_malformed_rate'],
    ['phoneUnnormalizable', 'phone_unnormalizable_rate'],
    ['duplicateSuspected', 'duplicate_suspected_rate'],
  ];
  for (const [field, name] of counted) {
    for (const missing of [null, Number.NaN]) {
      it(`${field} = ${missing}: ${name} fails as not observed, even in warn mode`, () => {
        const checks = evaluateBronze({ ...clean, [field]: missing }, thresholds({ [name]: { mode: 'warn' } }));
        expect(byName(checks, name)).toMatchObject({ status: 'FAIL', observed: null, mode: 'warn' });
        expect(byName(checks, name).detail).toMatch(/^not observed: /);
      });
    }
  }

  it('no row count: row_count and every rate fail as not observed', () => {
    const checks = evaluateBronze({ ...clean, rows: null }, thresholds());
    const notObserved = checks.filter((c) => c.status === 'FAIL' && c.observed === null).map((c) => c.name);
    expect(notObserved).toEqual(['row_count', 'email_malformed_rate', 'phone_unnormalizable_rate', 'duplicate_suspected_rate', 'dirt_present']);
    expect(byName(checks, 'row_count').detail).toBe(`not observed: no row count (manifest says ${clean.expectedRows})`);
  });

  it('zero rows read: the rates have nothing to divide by and fail as not observed', () => {
    const checks = evaluateBronze({ ...clean, rows: 0, emailMalformed: 0, phoneUnnormalizable: 0, duplicateSuspected: 0 }, thresholds());
    expect(byName(checks, 'row_count')).toMatchObject({ status: 'FAIL', observed: clean.expectedRows });
    for (const name of ['email_malformed_rate', 'phone_unnormalizable_rate', 'duplicate_suspected_rate', 'dirt_present'] as const) {
      expect(byName(checks, name)).toMatchObject({ status: 'FAIL', observed: null });
    }
  });

  for (const [field, value] of [['eventTsMin', null], ['eventTsMax', null], ['eventTsMax', 'not a time']] as const) {
    it(`${field} = ${value}: the window is not observed and domains fails`, () => {
      const checks = evaluateBronze({ ...clean, [field]: value }, thresholds());
      expect(byName(checks, 'domains')).toMatchObject({ status: 'FAIL', observed: null });
      expect(byName(checks, 'domains').detail).toBe('not observed: the event_timestamp range (no min or max read)');
    });
  }

  it('observedCount keeps finite non-negative numbers only', () => {
    expect([0, 7, 0.5].map(observedCount)).toEqual([0, 7, 0.5]);
    expect([undefined, null, Number.NaN, Number.POSITIVE_INFINITY, -1, '3'].map(observedCount)).toEqual([null, null, null, null, null, null]);
  });
});

describe('the Spark judge: null counts from the job are not observed, never zero', () => {
  const params = datasetParams({ seed: 42, scale: 0.01, windowStart: '2024-01-01', windowEnd: '2025-12-31', dirtyRatio: 0.08, fileSizeMb: 16, customerLaw: { s: 1, q: 10 } });
  const aggregates = emptyAggregates();
  const manifest = buildManifest(
    params,
    [{ index: 0, key: 'part-000000.parquet', stream_key: 'k', rows: ROWS, bytes: 100, first_id: 0, last_id: ROWS - 1, content_hash: 'sha256:0', event_ts_min: clean.eventTsMin!, event_ts_max: clean.eventTsMax!, aggregates }],
    new Date(0),
  );
  const observations = (counts: Partial<SparkBronzeObservations['counts']>): SparkBronzeObservations => ({
    objects: 1,
    unexpected: [],
    unexpected_count: 0,
    size_mismatch: [],
    size_mismatch_count: 0,
    missing: [],
    missing_count: 0,
    schema: BRONZE_COLUMNS.map((c) => ({ name: c.name, type: SPARK_BRONZE_TYPES[c.type] })),
    counts: {
      rows: ROWS,
      not_null_violations: clean.notNullViolations,
      structural_violations: clean.structuralViolations,
      domain_violations: clean.domainViolations,
      payload_violations: clean.payloadViolations,
      email_malformed: clean.emailMalformed,
      phone_unnormalizable: clean.phoneUnnormalizable,
      duplicate_suspected: clean.duplicateSuspected,
      event_ts_min: clean.eventTsMin,
      event_ts_max: clean.eventTsMax,
      ...counts,
    },
  });
  const judge = (counts: Partial<SparkBronzeObservations['counts']>) =>
    judgeSparkBronze(stageReport('bronze-verify', 'r', 'spark', new Date(0), { extras: { observations: observations(counts) } }), manifest, thresholds());

  it('passes every gate on complete counts', () => {
    const judged = judge({});
    expect(judged.status).toBe('succeeded');
    expect(judged.validation!.filter((c) => c.status !== 'PASS')).toEqual([]);
  });

  it('fails the stage with QUALITY_GATE when a count is null', () => {
    const judged = judge({ not_null_violations: null, email_malformed: null });
    expect(judged.status).toBe('failed');
    expect(judged.error?.reason).toBe('QUALITY_GATE');
    expect(byName(judged.validation!, 'not_null')).toMatchObject({ status: 'FAIL', observed: null, detail: 'not observed: nulls in the 28 never-null columns' });
    expect(byName(judged.validation!, 'email_malformed_rate')).toMatchObject({ status: 'FAIL', observed: null });
    expect(judged.error?.message).toContain('not_null (not observed: nulls in the 28 never-null columns)');
  });

  it('fails the window when the job read no event-time range', () => {
    const judged = judge({ event_ts_min: null, event_ts_max: null });
    expect(byName(judged.validation!, 'domains')).toMatchObject({ status: 'FAIL', observed: null });
  });

  it('refuses a report whose counts lack a key', () => {
    const o = observations({});
    const { payload_violations: _dropped, ...counts } = o.counts;
    const judged = judgeSparkBronze(stageReport('bronze-verify', 'r', 'spark', new Date(0), { extras: { observations: { ...o, counts } } }), manifest, thresholds());
    expect(judged).toMatchObject({ status: 'failed', error: { reason: 'STAGE_BAD_METRICS' } });
  });
});
