// A cluster stage's one result (runner/src/spark-jobs/read-report.ts and
// runner/src/platforms/kubernetes/stage-result.ts): the metrics document a Spark job left, read from a
// real file and checked by the stage report's schema, or a runner-observed failure when it is missing or
// unusable; then combined with how the SparkApplication ended. Spark's verdict wins over a document that
// claims success, stage time is the driver's own, and the observation is what extras.kubernetes records.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJobReport } from '../../runner/src/spark-jobs/read-report.js';
import { clusterStageResult } from '../../runner/src/platforms/kubernetes/stage-result.js';
import type { SparkApplicationEnd } from '../../runner/src/platforms/kubernetes/spark-monitor.js';
import { clusterObservationSchema, stageReport, stageReportSchema, type StageReport } from '../../runner/src/model/stage-report.js';
import { entryFromReport } from '../../runner/src/model/stage-entry.js';

const RUN = '20260115-100000-3fa9c2';
const dir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-stage-result-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A metrics document as a job writes it, at a real path. */
function document(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
const silverDoc = (fields: Partial<StageReport> = {}) => stageReport('silver-build', RUN, 'spark', new Date('2026-01-15T10:00:00Z'), { output_rows: 1000, files_written: 12, extras: { expected_files: 10 }, ...fields });
// A local path: the storage settings are never used (nothing listens on them).
const storage = { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', path_style: true };
const read = (metrics_uri: string, exitCode: number | null) => readJobReport({ stage: 'silver-build', run_id: RUN, metrics_uri, storage }, exitCode);

describe('reading the metrics document a Spark job left', () => {
  it('returns a valid document of this stage and run as the report, its typed expected_files included', async () => {
    const report = await read(document('ok.json', silverDoc()), 0);
    expect(report).toMatchObject({ status: 'succeeded', output_rows: 1000, error: null, extras: { expected_files: 10 } });
    expect(report.extras.metrics_source).toBeUndefined();
  });

  it('records a missing document as a failure the runner observed (STAGE_NO_METRICS), naming where it looked and the exit code', async () => {
    const report = await read(path.join(dir, 'never-written.json'), 0);
    expect(stageReportSchema.parse(report)).toMatchObject({ stage: 'silver-build', run_id: RUN, engine: 'spark', status: 'failed', extras: { metrics_source: 'runner-observed' } });
    expect(report.error).toEqual({ reason: 'STAGE_NO_METRICS', message: `silver-build: left no metrics document at ${path.join(dir, 'never-written.json')}; exit code 0` });
    expect(report.output_rows).toBeNull();
  });

  it('refuses a document that is not JSON, is another stage’s, or does not match the schema (STAGE_BAD_METRICS)', async () => {
    const cases = {
      'not JSON': document('garbage.json', '{"stage": '),
      'another stage': document('gold.json', { ...silverDoc(), stage: 'gold-finalize' }),
      'another run': document('other-run.json', { ...silverDoc(), run_id: '20260101-000000-aaaaaa' }),
      'a fractional expected_files': document('fraction.json', { ...silverDoc(), extras: { expected_files: 10.5 } }),
      'an expected_files given as text': document('text.json', { ...silverDoc(), extras: { expected_files: '10' } }),
    };
    for (const [what, file] of Object.entries(cases)) {
      const report = await read(file, 0);
      expect(report.error?.reason, what).toBe('STAGE_BAD_METRICS');
      expect(report.extras.metrics_source, what).toBe('runner-observed');
    }
  });

  it('refuses a document that marks itself runner-observed: only the runner writes that mark', async () => {
    const report = await read(document('claims-observed.json', silverDoc({ extras: { metrics_source: 'runner-observed' } })), 0);
    expect(report.error?.reason).toBe('STAGE_BAD_METRICS');
    expect(report.error?.message).toContain('extras.metrics_source');
  });

  it('turns a document claiming success from a driver that exited non-zero into a failure (EXIT_CODE), keeping its figures', async () => {
    const report = await read(document('lying.json', silverDoc()), 137);
    expect(report).toMatchObject({ status: 'failed', output_rows: 1000, error: { reason: 'EXIT_CODE', message: 'the job reported success but ended with exit code 137' } });
    expect(report.extras.metrics_source).toBeUndefined();
  });
});

const DRIVER_START = '2026-01-15T10:00:30Z';
const DRIVER_END = '2026-01-15T10:02:30Z';
const submitted = new Date('2026-01-15T10:00:00Z');
const now = new Date('2026-01-15T11:00:00Z');

function ended(fields: Partial<SparkApplicationEnd> = {}): SparkApplicationEnd {
  return {
    application: 'lakebench-silver-build',
    state: 'COMPLETED',
    submitted_at: '2026-01-15T10:00:05Z',
    driver_pod: 'lakebench-silver-build-driver',
    queue_seconds: 25,
    driver_started_at: DRIVER_START,
    driver_finished_at: DRIVER_END,
    driver_exit_code: 0,
    reason: null,
    log_tail: null,
    succeeded: true,
    message: null,
    watch: { app: null, pods: null },
    ...fields,
  };
}
const failedApp = ended({ state: 'FAILED', succeeded: false, reason: 'OOMKilled', driver_exit_code: 1, message: 'ended FAILED; executor pods OOMKilled: exec-1', log_tail: 'ExecutorLostFailure' });

describe("a cluster stage's result: the report and how its application ended", () => {
  it('times a succeeded stage by its driver container and records the observation, not the monitor’s own fields', () => {
    const r = clusterStageResult(silverDoc(), ended(), submitted, now);
    expect(r).toMatchObject({ status: 'succeeded', start_time: DRIVER_START, end_time: DRIVER_END, error: null, output_rows: 1000 });
    expect(clusterObservationSchema.strict().parse(r.extras.kubernetes)).toMatchObject({ application: 'lakebench-silver-build', queue_seconds: 25, driver_exit_code: 0 });
    expect(r.extras.expected_files).toBe(10);
    expect(entryFromReport(r, { executors: 1, cores: 1, memoryGb: 1, driverCores: 1, driverMemoryGb: 1 })).toMatchObject({ queue_seconds: 25, elapsed_seconds: 120, metrics_source: 'stage-report' });
  });

  it('fails a stage whose document claims success when its application failed, with the application’s reason and message', () => {
    const r = clusterStageResult(silverDoc(), failedApp, submitted, now);
    expect(r).toMatchObject({ status: 'failed', error: { reason: 'OOMKilled', message: 'ended FAILED; executor pods OOMKilled: exec-1' }, output_rows: 1000 });
    const entry = entryFromReport(r, { executors: 1, cores: 1, memoryGb: 1, driverCores: 1, driverMemoryGb: 1 });
    expect(entry.error).toEqual({ reason: 'OOMKilled', message: 'ended FAILED; executor pods OOMKilled: exec-1', log_tail: 'ExecutorLostFailure' });
  });

  it('keeps the error a failed document gives, over an application that failed without an OOM kill', () => {
    const doc = silverDoc({ status: 'failed', error: { message: 'no bronze files', reason: 'BRONZE_MISSING' } });
    const failedNoKill = ended({ state: 'FAILED', succeeded: false, reason: 'FAILED', driver_exit_code: 1, message: 'ended FAILED; driver Error (exit code 1)' });
    expect(clusterStageResult(doc, failedNoKill, submitted, now).error).toEqual({ message: 'no bronze files', reason: 'BRONZE_MISSING' });
    // An OOM kill the runner saw is the reason instead, the job's words kept (spark-oom-and-retries.test.ts).
    expect(clusterStageResult(doc, failedApp, submitted, now).error).toEqual({ message: 'ended FAILED; executor pods OOMKilled: exec-1; no bronze files', reason: 'OOMKilled' });
  });

  it('without a usable document: failed, runner-observed, both messages, the application’s reason first and the driver’s time as engine time', async () => {
    const observed = await read(path.join(dir, 'never-written.json'), 1);
    const r = clusterStageResult(observed, failedApp, submitted, now);
    expect(r).toMatchObject({ status: 'failed', start_time: '2026-01-15T10:00:30.000Z', end_time: DRIVER_END, engine_elapsed_seconds: 120, extras: { metrics_source: 'runner-observed' } });
    expect(r.error?.reason).toBe('OOMKilled');
    expect(r.error?.message).toBe(`ended FAILED; executor pods OOMKilled: exec-1; silver-build: left no metrics document at ${path.join(dir, 'never-written.json')}; exit code 1`);
    expect(entryFromReport(r, { executors: 1, cores: 1, memoryGb: 1, driverCores: 1, driverMemoryGb: 1 }).metrics_source).toBe('runner-observed');
  });

  it('without a document from an application that succeeded: still failed, with the reader’s reason', async () => {
    const observed = await read(path.join(dir, 'never-written.json'), 0);
    const r = clusterStageResult(observed, ended(), submitted, now);
    expect(r).toMatchObject({ status: 'failed', error: { reason: 'STAGE_NO_METRICS' } });
  });

  it('starts at the submission and ends now when no driver ever ran', () => {
    const never = ended({ state: 'SUBMISSION_FAILED', succeeded: false, reason: 'SUBMISSION_FAILED', driver_pod: null, driver_started_at: null, driver_finished_at: null, driver_exit_code: null, queue_seconds: null, message: 'ConfigMap not found' });
    expect(clusterStageResult(silverDoc(), never, submitted, now)).toMatchObject({ start_time: '2026-01-15T10:00:05Z', end_time: now.toISOString(), status: 'failed' });
    expect(clusterStageResult(silverDoc(), { ...never, submitted_at: null }, submitted, now).start_time).toBe(submitted.toISOString());
  });
});
