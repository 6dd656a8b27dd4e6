// The catalog part of `lakebench cleanup`, through the run's query engine: Iceberg maintenance
// (expire snapshots, remove orphan files), then DROP TABLE. The maintenance statements are written
// here once per dialect, with the retention as a parameter: cleanup uses 0 s, and a continuous run's
// retention and compaction passes (streaming/streaming-maintenance.ts, docs/pipeline.md §8.3) use
// the configured threshold and add the compaction (Trino `optimize`, Spark `rewrite_data_files`).
//
// The table steps are the same for every query engine; only their statements differ, per dialect
// (TABLE_SQL below). What the engines do with them:
//
// Trino 476 (test/engines/cleanup-trino.test.ts runs these steps against it):
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
// - `CALL <catalog>.system.expire_snapshots(table => 'schema.table', older_than => now - retention, retain_last => 1)`
//   has no minimum interval.
// - `remove_orphan_files` refuses an `older_than` less than 24 hours before the server's clock
//   (IllegalArgumentException; only `spark.testing`, which SET refuses to change, lifts it), so it is
//   given now - 25 h (an hour of margin for clock skew) or the retention when that is older: it
//   removes the orphans older than that, and in cleanup younger ones go when the bucket is emptied.
//   `prefix_listing => true` lists through the table's own FileIO (S3FileIO in the tests, the
//   chart's HadoopFileIO), so listing works wherever reading does; without it the procedure needs a
//   Hadoop FileSystem for the location's scheme, which fails for s3:// when no `fs.s3.impl` is set
//   ("No FileSystem for scheme"). Its default `equal_schemes` (s3a, s3n = s3) covers metadata
//   written as s3a://.
// - A continuous run's passes issue REFRESH TABLE first: the Thrift server's catalog caches a loaded
//   table per session, and orphan removal judged against stale metadata would take newly committed
//   files for orphans.
// - `DROP TABLE` without PURGE only removes the catalog entry (SparkCatalog.dropTable), leaving every
//   file; with PURGE it drops the entry and then deletes every file reachable from the last metadata
//   (all metadata files of its log, manifest lists, manifests, data files). Orphans stay for the
//   bucket step. A table whose files are gone cannot be loaded for PURGE either: same bucket rule.
// - A missing table is `[TABLE_OR_VIEW_NOT_FOUND]` (SQLSTATE 42P01), also for its `.snapshots`
//   metadata table; a CALL on a missing table fails with "Couldn't load table", so every table step
//   probes the snapshot count first.
import type { QueryEngine, QueryFailure, QuerySuccess } from '../../engines/engine.js';
import type { MaintenanceAction as MaintenanceProcedure } from '../../model/continuous-maintenance.js';

const failed = (r: QueryFailure) => `${r.error.code}: ${r.error.message}`;

/** What cleanup runs before a DROP: retention at 0 s, no compaction (the table goes next). */
const CLEANUP_PROCEDURES = ['expire_snapshots', 'remove_orphan_files'] as const;

type ProcedureSql = {
  /**
   * The statement; `retentionSeconds` is the age below which snapshots and orphan files stay (0 in
   * cleanup, continuous.maintenance.retentionThresholdSeconds while streaming); compaction ignores it.
   */
  sql(table: string, now: Date, retentionSeconds: number): string;
  /** The age the statement really uses: Spark's orphan removal raises it to SPARK_ORPHAN_MIN_AGE_HOURS. */
  olderThanSeconds(retentionSeconds: number): number | null;
};

/** The statements of the table steps in one dialect: the steps themselves are written once. */
type TableSql = {
  /** One row, one column: the table's snapshot count. */
  snapshotCount(table: string): string;
  /** Run before a table's procedures so they see its newest metadata, not a session's cached copy. */
  refresh?(table: string): string;
  procedures: Record<MaintenanceProcedure, ProcedureSql>;
  /** What cleanup's step detail says about a procedure's result rows. */
  cleanupSummary: Partial<Record<MaintenanceProcedure, (r: QuerySuccess) => string>>;
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
/** Trino's optimize rewrites the files below this size (docs/pipeline.md §7: 128 MB; Trino's own default is 100 MB). */
export const TRINO_OPTIMIZE_FILE_SIZE_THRESHOLD = '128MB';
const before = (now: Date, seconds: number) => new Date(now.getTime() - seconds * 1000);
const sameAge = (s: number) => s;

const trinoRetention = (procedure: 'expire_snapshots' | 'remove_orphan_files'): ProcedureSql => ({
  sql: (table, _now, retentionSeconds) => `ALTER TABLE ${table} EXECUTE ${procedure}(retention_threshold => '${retentionSeconds}s')`,
  olderThanSeconds: sameAge,
});

const TABLE_SQL: Record<'trino' | 'spark', TableSql> = {
  trino: {
    snapshotCount: (table) => `SELECT count(*) FROM ${trinoMetadataTable(table, 'snapshots')}`,
    procedures: {
      expire_snapshots: trinoRetention('expire_snapshots'),
      remove_orphan_files: trinoRetention('remove_orphan_files'),
      rewrite_data_files: { sql: (table) => `ALTER TABLE ${table} EXECUTE optimize(file_size_threshold => '${TRINO_OPTIMIZE_FILE_SIZE_THRESHOLD}')`, olderThanSeconds: () => null },
    },
    cleanupSummary: {},
    drop: (table) => `DROP TABLE IF EXISTS ${table}`,
    absent: (r) => r.error.code === 'TABLE_NOT_FOUND' || r.error.code === 'SCHEMA_NOT_FOUND',
  },
  spark: {
    snapshotCount: (table) => `SELECT count(*) FROM ${table}.snapshots`,
    refresh: (table) => `REFRESH TABLE ${table}`,
    procedures: {
      expire_snapshots: {
        sql: (table, now, retentionSeconds) => {
          const [catalog, name] = splitCatalog(table);
          return `CALL ${catalog}.system.expire_snapshots(table => ${sqlString(name)}, older_than => ${sparkTimestamp(before(now, retentionSeconds))}, retain_last => 1)`;
        },
        olderThanSeconds: sameAge,
      },
      remove_orphan_files: {
        sql: (table, now, retentionSeconds) => {
          const [catalog, name] = splitCatalog(table);
          return `CALL ${catalog}.system.remove_orphan_files(table => ${sqlString(name)}, older_than => ${sparkTimestamp(before(now, Math.max(retentionSeconds, SPARK_ORPHAN_MIN_AGE_HOURS * 3600)))}, prefix_listing => true)`;
        },
        olderThanSeconds: (s) => Math.max(s, SPARK_ORPHAN_MIN_AGE_HOURS * 3600),
      },
      // Iceberg's default strategy (binpack) towards the table's write.target-file-size-bytes.
      rewrite_data_files: {
        sql: (table) => {
          const [catalog, name] = splitCatalog(table);
          return `CALL ${catalog}.system.rewrite_data_files(table => ${sqlString(name)})`;
        },
        olderThanSeconds: () => null,
      },
    },
    cleanupSummary: {
      expire_snapshots: (r) => {
        const i = r.columns.indexOf('deleted_data_files_count');
        return i < 0 ? '' : ` (${String(r.rows[0]?.[i] ?? 0)} data files deleted)`;
      },
      remove_orphan_files: (r) => ` (orphan files older than ${SPARK_ORPHAN_MIN_AGE_HOURS} h removed: ${r.rows.length}; younger ones go with the bucket)`,
    },
    drop: (table) => `DROP TABLE IF EXISTS ${table} PURGE`,
    absent: (r) => /\[(TABLE_OR_VIEW_NOT_FOUND|SCHEMA_NOT_FOUND)\]/.test(r.error.message),
  },
};

/** The table steps' statements for the engine's dialect; an engine without them fails the step by name. */
export function tableSql(qe: Pick<QueryEngine, 'type' | 'dialect'>): TableSql {
  if (qe.dialect === 'trino' || qe.dialect === 'spark') return TABLE_SQL[qe.dialect];
  throw new Error(`there are no Iceberg maintenance or DROP statements for ${qe.type} (dialect ${qe.dialect}); use trino or spark-thrift`);
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
  for (const procedure of CLEANUP_PROCEDURES) {
    const r = await qe.execute(sql.procedures[procedure].sql(table, new Date(), 0), { timeoutSeconds: 3600 });
    if (r.ok) done.push(`${procedure} done${sql.cleanupSummary[procedure]?.(r) ?? ''}`);
    else errors.push(`${procedure} failed: ${failed(r)}`);
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
