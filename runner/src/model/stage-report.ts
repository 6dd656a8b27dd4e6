// The document each stage writes about itself (docs/results.md §3.4). The runner never parses logs for
// numbers: it reads this, validated, and merges it into metrics.json's stages[]. The PySpark jobs
// write the same document (spark-scripts/lakebench_common.py `report`).
import { z } from 'zod';
import { validationCheckSchema, type StageEntry } from './metrics.js';
import { stageFailureReasonSchema } from './stage-reasons.js';

export const BATCH_STAGES = ['bronze-verify', 'silver-build', 'gold-finalize'] as const;
export type BatchStage = (typeof BATCH_STAGES)[number];
export const isBatchStage = (name: string): name is BatchStage => (BATCH_STAGES as readonly string[]).includes(name);

export const selfCheckSchema = z.object({
  name: z.string(),
  passed: z.boolean(),
  expected: z.union([z.number(), z.string()]).nullable(),
  observed: z.union([z.number(), z.string()]).nullable(),
});

/**
 * What the runner saw of a stage's SparkApplication on a cluster (platforms/kubernetes/spark-monitor.ts);
 * `extras.kubernetes` in the report. The monitor returns this same shape, so what it watched and what
 * the run records cannot drift apart.
 */
export const clusterObservationSchema = z.object({
  application: z.string(),
  state: z.string(),
  /** When the SparkApplication was created: the start of its queue time. */
  submitted_at: z.string().nullable(),
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

/** silver-build's expected file count (model/verdict.ts SILVER_FILES_ABOVE_BOUND); the PySpark job writes it too. */
export const expectedFilesSchema = z.number().int().nonnegative();

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
    /** silver-build: the files its table should hold at the target file size; the verdict's bound on files written. */
    expected_files: expectedFilesSchema.optional(),
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

/**
 * The figures a stage measures about its data, none measured yet. A report and a stages[] entry
 * (model/stage-entry.ts) carry the same keys, so one constant starts both.
 */
export const NO_STAGE_FIGURES = {
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
} as const satisfies Partial<Record<keyof StageReport & keyof StageEntry, null>>;
export type StageFigures = Pick<StageReport, keyof typeof NO_STAGE_FIGURES>;

/** The figures a report measured, to carry into its stages[] entry unchanged. */
export function stageFigures(report: StageReport): StageFigures {
  const figures: Record<string, unknown> = {};
  for (const key of Object.keys(NO_STAGE_FIGURES)) figures[key] = report[key as keyof StageFigures];
  return figures as StageFigures;
}

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
    ...NO_STAGE_FIGURES,
    extras: {},
    error: null,
    ...fields,
  };
}
