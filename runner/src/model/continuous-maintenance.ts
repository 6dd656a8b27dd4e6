// The `maintenance` part of metrics.json's continuous block (docs/pipeline.md §8.3): the retention
// and compaction passes a continuous run made on its Iceberg tables while the jobs streamed, one
// record per action and table (when, what, ok or failed, how long), or why the platform made none.
import { z } from 'zod';

/** The actions of a pass, in the order it runs them: retention first, then compaction (docs/pipeline.md §7). */
export const MAINTENANCE_ACTIONS = ['expire_snapshots', 'remove_orphan_files', 'rewrite_data_files'] as const;
export type MaintenanceAction = (typeof MAINTENANCE_ACTIONS)[number];

export const maintenanceActionRecordSchema = z.object({
  /** Index of the pass (0 = the first, retention_interval_seconds into the run). */
  pass: z.number().int().nonnegative(),
  started_at: z.string(),
  table: z.string(),
  action: z.enum(MAINTENANCE_ACTIONS),
  status: z.enum(['ok', 'failed', 'skipped']),
  seconds: z.number().nonnegative(),
  /** The age below which snapshots or orphan files stay, as the statement used it; null for compaction. */
  older_than_seconds: z.number().nullable(),
  /** What the engine reported (its result columns), when it reported anything. */
  detail: z.string().nullable(),
  /** The engine's error (failed), or why the action did not run (skipped). */
  error: z.string().nullable(),
});
export type MaintenanceActionRecord = z.infer<typeof maintenanceActionRecordSchema>;

export const maintenanceBlockSchema = z.object({
  /** Why this platform makes no pass at all (the embedded tables are plain Parquet); null when it does. */
  skip_reason: z.string().nullable(),
  retention_interval_seconds: z.number(),
  /** Effective: continuous.maintenance.compactionIntervalSeconds, or twice the retention interval for 0. */
  compaction_interval_seconds: z.number(),
  retention_threshold_seconds: z.number(),
  passes: z.number().int().nonnegative(),
  actions: z.array(maintenanceActionRecordSchema),
});
export type MaintenanceBlock = z.infer<typeof maintenanceBlockSchema>;
