// Why a stage failed, as a closed set of codes. Three sources, one union: the Spark jobs'
// contract (spark-scripts/lakebench_common.py JobError and error_fields — a unit test reads the
// Python source and checks both sides list the same codes), what the runner itself decides, and
// how a SparkApplication ended when the runner watched it fail.
import { z } from 'zod';

/** Codes a PySpark job writes into its stage report's `error.reason`. */
export const JOB_FAILURE_REASONS = [
  'CONFIG',
  'ERROR',
  'STORAGE',
  'CATALOG',
  'BRONZE_MISSING',
  'BRONZE_EMPTY',
  'MANIFEST_INVALID',
  'MANIFEST_MISMATCH',
  'SILVER_MISSING',
  'SILVER_EMPTY',
  'SELF_CHECK',
  // The streaming jobs (continuous mode): no input appeared within the wait, or the query stopped or failed.
  'INPUT_MISSING',
  'STREAM_FAILED',
] as const;

/** Codes the runner decides: a gate, a missing or unusable document, an exit code that contradicts it, a skipped stage, an error it caught. */
export const RUNNER_FAILURE_REASONS = ['QUALITY_GATE', 'SELF_CHECK', 'SKIPPED', 'ERROR', 'EXIT_CODE', 'STAGE_NO_METRICS', 'STAGE_BAD_METRICS'] as const;

/**
 * How a watched SparkApplication ended without success: the operator's failure states, the runner's
 * own ends of the watch (TIMEOUT, DELETED, UNKNOWN when the application was never seen), and
 * OOMKilled when the driver or an executor was killed for memory.
 */
export const SPARK_APPLICATION_END_REASONS = ['OOMKilled', 'TIMEOUT', 'DELETED', 'UNKNOWN', 'FAILED', 'FAILING', 'SUBMISSION_FAILED', 'INVALIDATING'] as const;

export const STAGE_FAILURE_REASONS = [...new Set([...JOB_FAILURE_REASONS, ...RUNNER_FAILURE_REASONS, ...SPARK_APPLICATION_END_REASONS])] as [StageFailureReason, ...StageFailureReason[]];
export type StageFailureReason = (typeof JOB_FAILURE_REASONS)[number] | (typeof RUNNER_FAILURE_REASONS)[number] | (typeof SPARK_APPLICATION_END_REASONS)[number];
export const stageFailureReasonSchema = z.enum(STAGE_FAILURE_REASONS);

/** A watched application's end as a reason code; a state outside the known set is UNKNOWN. */
export function sparkEndReason(reason: string | null): StageFailureReason | null {
  if (reason === null) return null;
  return isSparkEnd(reason) ? reason : 'UNKNOWN';
}

const isSparkEnd = (r: string): r is (typeof SPARK_APPLICATION_END_REASONS)[number] => (SPARK_APPLICATION_END_REASONS as readonly string[]).includes(r);
