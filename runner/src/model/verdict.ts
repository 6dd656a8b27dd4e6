// The run verdict (docs/results.md §3.5): FAILED reasons first, then WARNING reasons; PASSED otherwise.
import type { BenchmarkBlock, StageEntry, Verdict, VerdictReason } from './metrics.js';
import { snapshotFindings } from './benchmark-snapshots.js';
import { SCALE_RATIO_MIN, SCALE_RATIO_WARN_ABOVE } from './scale.js';
import { EXECUTOR_CEILING } from './sizing.js';
import { expectedFilesSchema } from './stage-report.js';

export type VerdictInput = {
  stages: readonly StageEntry[];
  benchmark: BenchmarkBlock | null;
  benchmarkExpected: boolean;
  scaleRatio: number | null;
  incompleteReason: string | null;
  /** metrics.json `versions`: every `*_image` entry is an image reference, which should carry a digest. */
  versions: Readonly<Record<string, string | null>>;
  /** Per-stage executor counts the config forces (cluster.spark.executors), on the platform that uses them. */
  executorOverrides: Readonly<Record<string, number | undefined>>;
};

/** An image reference pinned by content: `…@sha256:<64 hex>`. A tag alone can move between runs. */
export const hasDigest = (image: string): boolean => /@sha256:[0-9a-f]{64}$/.test(image);

/**
 * The verdict code of a failed query, from its error code: the spec's FAILED rules each have their
 * own (too few rows, unstable fingerprint, answer check, timeout); any engine error is QUERY_FAILED.
 */
export function queryFailureCode(errorCode: string | undefined): string {
  switch (errorCode) {
    case 'ANSWER_CHECK_FAILED':
    case 'TOO_FEW_ROWS':
    case 'FINGERPRINT_UNSTABLE':
      return errorCode;
    case 'TIMEOUT':
      return 'QUERY_TIMEOUT';
    default:
      return 'QUERY_FAILED';
  }
}

export function verdict(input: VerdictInput): Verdict {
  const reasons: VerdictReason[] = [];
  const fail = (code: string, message: string, source: string) => reasons.push({ code, severity: 'FAILED', message, source });
  const warn = (code: string, message: string, source: string) => reasons.push({ code, severity: 'WARNING', message, source });

  if (input.incompleteReason) fail('RUN_INCOMPLETE', input.incompleteReason, 'runner');
  for (const s of input.stages) {
    if (s.status === 'failed') fail('STAGE_FAILED', `${s.name} failed: ${s.error?.message ?? 'no error recorded'}`, s.name);
    if (s.metrics_source === 'runner-observed' && s.status !== 'skipped') fail('STAGE_NO_METRICS', `${s.name} left no metrics document`, s.name);
    for (const c of s.validation ?? []) {
      if (c.status === 'FAIL') fail('QUALITY_GATE', `${c.name}: ${c.detail}`, s.name);
      if (c.status === 'WARN') warn('QUALITY_WARN', `${c.name}: ${c.detail}`, s.name);
    }
    // metrics.json keeps extras as an open map; the bound's input is read through its schema.
    const expected = expectedFilesSchema.safeParse(s.extras.expected_files);
    const expectedFiles = expected.success ? expected.data : null;
    if (s.name === 'silver-build' && expectedFiles !== null && s.files_written !== null && s.files_written > Math.max(2 * expectedFiles, expectedFiles + 1000)) {
      warn('SILVER_FILES_ABOVE_BOUND', `silver wrote ${s.files_written} files, bound ${Math.max(2 * expectedFiles, expectedFiles + 1000)}`, s.name);
    }
    if (s.name === 'maintenance' && s.status === 'failed') warn('MAINTENANCE_ERROR', s.error?.message ?? 'maintenance failed', s.name);
  }
  if (input.benchmarkExpected && !input.benchmark) fail('BENCHMARK_MISSING', 'the benchmark did not run', 'benchmark');
  for (const q of input.benchmark?.queries ?? []) {
    if (!q.success) fail(queryFailureCode(q.error?.code), `${q.id} ${q.name}: ${q.error?.message ?? 'failed'}`, 'benchmark');
    else if (!q.fingerprint_stable) {
      const detail = q.checks.find((c) => c.name === 'executions agree within rounding')?.detail ?? 'fingerprints differ within rounding tolerance';
      warn('ROUNDING_DIFFERENCE', `${q.id} ${q.name}: executions differ only by rounding: ${detail}`, 'benchmark');
    }
  }
  if (input.scaleRatio !== null && input.scaleRatio < SCALE_RATIO_MIN) fail('SCALE_RATIO_LOW', `scale ratio ${input.scaleRatio.toFixed(3)} is below ${SCALE_RATIO_MIN.toFixed(2)}`, 'datagen');
  if (input.scaleRatio !== null && input.scaleRatio > SCALE_RATIO_WARN_ABOVE) warn('SCALE_RATIO_HIGH', `scale ratio ${input.scaleRatio.toFixed(3)} is above ${SCALE_RATIO_WARN_ABOVE.toFixed(2)}`, 'datagen');

  if (input.benchmark) {
    const found = snapshotFindings(input.benchmark.snapshots);
    for (const t of found.changed) warn('SNAPSHOTS_CHANGED', `${t.table} changed during the benchmark: ${t.format === 'iceberg' ? 'snapshot' : 'version'} ${t.before ?? 'none'} before, ${t.after ?? 'none'} after`, 'benchmark');
    for (const what of found.notObserved) warn('SNAPSHOTS_NOT_OBSERVED', `table snapshots not observed, so changes during the benchmark cannot be ruled out: ${what}`, 'benchmark');
  }
  for (const [key, image] of Object.entries(input.versions)) {
    if (key.endsWith('_image') && image !== null && !hasDigest(image)) warn('IMAGE_WITHOUT_DIGEST', `${key} ${image} has no digest: its content can change between runs`, 'versions');
  }
  for (const [stage, executors] of Object.entries(input.executorOverrides)) {
    if (executors !== undefined && executors > EXECUTOR_CEILING) {
      warn('EXECUTOR_OVERRIDE_ABOVE_CEILING', `${stage} runs ${executors} executors, above the ceiling of ${EXECUTOR_CEILING} (Spark's Kubernetes client floods the API server)`, stage);
    }
  }

  const status = reasons.some((r) => r.severity === 'FAILED') ? 'FAILED' : reasons.length ? 'WARNING' : 'PASSED';
  // FAILED reasons first, each group in the order evaluated (Array.prototype.sort is stable).
  return { status, reasons: reasons.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'FAILED' ? -1 : 1)) };
}
