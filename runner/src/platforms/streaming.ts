// The continuous-mode seam (docs/pipeline.md §8): what the orchestrator needs from a platform that
// streams bronze → silver → gold while datagen keeps landing files. Types only: the embedded platform
// implements it with DuckDB micro-batches (platforms/embedded/streaming-run.ts), the kubernetes
// platform with three streaming SparkApplications. The orchestrator (pipeline/run-continuous.ts)
// starts it, schedules the in-stream rounds against the query engine, observes it, and stops it.
import type { ContinuousConfig, LakebenchConfig } from '../config/schema.js';
import type { Manifest } from '../datagen/manifest.js';
import { STREAMING_JOB_NAMES, type JobReport } from '../model/streaming-job-report.js';
import type { MaintenanceActionRecord } from '../model/continuous-maintenance.js';

/** The three streaming jobs, in data order. */
export const STREAMING_JOBS = STREAMING_JOB_NAMES;
export type StreamingJob = (typeof STREAMING_JOBS)[number];
export type { JobReport };

/**
 * The key under which every gold refresh records the newest `silver_processing_timestamp` it
 * covered (ISO-8601 UTC, microseconds): an Iceberg snapshot summary property on a cluster, the
 * embedded platform's own commit record locally. Freshness is derived from it, never logged.
 */
export const SOURCE_MAX_PROCESSING_TS_KEY = 'lakebench.source-max-processing-ts';

export type StreamingPlan = {
  config: LakebenchConfig;
  continuous: ContinuousConfig;
  runId: string;
  /** R of docs/pipeline.md §2.2, fixed at the start of the run (silver's recency uses it). */
  referenceDate: string;
  /** The base set, already in place; extra files get indices base.totals.file_count, +1, … */
  base: Manifest;
  log: (line: string) => void;
};

/** One micro-batch (or streaming batch) a job committed. */
export type StreamingBatch = JobReport['batches'][number];

/** A gold refresh commit, with the newest silver processing time it covered. */
export type GoldCommit = {
  /** Snapshot id (Iceberg) or the embedded commit's sequence number. */
  id: string;
  committed_at: string;
  /** The value under SOURCE_MAX_PROCESSING_TS_KEY; null when silver was still empty. */
  source_max_processing_ts: string | null;
  rows: number;
};

/** An extra file datagen landed during the run. */
export type LandedFile = {
  index: number;
  key: string;
  rows: number;
  bytes: number;
  /** Rows the silver filter drops (duplicate_suspected), so ingested = landed − filtered is checkable. */
  filtered_rows: number;
  landed_at: string;
};

export type StreamingJobState = {
  job: StreamingJob;
  /** running while the run lasts; at the end, how it stopped. */
  state: 'running' | 'stopped';
  stopped_by: 'duration' | 'failed' | 'signal' | null;
  /** Restarts after a failure (a SparkApplication's restart policy); 0 embedded. */
  restarts: number;
  batches: StreamingBatch[];
  error?: string;
};

export type StreamingObservation = {
  observed_at: string;
  landed: LandedFile[];
  jobs: StreamingJobState[];
  gold_commits: GoldCommit[];
  /** Rows in silver now (for "silver grows between rounds"). */
  silver_rows: number;
};

/** One retention and/or compaction pass over the run's tables (docs/pipeline.md §8.3). */
export type MaintenanceRequest = {
  pass: number;
  /** Expire snapshots and remove orphan files on bronze_raw, silver and gold. */
  retention: boolean;
  /** Rewrite the data files of silver and gold. */
  compaction: boolean;
  /** Snapshots and orphan files younger than this stay. */
  retentionThresholdSeconds: number;
  /** Seconds each statement may take (the engine cancels it after). */
  statementTimeoutSeconds: number;
  /** True once the run's window has closed: the actions not started yet are recorded as skipped. */
  stopping: () => boolean;
};

export interface StreamingRun {
  /** Starts landing and the three jobs; resolves once all have started. */
  start(): Promise<void>;
  /** What the tables and jobs show now (commits with summaries, landed files, job states). */
  observe(): Promise<StreamingObservation>;
  /** Stops landing and jobs cleanly; each job's final state, stopped_by 'duration' unless it died. */
  stop(reason?: 'duration' | 'signal'): Promise<StreamingJobState[]>;
  /** Why this run's tables get no retention or compaction passes (recorded in metrics.json); null when they do. */
  readonly maintenanceSkipReason: string | null;
  /** Runs one pass; one record per table and action, a failed action recorded, never thrown. */
  maintain(request: MaintenanceRequest): Promise<MaintenanceActionRecord[]>;
}
