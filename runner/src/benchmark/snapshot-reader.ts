// Reads the current snapshot of the silver and gold tables through the query engine, before and after
// the benchmark (docs/results.md §2.3, §3.5). Per engine and table format:
// - Iceberg, Trino: the `main` branch of the `$refs` metadata table (`schema."table$refs"`);
// - Iceberg, Spark Thrift server: the same from Iceberg's `refs` metadata table (`table.refs`);
// - Delta, Trino: the newest version in `$history`; Delta, Spark: `DESCRIBE HISTORY … LIMIT 1`;
// - DuckDB over plain Parquet: there are no snapshots, which is recorded as not applicable.
// The `main` ref is the current snapshot itself, so a rollback is seen as well as a new commit.
// Snapshot ids are 64-bit and above 2^53, so they are read as text. Spark's Iceberg catalog caches
// a loaded table per session (`cache-enabled`), metadata tables included, so a commit by another
// application (a Spark job) would stay invisible to the Thrift server's session: every read on Spark
// is preceded by REFRESH TABLE.
import type { Cell, QueryEngine } from '../engines/engine.js';
import type { BenchmarkSnapshots, TableSnapshot } from '../model/benchmark-snapshots.js';

export type TableFormat = 'iceberg' | 'delta';
type Layer = 'silver' | 'gold';
type Side = { layer: Layer; table: string; id: string | null; error: string | null };
export type SnapshotRead = { status: 'not_applicable'; detail: string } | { status: 'read'; format: TableFormat; sides: Side[] };

const NOT_APPLICABLE = 'the embedded DuckDB engine reads plain Parquet files, which have no snapshots';

/** `catalog.schema.table` → `catalog.schema."table$suffix"`, Trino's metadata-table name. */
function trinoMetadataTable(table: string, suffix: string): string {
  const dot = table.lastIndexOf('.');
  return `${table.slice(0, dot)}."${table.slice(dot + 1)}$${suffix}"`;
}

function snapshotSql(engine: QueryEngine, format: TableFormat, table: string): string {
  if (engine.type === 'trino') {
    return format === 'iceberg'
      ? `SELECT CAST(snapshot_id AS varchar) AS snapshot FROM ${trinoMetadataTable(table, 'refs')} WHERE name = 'main'`
      : `SELECT CAST(max(version) AS varchar) AS snapshot FROM ${trinoMetadataTable(table, 'history')}`;
  }
  return format === 'iceberg' ? `SELECT CAST(snapshot_id AS STRING) AS snapshot FROM ${table}.refs WHERE name = 'main'` : `DESCRIBE HISTORY ${table} LIMIT 1`;
}

const asText = (c: Cell | undefined): string | null => (c === null || c === undefined ? null : typeof c === 'object' ? JSON.stringify(c) : String(c));

/** The current snapshot of each table; an engine error is kept (the snapshot is then not observed), never thrown. */
export async function readSnapshots(engine: QueryEngine, format: TableFormat, timeoutSeconds: number): Promise<SnapshotRead> {
  if (engine.type === 'duckdb') return { status: 'not_applicable', detail: NOT_APPLICABLE };
  const sides: Side[] = [];
  for (const layer of ['silver', 'gold'] as const) {
    const table = engine.tables[layer];
    if (engine.type === 'spark-thrift') {
      const refreshed = await engine.execute(`REFRESH TABLE ${table}`, { timeoutSeconds });
      if (!refreshed.ok) {
        sides.push({ layer, table, id: null, error: `REFRESH TABLE: ${refreshed.error.code}: ${refreshed.error.message}` });
        continue;
      }
    }
    const r = await engine.execute(snapshotSql(engine, format, table), { timeoutSeconds });
    if (!r.ok) sides.push({ layer, table, id: null, error: `${r.error.code}: ${r.error.message}` });
    else {
      // DESCRIBE HISTORY: the first column is the version; the others read their one column.
      const column = Math.max(0, r.columns.indexOf('version'));
      sides.push({ layer, table, id: asText(r.rows[0]?.[column]), error: null });
    }
  }
  return { status: 'read', format, sides };
}

/** The benchmark block's `snapshots` from the reads before and after. */
export function snapshotsRecord(before: SnapshotRead, after: SnapshotRead): BenchmarkSnapshots {
  if (before.status === 'not_applicable' || after.status === 'not_applicable') {
    return { status: 'not_applicable', detail: before.status === 'not_applicable' ? before.detail : NOT_APPLICABLE };
  }
  const tables = before.sides.map((b): TableSnapshot => {
    const a = after.sides.find((s) => s.layer === b.layer);
    const error = [b.error && `before: ${b.error}`, a?.error && `after: ${a.error}`, !a && 'after: not read'].filter(Boolean).join('; ');
    return { layer: b.layer, table: b.table, format: before.format, before: b.id, after: a?.id ?? null, error: error || null };
  });
  return { status: 'recorded', detail: `current ${before.format === 'iceberg' ? 'snapshot (main branch)' : 'Delta version'} of each table, read before the warm-up and after the last query`, tables };
}
