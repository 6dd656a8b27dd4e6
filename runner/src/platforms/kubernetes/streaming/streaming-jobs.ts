// The three streaming jobs of docs/pipeline.md §8.1 as the cluster submits them: which PySpark script,
// which batch stage's job document gives it its tables and SQL (the transforms exist once), which
// bucket it writes (its checkpoint and report live there), and its trigger from the config.
import type { ContinuousConfig } from '../../../config/schema.js';
import { MANIFEST_PREFIX } from '../../../datagen/datagen-task.js';
import type { BatchStage } from '../../../model/stage-report.js';
import type { StreamingJob } from '../../streaming.js';
import type { ClusterSettings } from '../manifests/cluster-settings.js';

export type StreamingJobDefinition = {
  job: StreamingJob;
  script: string;
  /** The batch stage whose job document (tables, catalog, SQL adapted to Spark) this job reads. */
  documentOf: BatchStage;
  writer: keyof ClusterSettings['buckets'];
  triggerSeconds(c: ContinuousConfig): number;
};

export const STREAMING_JOB_DEFINITIONS: readonly StreamingJobDefinition[] = [
  { job: 'bronze-ingest', script: 'bronze_ingest.py', documentOf: 'bronze-verify', writer: 'bronze', triggerSeconds: (c) => c.triggers.bronzeSeconds },
  { job: 'silver-stream', script: 'silver_stream.py', documentOf: 'silver-build', writer: 'silver', triggerSeconds: (c) => c.triggers.silverSeconds },
  { job: 'gold-refresh', script: 'gold_refresh.py', documentOf: 'gold-finalize', writer: 'gold', triggerSeconds: (c) => c.triggers.goldRefreshSeconds },
];

/** The entries of the files a run landed (with `landed_at`), apart from the base manifest's. */
export const landingEntriesPrefix = (runId: string): string => `${MANIFEST_PREFIX}landing/${runId}/`;

/** `<checkpointBase>/<run-id>/<job>/` in the job's writer bucket (docs/pipeline.md §8.1): a new run never inherits an old checkpoint. */
export const checkpointPrefix = (c: ContinuousConfig, runId: string, job: StreamingJob): string => `${c.checkpointBase.replace(/\/+$/, '')}/${runId}/${job}/`;

/** The job's report (the streaming job report schema), next to its checkpoint. */
export const reportKey = (c: ContinuousConfig, runId: string, job: StreamingJob): string => `${checkpointPrefix(c, runId, job)}report.json`;

/**
 * Streaming jobs restart on failure (docs/pipeline.md §9.3), with the operator's OnFailure policy and
 * not Always: under Always (operator v2.5.2, pkg/util ShouldRetry) a job that stops cleanly at the
 * run's duration is submitted again, and a job that crashes forever is never given up on, so the
 * runner could not tell "stopped at the duration" from "died". The operator waits attempts ×
 * interval before each retry (linear back-off).
 */
export const STREAMING_RETRIES = 10;
export const STREAMING_RETRY_INTERVAL_S = 10;
