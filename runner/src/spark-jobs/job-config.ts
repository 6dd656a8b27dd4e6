// The one contract between the runner and the PySpark jobs in spark-scripts/ (docs/pipeline.md §2.1): a
// JSON document the runner fills and each job validates again on its side (lakebench_config.py).
// It carries the stage SQL already adapted to Spark, so the transforms exist once (runner/src/sql);
// the Python only registers bronze, writes the tables and reports. No secrets: credentials are
// environment variables, named here where they are not the standard AWS_* ones.
// bronze-verify's gates are judged by the runner (bronze-judge.ts, with model/bronze-checks.ts): the job
// returns raw observations in extras.observations and leaves `validation` null.
// Bronze is named by reference, never listed: the document points at the datagen manifest in the
// bronze bucket and carries its file count, totals and fingerprint; the job reads that manifest and
// refuses one that differs (MANIFEST_MISMATCH). So the document's size does not grow with scale and
// fits a ConfigMap (1 MiB) at every scale.
import { z } from 'zod';
import type { LakebenchConfig } from '../config/schema.js';
import { adapt, type TableNames } from '../sql/dialect.js';
import type { BatchStage } from '../model/stage-report.js';
import { LAYER_TABLES, qualifiedTable, type LayerTableName } from '../model/tables.js';
import { sparkStageJob, type StageInput } from './stage-jobs.js';
import { MANIFEST_KEY } from '../datagen/datagen-task.js';

export const CONTRACT_VERSION = 2;
/** The temp view the jobs register bronze under; the stage SQL reads it as `{bronze}`. */
export const BRONZE_VIEW = 'lakebench_bronze';

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name');
const name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/);

export const catalogSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('rest'),
    name,
    uri: z.url(),
    warehouse: z.string().min(1).nullable(),
    /** OAuth2 client credentials (Polaris): `client_id:client_secret` read from this variable. */
    oauth2: z.strictObject({ credential_env: envName, server_uri: z.url().nullable(), scope: z.string().min(1).nullable() }).nullable(),
  }),
  z.strictObject({ kind: z.literal('hive'), name, uri: z.string().regex(/^thrift:\/\//, 'thrift://host:port'), warehouse: z.string().min(1) }),
  z.strictObject({
    kind: z.literal('jdbc'),
    name,
    uri: z.string().regex(/^jdbc:/, 'a JDBC URL'),
    warehouse: z.string().min(1),
    user_env: envName.nullable(),
    password_env: envName.nullable(),
  }),
]);
export type CatalogSettings = z.infer<typeof catalogSchema>;

export const storageSchema = z.strictObject({ endpoint: z.url(), region: z.string().min(1), path_style: z.boolean() });

const tableSchema = z.strictObject({
  /** How SQL names the table: `lakehouse.silver.x`, or delta.`s3a://…` for a path-based Delta table. */
  ident: z.string().min(1),
  /** Where a Delta table lives; null for catalog (Iceberg) tables. */
  location: z.string().nullable(),
});

const common = {
  contract_version: z.literal(CONTRACT_VERSION),
  run_id: z.string().min(1),
  scale: z.number().positive(),
  reference_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** A local path or an s3a:// URI; the job writes its stage report (stage-report.ts) there. */
  metrics_uri: z.string().min(1),
  table_format: z.enum(['iceberg', 'delta']),
  storage: storageSchema,
  catalog: catalogSchema,
  tables: z.strictObject({ silver: tableSchema, gold: tableSchema }),
  bronze: z.strictObject({
    uri: z.string().regex(/\/$/, 'a folder URI ending in /'),
    view: name,
    /** The datagen manifest (manifest.ts) the job takes bronze's file list from, and what it must say. */
    manifest: z.strictObject({
      /** An s3a:// URI (a cluster: `s3a://<bronze bucket>/customer/_manifest/manifest.json`) or a local path. */
      uri: z.string().min(1).regex(/[^/]$/, 'a file, not a folder'),
      /** totals.file_count and the length of files[]. */
      files: z.number().int().nonnegative(),
      total_rows: z.number().int().nonnegative(),
      total_bytes: z.number().int().nonnegative(),
      /** data_fingerprint; null: not checked. */
      fingerprint: z.string().min(1).nullable(),
    }),
  }),
  resources: z.strictObject({ executors: z.number().int().min(1), cores: z.number().int().min(1) }),
  /** Extra runtime Spark SQL settings; they win over the job's tuning (docs/pipeline.md §9.4). */
  spark_conf: z.record(z.string(), z.string()),
};

export const sparkJobConfigSchema = z.discriminatedUnion('stage', [
  z.strictObject({
    ...common,
    stage: z.literal('bronze-verify'),
    sql: z.strictObject({ observations: z.string(), counts_by_interaction_type: z.string(), counts_by_channel: z.string() }),
  }),
  z.strictObject({
    ...common,
    stage: z.literal('silver-build'),
    sql: z.strictObject({ silver_select: z.string() }),
    silver: z.strictObject({
      strategy: z.enum(['auto', 'simple', 'streaming', 'chunked', 'salted']),
      distribution_mode: z.enum(['hash', 'none', 'range']),
      target_file_size_bytes: z.number().int().positive(),
      simple_threshold_bytes: z.number().positive(),
      chunked_threshold_bytes: z.number().positive(),
      chunk_size_bytes: z.number().positive(),
      skew_threshold: z.number().positive(),
      enable_salting: z.boolean(),
      /** silver.sizeGb: a configured size skips profiling. */
      size_bytes_override: z.number().positive().nullable(),
      /** Every sample_step-th row id is profiled (≤ 1,000,000 rows). */
      sample_step: z.number().int().min(1),
    }),
  }),
  z.strictObject({
    ...common,
    stage: z.literal('gold-finalize'),
    sql: z.strictObject({
      gold_select: z.string(),
      self_checks: z.array(z.strictObject({ name: z.string(), gold: z.string(), silver: z.string() })),
    }),
    gold: z.strictObject({ target_file_size_bytes: z.number().int().positive() }),
  }),
]);
export type SparkJobConfig = z.infer<typeof sparkJobConfigSchema>;
/** The fields every stage's document carries; the rest are the stage's own (stage-jobs.ts). */
export type SparkSharedKey = keyof typeof common | 'stage';

/** Everything about the cluster the document needs that the run context does not say. */
export type SparkJobSettings = {
  storage: z.infer<typeof storageSchema>;
  buckets: { bronze: string; silver: string; gold: string };
  catalog: CatalogSettings;
  tableFormat: 'iceberg' | 'delta';
  metricsUri: string;
  resources: { executors: number; cores: number };
  /** Default `s3a://<bronze bucket>/customer/interactions/` (docs/data.md §2.2). */
  bronzeUri?: string;
  /** Where the job reads the datagen manifest `ctx.manifest` was read from; on a cluster `bronzeManifestUri(bucket)`. */
  manifestUri: string;
  sparkConf?: Record<string, string>;
};

/** The datagen manifest datagen-finalize writes into the bronze bucket (datagen-task.ts), as s3a. */
export const bronzeManifestUri = (bronzeBucket: string): string => `s3a://${bronzeBucket}/${MANIFEST_KEY}`;

/** Iceberg identifiers in the catalog, or path-based Delta tables under each layer's bucket. */
export function tableTargets(s: Pick<SparkJobSettings, 'catalog' | 'buckets' | 'tableFormat'>): SparkJobConfig['tables'] {
  if (s.tableFormat === 'iceberg') {
    return {
      silver: { ident: qualifiedTable('silver', s.catalog.name), location: null },
      gold: { ident: qualifiedTable('gold', s.catalog.name), location: null },
    };
  }
  const delta = (bucket: string, layer: LayerTableName) => {
    const location = `s3a://${bucket}/delta/${LAYER_TABLES[layer].schema}/${LAYER_TABLES[layer].name}`;
    return { ident: `delta.\`${location}\``, location };
  };
  return { silver: delta(s.buckets.silver, 'silver'), gold: delta(s.buckets.gold, 'gold') };
}

/** The document for one stage of one run. */
export function buildSparkJobConfig(stage: BatchStage, ctx: StageInput & { runId: string }, s: SparkJobSettings): SparkJobConfig {
  const m = ctx.manifest;
  const tables = tableTargets(s);
  const names: TableNames = { bronze: BRONZE_VIEW, silver: tables.silver.ident, gold: tables.gold.ident };
  const spark = (sql: string) => adapt(sql, 'spark', names);
  const base = {
    contract_version: CONTRACT_VERSION,
    run_id: ctx.runId,
    scale: ctx.config.scale,
    reference_date: ctx.referenceDate,
    metrics_uri: s.metricsUri,
    table_format: s.tableFormat,
    storage: s.storage,
    catalog: s.catalog,
    tables,
    bronze: {
      uri: s.bronzeUri ?? `s3a://${s.buckets.bronze}/customer/interactions/`,
      view: BRONZE_VIEW,
      manifest: {
        uri: s.manifestUri,
        files: m.totals.file_count,
        total_rows: m.totals.total_rows,
        total_bytes: m.totals.total_bytes,
        fingerprint: m.data_fingerprint || null,
      },
    },
    resources: s.resources,
    spark_conf: s.sparkConf ?? {},
  } as const;
  // The stage's own SQL and settings (stage-jobs.ts, listed in the stage registry).
  const own = sparkStageJob(stage).document(ctx, spark);
  return sparkJobConfigSchema.parse({ ...base, stage, ...own });
}

/** Catalog settings from the user's cluster config (Polaris speaks the Iceberg REST protocol). */
export function catalogFromConfig(c: NonNullable<NonNullable<LakebenchConfig['cluster']>['catalog']>, credentialEnv = 'LAKEBENCH_CATALOG_CREDENTIAL'): CatalogSettings {
  if (c.type === 'hive') return { kind: 'hive', name: c.name, uri: c.uri, warehouse: c.warehouse ?? 's3a://lakebench-silver/warehouse' };
  return { kind: 'rest', name: c.name, uri: c.uri, warehouse: c.warehouse ?? null, oauth2: { credential_env: credentialEnv, server_uri: null, scope: 'PRINCIPAL_ROLE:ALL' } };
}
