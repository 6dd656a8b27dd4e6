// The job document of a streaming job (spark-scripts/lakebench_config.py parses it): the batch job
// document of the stage whose tables and SQL the job uses (spark-jobs/job-config.ts, so the transforms
// exist once), with `stage` naming the streaming job (bronze.uri, the data prefix, is where files
// land), `metrics_uri` the job's report next to its checkpoint, and a `streaming` object with the trigger,
// duration, checkpoint and bronze_raw table. No secrets, as in every job document.
import { z } from 'zod';
import type { LakebenchConfig } from '../../../config/schema.js';
import { BRONZE_COLUMNS } from '../../../datagen/columns.js';
import type { Manifest } from '../../../datagen/manifest.js';
import { BRONZE_RAW_TABLE } from '../../../model/tables.js';
import { SPARK_BRONZE_TYPES } from '../../../spark-jobs/bronze-judge.js';
import { bronzeManifestUri, BRONZE_VIEW, buildSparkJobConfig, type SparkJobConfig } from '../../../spark-jobs/job-config.js';
import { goldSelect } from '../../../sql/gold.js';
import { adapt } from '../../../sql/dialect.js';
import type { StreamingJob } from '../../streaming.js';
import type { ClusterSettings } from '../manifests/cluster-settings.js';
import { checkpointPrefix, reportKey, type StreamingJobDefinition } from './streaming-jobs.js';
import { selfStopSeconds } from './streams-up.js';

/** bronze-ingest and silver-stream poll for their input this often (docs/pipeline.md §8.1), or at their trigger when it is shorter. */
export const INPUT_POLL_SECONDS = 15;
/** …and give up after this long (30 min), or at the run's end when that comes first. */
export const INPUT_WAIT_SECONDS = 1800;
/** The view gold-refresh registers over one pinned silver snapshot; its gold SELECT reads it. */
export const GOLD_REFRESH_SILVER_VIEW = 'lakebench_silver_pinned';

const table = z.strictObject({ ident: z.string().min(1), location: z.string().min(1).nullable() });
export const streamingSettingsSchema = z.strictObject({
  trigger_seconds: z.number().positive(),
  duration_seconds: z.number().min(1),
  checkpoint_uri: z.string().regex(/^s3a:\/\/[^/]+\/.+\/$/, 'an s3a:// folder URI ending in /'),
  poll_seconds: z.number().min(0.1),
  wait_seconds: z.number().nonnegative(),
  bronze_raw: table,
  max_files_per_trigger: z.number().int().min(1).optional(),
  /** Spark DDL of the declared 41 bronze columns: bronze_raw never takes a schema inferred from a file. */
  bronze_schema: z.string().min(1).optional(),
  silver_view: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
});
export type StreamingSettings = z.infer<typeof streamingSettingsSchema>;

export type StreamingJobDocument = Omit<SparkJobConfig, 'stage' | 'sql'> & { stage: StreamingJob; sql: Record<string, string>; streaming: StreamingSettings };

/** The declared bronze schema as Spark DDL (`id bigint, row_id bigint, …`). */
export const bronzeSparkDdl = (): string => BRONZE_COLUMNS.map((c) => `${c.name} ${SPARK_BRONZE_TYPES[c.type]}`).join(', ');

/** bronze_raw in the bronze bucket (docs/pipeline.md §8.1): an explicit location, or a path-based Delta table. */
export function bronzeRawTable(s: Pick<ClusterSettings, 'catalog' | 'buckets' | 'tableFormat'>): StreamingSettings['bronze_raw'] {
  const { schema, name } = BRONZE_RAW_TABLE;
  if (s.tableFormat === 'delta') {
    const location = `s3a://${s.buckets.bronze}/delta/${schema}/${name}`;
    return { ident: `delta.\`${location}\``, location };
  }
  const location = s.catalog.kind === 'rest' ? `s3://${s.buckets.bronze}/${schema}/${name}` : `s3a://${s.buckets.bronze}/warehouse/${schema}.db/${name}`;
  return { ident: `${s.catalog.name}.${schema}.${name}`, location };
}

export type StreamingDocumentInput = { config: LakebenchConfig; scale: number; runId: string; referenceDate: string; manifest: Manifest; resources: { executors: number; cores: number } };

export function streamingJobDocument(def: StreamingJobDefinition, s: ClusterSettings, input: StreamingDocumentInput): StreamingJobDocument {
  const c = input.config.continuous;
  const batch = buildSparkJobConfig(def.documentOf, { config: { ...input.config, scale: input.scale }, runId: input.runId, referenceDate: input.referenceDate, manifest: input.manifest }, {
    storage: { endpoint: s.storage.endpoint, region: s.storage.region, path_style: s.storage.pathStyle },
    buckets: s.buckets,
    catalog: s.catalog,
    tableFormat: s.tableFormat,
    metricsUri: `s3a://${s.buckets[def.writer]}/${reportKey(c, input.runId, def.job)}`,
    manifestUri: bronzeManifestUri(s.buckets.bronze),
    resources: input.resources,
  });
  const trigger = def.triggerSeconds(c);
  const streaming = streamingSettingsSchema.parse({
    trigger_seconds: trigger,
    duration_seconds: selfStopSeconds(c),
    checkpoint_uri: `s3a://${s.buckets[def.writer]}/${checkpointPrefix(c, input.runId, def.job)}`,
    poll_seconds: Math.max(0.1, Math.min(INPUT_POLL_SECONDS, trigger)),
    wait_seconds: Math.min(INPUT_WAIT_SECONDS, c.durationSeconds),
    bronze_raw: bronzeRawTable(s),
    ...(def.job === 'bronze-ingest' ? { max_files_per_trigger: c.maxFilesPerTrigger, bronze_schema: bronzeSparkDdl() } : {}),
    ...(def.job === 'gold-refresh' ? { silver_view: GOLD_REFRESH_SILVER_VIEW } : {}),
  });
  const { stage: _batchStage, sql, ...shared } = batch;
  return { ...shared, stage: def.job, sql: streamingSql(def.job, sql, batch), streaming };
}

/** The SQL the streaming job runs: silver-build's for silver-stream, gold-finalize's over the pinned silver view for gold-refresh. */
function streamingSql(job: StreamingJob, sql: SparkJobConfig['sql'], batch: SparkJobConfig): Record<string, string> {
  if (job === 'silver-stream' && 'silver_select' in sql) return { silver_select: sql.silver_select };
  if (job === 'gold-refresh') return { gold_select: adapt(goldSelect(), 'spark', { bronze: BRONZE_VIEW, silver: GOLD_REFRESH_SILVER_VIEW, gold: batch.tables.gold.ident }) };
  return {};
}
