// A stage's stages[] entry (runner/src/model/stage-entry.ts): elapsed time, throughput and the
// requested resources the scorecard adds up, from the stage's own report or from what the runner
// observed when there was none. Reports are made by the runner's stageReport() and checked by its
// schema; every entry must fit metrics.json's stage schema.
import { describe, expect, it } from 'vitest';
import { entryFromReport, observedEntry } from '../../runner/src/model/stage-entry.js';
import { stageReport, stageReportSchema } from '../../runner/src/model/stage-report.js';
import { stageEntrySchema } from '../../runner/src/model/metrics.js';
import type { StageResources } from '../../runner/src/model/stage-resources.js';

const GiB = 2 ** 30;
const res: StageResources = { executors: 4, cores: 2, memoryGb: 6, driverCores: 1, driverMemoryGb: 2 };
const start = new Date('2026-01-15T10:00:00.000Z');
const after = (seconds: number) => new Date(start.getTime() + seconds * 1000);

const report = (seconds: number, fields: Parameters<typeof stageReport>[4] = {}) =>
  stageReportSchema.parse(stageReport('silver-build', '20260115-100000-3fa9c2', 'spark', start, { start_time: start.toISOString(), end_time: after(seconds).toISOString(), ...fields }));

describe("a stage's entry from its own report", () => {
  it('takes elapsed from the report times and throughput from the bytes and rows it read', () => {
    const e = stageEntrySchema.parse(entryFromReport(report(20, { input_bytes: 10 * GiB, input_rows: 1_000_000, output_rows: 980_000 }), res));
    expect(e.elapsed_seconds).toBe(20);
    expect(e.throughput_gb_per_second).toBe(0.5);
    expect(e.throughput_rows_per_second).toBe(50_000);
    expect(e.output_rows).toBe(980_000);
    expect(e.metrics_source).toBe('stage-report');
  });

  it('charges executors × cores × elapsed CPU-seconds and executors × memory of the stage resources', () => {
    const e = entryFromReport(report(90), res);
    expect([e.executor_count, e.executor_cores, e.executor_memory_gb]).toEqual([4, 2, 6]);
    expect(e.cpu_seconds_requested).toBe(4 * 2 * 90);
    expect(e.memory_gb_requested).toBe(24);
  });

  it('leaves throughput unknown (null) when nothing was read or no time passed, never Infinity', () => {
    expect(entryFromReport(report(20), res).throughput_gb_per_second).toBeNull();
    const instant = entryFromReport(report(0, { input_bytes: GiB, input_rows: 10 }), res);
    expect([instant.throughput_gb_per_second, instant.throughput_rows_per_second]).toEqual([null, null]);
  });

  it('carries every figure the report measured into the entry unchanged', () => {
    const figures = {
      input_bytes: 5 * GiB, output_bytes: 2 * GiB, input_rows: 1_000_000, output_rows: 980_000, files_read: 40, files_written: 12, commit_seconds: 1.5,
      strategy: 'chunked', skew_factor: 1.25, reference_date: '2025-12-30', validation: [{ name: 'row_count', status: 'PASS' as const, observed: 1, expected: 1, threshold: null, mode: 'fail' as const, detail: 'ok' }],
      self_checks: [{ name: 'gold_rows', passed: true, expected: 3, observed: 3 }],
    };
    expect(entryFromReport(report(20, figures), res)).toMatchObject(figures);
    // A stage's entry the runner observed starts from the same keys, all unknown.
    expect(observedEntry('silver-build', 'spark', start, after(1), 'failed', res)).toMatchObject(Object.fromEntries(Object.keys(figures).map((k) => [k, null])));
  });

  it("keeps a failed stage's status and reason", () => {
    const e = entryFromReport(report(5, { status: 'failed', error: { message: 'schema mismatch', reason: 'QUALITY_GATE' } }), res);
    expect(e.status).toBe('failed');
    expect(e.error).toMatchObject({ message: 'schema mismatch', reason: 'QUALITY_GATE' });
  });
});

describe('an entry the runner observed (no stage document, or runner-side work)', () => {
  it('is typed by the stage it stands for', () => {
    const type = (name: Parameters<typeof observedEntry>[0]) => observedEntry(name, 'duckdb', start, after(1), 'succeeded', res).type;
    expect([type('datagen'), type('bronze-verify'), type('silver-build'), type('gold-finalize'), type('maintenance'), type('benchmark')]).toEqual(['datagen', 'batch', 'batch', 'batch', 'maintenance', 'query']);
  });

  it('says it was runner-observed and claims no figures it did not see', () => {
    const e = stageEntrySchema.parse(observedEntry('gold-finalize', 'spark', start, after(12), 'failed', res, { error: { message: 'driver OOMKilled', reason: 'FAILED', log_tail: null } }));
    expect(e.metrics_source).toBe('runner-observed');
    expect(e.elapsed_seconds).toBe(12);
    expect(e.cpu_seconds_requested).toBe(4 * 2 * 12);
    expect([e.input_bytes, e.output_rows, e.throughput_gb_per_second, e.validation]).toEqual([null, null, null, null]);
    expect(e.error?.message).toBe('driver OOMKilled');
  });
});
