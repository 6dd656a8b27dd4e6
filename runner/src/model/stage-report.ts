// The document each stage writes about itself (docs/results.md §3.4). The runner never parses logs for
// numbers: it reads this, validated, and merges it into metrics.json's stages[]. The PySpark jobs
// write the same document (spark-scripts/lakebench_common.py `report`).
import { z } from 'zod';
import { validationCheckSchema } from './metrics.js';
import { stageFailureReasonSchema } from './stage-reasons.js';

export const BATCH_STAGES = ['bronze-verify', 'silver-build', 'gold-finalize'] as const;
export type BatchStage = (typeof BATCH_STAGES)[number];

export const selfCheckSchema = z.object({
  name: z.string(),
  passed: z.boolean(),
  expected: z.union([z.number(), z.string()]).nullable(),
  observed: z.union([z.number(), z.string()]).nullable(),
});

/** What the runner saw of a stage's SparkApplication on a cluster (stage-runner.ts); `extras.kubernetes` in the report. */
export const clusterObservationSchema = z.object({
  application: z.string(),
  state: z.string(),
  driver_pod: z.string().nullable(),
  /** From the application's creation to its driver container's start. */
  queue_seconds: z.number().nullable(),
  driver_started_at: z.string().nullable(),
  driver_finished_at: z.string().nullable(),
  driver_exit_code: z.number().int().nullable(),
  reason: stageFailureReasonSchema.nullable(),
  /** The driver's log tail, secrets already redacted; null when the application succeeded. */
  log_tail: z.string().nullable(),
});
export type ClusterObservation = z.infer<typeof clusterObservationSchema>;

/**
 * The report's extras: what the runner itself relies on is typed; each stage may add its own figures
 * (timings, counts by type), kept as they are and shown in the report.
 */
export const stageExtrasSchema = z
  .object({
    /** Set by the cluster platform, never by a job. */
    kubernetes: clusterObservationSchema.optional(),
    /** Present when the stage left no usable document and the runner recorded what it saw instead. */
    metrics_source: z.literal('runner-observed').optional(),
  })
  .catchall(z.unknown());
export type StageExtras = z.infer<typeof stageExtrasSchema>;

export const stageReportSchema = z.object({
  stage: z.enum(BATCH_STAGES),
  run_id: z.string(),
  status: z.enum(['succeeded', 'failed']),
  engine: z.enum(['duckdb', 'spark']),
  start_time: z.string(),
  end_time: z.string(),
  engine_elapsed_seconds: z.number(),
  input_bytes: z.number().int().nullable(),
  output_bytes: z.number().int().nullable(),
  input_rows: z.number().int().nullable(),
  output_rows: z.number().int().nullable(),
  files_read: z.number().int().nullable(),
  files_written: z.number().int().nullable(),
  commit_seconds: z.number().nullable(),
  strategy: z.string().nullable(),
  skew_factor: z.number().nullable(),
  reference_date: z.string().nullable(),
  validation: z.array(validationCheckSchema).nullable(),
  self_checks: z.array(selfCheckSchema).nullable(),
  extras: stageExtrasSchema,
  error: z.object({ message: z.string(), reason: stageFailureReasonSchema.nullable() }).nullable(),
});
export type StageReport = z.infer<typeof stageReportSchema>;

/** A report skeleton with timing filled in; stages add what they measured. */
export function stageReport(stage: BatchStage, runId: string, engine: 'duckdb' | 'spark', start: Date, fields: Partial<StageReport>): StageReport {
  const end = new Date();
  return {
    stage,
    run_id: runId,
    status: 'succeeded',
    engine,
    start_time: start.toISOString(),
    end_time: end.toISOString(),
    engine_elapsed_seconds: (end.getTime() - start.getTime()) / 1000,
    input_bytes: null,
    output_bytes: null,
    input_rows: null,
    output_rows: null,
    files_read: null,
    files_written: null,
    commit_seconds: null,
    strategy: null,
    skew_factor: null,
    reference_date: null,
    validation: null,
    self_checks: null,
    extras: {},
    error: null,
    ...fields,
  };
}
