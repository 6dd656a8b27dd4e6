// `lakebench cleanup` in the seed's destruction order: Spark jobs first, then Iceberg maintenance
// (expire snapshots, remove orphan files), DROP TABLEs, then the layer buckets emptied (deleted only
// when asked). Every step tolerates what an earlier, partial cleanup already removed, and a failed
// step is reported without stopping the ones after it, so re-running is always safe.
//
// The table steps are the same for every query engine; only their statements differ, per dialect
// (TABLE_SQL below). What the engines do with them:
//
// Trino 476 (test/engines/cleanup-trino.test.ts runs this file against it):
// - `EXECUTE expire_snapshots / remove_orphan_files(retention_threshold => '0s')` is refused
//   (INVALID_PROCEDURE_ARGUMENT) unless the catalog lowers `iceberg.expire-snapshots.min-retention`
//   and `iceberg.remove-orphan-files.min-retention` (default 7d); the chart sets both to 0s. A
//   refusal is a failed step, never reported as done.
// - remove_orphan_files only looks under the table's data/ and metadata/ folders; DROP TABLE then
//   deletes the table's files through the catalog.
// - A table whose files were deleted under it can no longer be loaded, maintained or dropped
//   (ICEBERG_CATALOG_ERROR "Failed to load table"), so a bucket holding Iceberg metadata is emptied
//   only after the DROPs succeeded; otherwise a re-run could never remove those tables.
//
// The Spark Thrift server, Iceberg 1.10's Spark procedures (test/engines/cleanup-spark-thrift.test.ts):
// - `CALL <catalog>.system.expire_snapshots(table => 'schema.table', older_than => now, retain_last => 1)`
//   has no minimum interval.
// - `remove_orphan_files` refuses an `older_than` less than 24 hours before the server's clock
//   (IllegalArgumentException; only `spark.testing`, which SET refuses to change, lifts it), so it is
//   given now - 25 h (an hour of margin for clock skew): it removes the orphans older than that, and
//   younger ones go when the bucket is emptied. `prefix_listing => true` lists through the table's
//   own FileIO (S3FileIO in the tests, the chart's HadoopFileIO), so listing works wherever reading
//   does; without it the procedure needs a Hadoop FileSystem for the location's scheme, which fails
//   for s3:// when no `fs.s3.impl` is set ("No FileSystem for scheme"). Its default `equal_schemes`
//   (s3a, s3n = s3) covers metadata written as s3a://.
// - `DROP TABLE` without PURGE only removes the catalog entry (SparkCatalog.dropTable), leaving every
//   file; with PURGE it drops the entry and then deletes every file reachable from the last metadata
//   (all metadata files of its log, manifest lists, manifests, data files). Orphans stay for the
//   bucket step. A table whose files are gone cannot be loaded for PURGE either: same bucket rule.
// - A missing table is `[TABLE_OR_VIEW_NOT_FOUND]` (SQLSTATE 42P01), also for its `.snapshots`
//   metadata table; a CALL on a missing table fails with "Couldn't load table", so every table step
//   probes the snapshot count first.
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { QueryEngine, QueryFailure, QuerySuccess } from '../../engines/engine.js';
import type { KubeClient } from './client.js';
import { hasStatus } from './client.js';
import { deleteSparkApplication, SPARK_GROUP, SPARK_PLURAL, SPARK_VERSION } from './spark-monitor.js';
import type { ClusterSettings } from './manifests/cluster-settings.js';
import { DATAGEN_JOB_NAME } from './manifests/labels.js';
import { listed, parseItems, sparkAppSchema } from './objects.js';

export type CleanupStep = { step: string; ok: boolean; detail: string };
export type CleanupOptions = { deleteBuckets: boolean; log: (line: string) => void };

async function step(out: CleanupStep[], log: (l: string) => void, name: string, fn: () => Promise<string>): Promise<boolean> {
  try {
    const detail = await fn();
    out.push({ step: name, ok: true, detail });
    log(`${name}: ${detail}`);
    return true;
  } catch (e) {
    out.push({ step: name, ok: false, detail: (e as Error).message });
    log(`${name}: FAILED: ${(e as Error).message}`);
    return false;
  }
}

export async function cleanup(client: KubeClient, s: ClusterSettings, engine: () => Promise<QueryEngine>, opts: CleanupOptions): Promise<CleanupStep[]> {
  const out: CleanupStep[] = [];
  await step(out, opts.log, 'spark applications', async () => {
    const raw = await client.call('sparkapplication list', () =>
      client.custom.listNamespacedCustomObject({ group: SPARK_GROUP, version: SPARK_VERSION, namespace: client.namespace, plural: SPARK_PLURAL, labelSelector: `app.kubernetes.io/instance=${s.release},app.kubernetes.io/part-of=lakebench` }),
    );
    const apps = parseItems(sparkAppSchema, listed(raw).items).map((a) => a.metadata.name);
    for (const name of apps) await deleteSparkApplication(client, name);
    return apps.length ? `deleted ${apps.join(', ')}` : 'none';
  });
  await step(out, opts.log, 'datagen job', async () => {
    try {
      await client.call('job delete', () => client.batch.deleteNamespacedJob({ namespace: client.namespace, name: DATAGEN_JOB_NAME, propagationPolicy: 'Background' }));
      return `deleted ${DATAGEN_JOB_NAME}`;
    } catch (e) {
      if (hasStatus(e, 404)) return 'none';
      throw e;
    }
  });

  // Delta tables are not dropped here (no catalog DROP step): their files go with the buckets.
  let tablesDropped = s.tableFormat !== 'iceberg';
  if (s.tableFormat === 'iceberg') {
    let qe: QueryEngine | undefined;
    await step(out, opts.log, 'query engine', async () => {
      const opened = await engine();
      try {
        tableSql(opened);
        const detail = `${opened.type} ${await opened.version()}`;
        qe = opened;
        return detail;
      } catch (e) {
        await opened.close();
        throw e;
      }
    });
    if (qe) {
      const conn = qe;
      try {
        const tables = [conn.tables.gold, conn.tables.silver];
        for (const t of tables) await step(out, opts.log, `maintenance ${t}`, () => maintainTable(conn, t));
        let dropped = true;
        for (const t of tables) dropped = (await step(out, opts.log, `drop ${t}`, () => dropTable(conn, t))) && dropped;
        tablesDropped = dropped;
      } finally {
        await conn.close();
      }
    }
  }

  const s3 = new S3Client({ endpoint: s.storage.endpoint, region: s.storage.region, forcePathStyle: s.storage.pathStyle, maxAttempts: 5, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  try {
    for (const bucket of [s.buckets.bronze, s.buckets.silver, s.buckets.gold]) {
      const emptied = await step(out, opts.log, `empty ${bucket}`, () => emptyBucket(s3, bucket, { keepIcebergMetadata: !tablesDropped }));
      if (!opts.deleteBuckets) continue;
      await step(out, opts.log, `delete ${bucket}`, async () => {
        if (!emptied) throw new Error('not attempted: the bucket was not emptied');
        return deleteBucket(s3, bucket);
      });
    }
  } finally {
    s3.destroy();
  }
  return out;
}

const failed = (r: QueryFailure) => `${r.error.code}: ${r.error.message}`;

/** The statements of the table steps in one dialect: the steps themselves are written once. */
type TableSql = {
  /** One row, one column: the table's snapshot count. */
  snapshotCount(table: string): string;
  /** Run in order, each even if the one before failed; `summary` says what the result rows report. */
  maintenance: { procedure: string; sql(table: string, now: Date): string; summary?(r: QuerySuccess): string }[];
  /** Drops the table and deletes its files; no error when it is already gone. */
  drop(table: string): string;
  /** The failure says the table (or its schema) does not exist. */
  absent(r: QueryFailure): boolean;
};

/** `catalog.schema.table` → ['catalog', 'schema.table']. */
function splitCatalog(table: string): [string, string] {
  const dot = table.indexOf('.');
  return [table.slice(0, dot), table.slice(dot + 1)];
}

/** `catalog.schema."table$suffix"`: a Trino Iceberg metadata table of `catalog.schema.table`. */
function trinoMetadataTable(table: string, suffix: string): string {
  const dot = table.lastIndexOf('.');
  return `${table.slice(0, dot)}."${table.slice(dot + 1)}$${suffix}"`;
}

/** A Spark timestamp literal of the instant, with its zone, so the session time zone does not matter. */
const sparkTimestamp = (t: Date) => `TIMESTAMP '${t.toISOString()}'`;
const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;
/** Spark's remove_orphan_files refuses an older_than less than 24 h ago; one hour of margin for clock skew. */
export const SPARK_ORPHAN_MIN_AGE_HOURS = 25;

const TABLE_SQL: Record<'trino' | 'spark', TableSql> = {
  trino: {
    snapshotCount: (table) => `SELECT count(*) FROM ${trinoMetadataTable(table, 'snapshots')}`,
    maintenance: ['expire_snapshots', 'remove_orphan_files'].map((procedure) => ({
      procedure,
      sql: (table: string) => `ALTER TABLE ${table} EXECUTE ${procedure}(retention_threshold => '0s')`,
    })),
    drop: (table) => `DROP TABLE IF EXISTS ${table}`,
    absent: (r) => r.error.code === 'TABLE_NOT_FOUND' || r.error.code === 'SCHEMA_NOT_FOUND',
  },
  spark: {
    snapshotCount: (table) => `SELECT count(*) FROM ${table}.snapshots`,
    maintenance: [
      {
        procedure: 'expire_snapshots',
        sql: (table, now) => {
          const [catalog, name] = splitCatalog(table);
          return `CALL ${catalog}.system.expire_snapshots(table => ${sqlString(name)}, older_than => ${sparkTimestamp(now)}, retain_last => 1)`;
        },
        summary: (r) => {
          const i = r.columns.indexOf('deleted_data_files_count');
          return i < 0 ? '' : ` (${String(r.rows[0]?.[i] ?? 0)} data files deleted)`;
        },
      },
      {
        procedure: 'remove_orphan_files',
        sql: (table, now) => {
          const [catalog, name] = splitCatalog(table);
          const olderThan = new Date(now.getTime() - SPARK_ORPHAN_MIN_AGE_HOURS * 3_600_000);
          return `CALL ${catalog}.system.remove_orphan_files(table => ${sqlString(name)}, older_than => ${sparkTimestamp(olderThan)}, prefix_listing => true)`;
        },
        summary: (r) => ` (orphan files older than ${SPARK_ORPHAN_MIN_AGE_HOURS} h removed: ${r.rows.length}; younger ones go with the bucket)`,
      },
    ],
    drop: (table) => `DROP TABLE IF EXISTS ${table} PURGE`,
    absent: (r) => /\[(TABLE_OR_VIEW_NOT_FOUND|SCHEMA_NOT_FOUND)\]/.test(r.error.message),
  },
};

/** The table steps' statements for the engine's dialect; an engine without them fails the step by name. */
export function tableSql(qe: Pick<QueryEngine, 'type' | 'dialect'>): TableSql {
  if (qe.dialect === 'trino' || qe.dialect === 'spark') return TABLE_SQL[qe.dialect];
  throw new Error(`cleanup has no Iceberg maintenance or DROP statements for ${qe.type} (dialect ${qe.dialect}); use trino or spark-thrift`);
}

/** The table's snapshot count, or null when the table does not exist. Other failures throw. */
async function snapshotCount(qe: QueryEngine, table: string): Promise<number | null> {
  const sql = tableSql(qe);
  const r = await qe.execute(sql.snapshotCount(table), { timeoutSeconds: 120 });
  if (!r.ok) {
    if (sql.absent(r)) return null;
    throw new Error(failed(r));
  }
  return Number(r.rows[0]?.[0]);
}

/**
 * Expires every snapshot but the current one, then removes the files no snapshot references (on
 * Spark only those older than SPARK_ORPHAN_MIN_AGE_HOURS). Both run even if the first fails; any
 * failure (e.g. the catalog's minimum retention refusing '0s') fails the step with the engine's
 * message, which names what to change.
 */
export async function maintainTable(qe: QueryEngine, table: string): Promise<string> {
  const sql = tableSql(qe);
  const before = await snapshotCount(qe, table);
  if (before === null) return 'skipped (table absent)';
  const done: string[] = [];
  const errors: string[] = [];
  for (const m of sql.maintenance) {
    const r = await qe.execute(m.sql(table, new Date()), { timeoutSeconds: 3600 });
    if (r.ok) done.push(`${m.procedure} done${m.summary?.(r) ?? ''}`);
    else errors.push(`${m.procedure} failed: ${failed(r)}`);
  }
  const after = await snapshotCount(qe, table);
  done.push(`snapshots ${before} -> ${after ?? 'table gone'}`);
  if (errors.length) throw new Error([...errors, ...done].join('; '));
  return done.join(', ');
}

/** DROP TABLE IF EXISTS (with PURGE on Spark); says whether there was a table to drop. */
export async function dropTable(qe: QueryEngine, table: string): Promise<string> {
  const sql = tableSql(qe);
  // A table that cannot even be probed counts as present: the DROP's own error then says why.
  const existed = await snapshotCount(qe, table).then((n) => n !== null, () => true);
  const r = await qe.execute(sql.drop(table), { timeoutSeconds: 600 });
  if (!r.ok) throw new Error(failed(r));
  return existed ? 'dropped' : 'absent';
}

const noBucket = (e: unknown) => e instanceof S3ServiceException && (e.name === 'NoSuchBucket' || e.$metadata.httpStatusCode === 404);

/**
 * Deletes every object of the bucket. With keepIcebergMetadata (tables not known to be dropped) a
 * bucket holding an Iceberg `*.metadata.json` is left untouched and the step fails instead.
 */
export async function emptyBucket(s3: S3Client, bucket: string, opts: { keepIcebergMetadata?: boolean } = {}): Promise<string> {
  let removed = 0;
  try {
    if (opts.keepIcebergMetadata) {
      const metadata = await findIcebergMetadata(s3, bucket);
      if (metadata) {
        throw new Error(
          `kept: it holds Iceberg table metadata (${metadata}) and the tables were not dropped; emptying it now would leave catalog entries that can no longer be loaded or dropped. Fix the failed step and re-run`,
        );
      }
    }
    for (;;) {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }));
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length === 0) break;
      const res = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
      if (res.Errors?.length) throw new Error(`${res.Errors.length} objects could not be deleted, first: ${res.Errors[0]?.Key} (${res.Errors[0]?.Code})`);
      removed += keys.length;
    }
  } catch (e) {
    if (noBucket(e)) return 'no such bucket';
    throw e;
  }
  return `${removed} objects deleted`;
}

/** The first `*.metadata.json` key in the bucket, or null. */
async function findIcebergMetadata(s3: S3Client, bucket: string): Promise<string | null> {
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000, ContinuationToken: token }));
    const hit = (page.Contents ?? []).find((o) => o.Key?.endsWith('.metadata.json'));
    if (hit?.Key) return `s3://${bucket}/${hit.Key}`;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return null;
}

async function deleteBucket(s3: S3Client, bucket: string): Promise<string> {
  try {
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    return 'deleted';
  } catch (e) {
    if (noBucket(e)) return 'already gone';
    throw e;
  }
}
