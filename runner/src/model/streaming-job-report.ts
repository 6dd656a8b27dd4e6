// The report a streaming job leaves at `<checkpointBase>/<run-id>/<job>/report.json` in its writer
// bucket (or the embedded warehouse): rewritten atomically after every batch, so a killed job still
// leaves its progress, and finally with how it stopped. The Spark scripts write it; the runner parses
// it with this schema whichever platform wrote it.
import { z } from 'zod';

export const STREAMING_JOB_NAMES = ['bronze-ingest', 'silver-stream', 'gold-refresh'] as const;

export const streamingBatchSchema = z.object({
  batch_id: z.number().int().nonnegative(),
  started_at: z.string(),
  committed_at: z.string(),
  rows: z.number().int().nonnegative(),
  files: z.array(z.string()).optional(),
});

export const jobReportSchema = z.object({
  job: z.enum(STREAMING_JOB_NAMES),
  run_id: z.string(),
  batches: z.array(streamingBatchSchema),
  /** null while the job still runs (the report is rewritten after each batch). */
  stopped_by: z.enum(['duration', 'failed', 'signal']).nullable(),
  error: z.string().optional(),
});
export type JobReport = z.infer<typeof jobReportSchema>;

/** A gold refresh commit as the embedded platform records it (Iceberg keeps the same key in its snapshot summary). */
export const goldCommitRecordSchema = z.object({
  run_id: z.string(),
  id: z.string(),
  committed_at: z.string(),
  rows: z.number().int().nonnegative(),
  silver_files: z.number().int().nonnegative(),
  summary: z.record(z.string(), z.string()),
});
export type GoldCommitRecord = z.infer<typeof goldCommitRecordSchema>;
