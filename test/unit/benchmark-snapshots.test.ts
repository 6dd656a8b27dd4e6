// The snapshots record of the benchmark block: what is read before and after, and how a read that
// failed is kept (never thrown, never turned into "unchanged"). The reads themselves run against
// real Trino and the Spark Thrift server in test/engines/trino-engine.test.ts.
import { describe, expect, it } from 'vitest';
import { readSnapshots, snapshotsRecord, type SnapshotRead } from '../../runner/src/benchmark/snapshot-reader.js';
import { snapshotFindings } from '../../runner/src/model/benchmark-snapshots.js';
import type { QueryEngine, QueryOutcome } from '../../runner/src/engines/engine.js';

/** A Trino-typed engine that answers each metadata query from a table of canned outcomes, and records the statements. */
function trinoLike(answers: (sql: string) => QueryOutcome): QueryEngine & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    type: 'trino',
    dialect: 'trino',
    tables: { silver: 'lakehouse.silver.customer_interactions_enriched', gold: 'lakehouse.gold.customer_executive_dashboard' },
    version: async () => '476',
    execute: async (sql) => {
      seen.push(sql);
      return answers(sql);
    },
    flush: async () => ({ flushed: [], notFlushed: [] }),
    close: async () => {},
  };
}
const ok = (id: string | null): QueryOutcome => ({ ok: true, columns: ['snapshot'], rows: id === null ? [] : [[id]], elapsedSeconds: 0.01, engineStats: null });
const fail = (code: string): QueryOutcome => ({ ok: false, timedOut: false, elapsedSeconds: 0.01, error: { code, message: 'denied' } });

describe('table snapshots around the benchmark', () => {
  it('reads the main branch of each Iceberg table as text, through Trino\'s $refs tables', async () => {
    const engine = trinoLike((sql) => ok(sql.includes('silver') ? '9007199254740993' : '42'));
    const read = await readSnapshots(engine, 'iceberg', 60);
    expect(engine.seen).toEqual([
      `SELECT CAST(snapshot_id AS varchar) AS snapshot FROM lakehouse.silver."customer_interactions_enriched$refs" WHERE name = 'main'`,
      `SELECT CAST(snapshot_id AS varchar) AS snapshot FROM lakehouse.gold."customer_executive_dashboard$refs" WHERE name = 'main'`,
    ]);
    expect(read).toEqual({ status: 'read', format: 'iceberg', sides: [
      { layer: 'silver', table: engine.tables.silver, id: '9007199254740993', error: null },
      { layer: 'gold', table: engine.tables.gold, id: '42', error: null },
    ] });
  });

  it('keeps a failed read as the table\'s error, which the verdict reports as not observed', async () => {
    const before = await readSnapshots(trinoLike((sql) => (sql.includes('gold') ? fail('PERMISSION_DENIED') : ok('1'))), 'iceberg', 60);
    const after = await readSnapshots(trinoLike(() => ok('1')), 'iceberg', 60);
    const record = snapshotsRecord(before, after);
    expect(record).toEqual({ status: 'recorded', detail: expect.any(String), tables: [
      { layer: 'silver', table: 'lakehouse.silver.customer_interactions_enriched', format: 'iceberg', before: '1', after: '1', error: null },
      { layer: 'gold', table: 'lakehouse.gold.customer_executive_dashboard', format: 'iceberg', before: null, after: '1', error: 'before: PERMISSION_DENIED: denied' },
    ] });
    expect(snapshotFindings(record)).toEqual({ changed: [], notObserved: ['lakehouse.gold.customer_executive_dashboard: before: PERMISSION_DENIED: denied'] });
  });

  it('sees a table that gained its first snapshot as changed', () => {
    const side = (id: string | null): SnapshotRead => ({ status: 'read', format: 'iceberg', sides: [{ layer: 'gold', table: 'g', id, error: null }] });
    expect(snapshotFindings(snapshotsRecord(side(null), side('5'))).changed.map((t) => [t.before, t.after])).toEqual([[null, '5']]);
  });

  it('refreshes each table before reading it on Spark, and keeps a failed refresh as not observed', async () => {
    const spark = { ...trinoLike((sql) => (sql.startsWith('REFRESH TABLE lakehouse.gold') ? fail('TABLE_OR_VIEW_NOT_FOUND') : ok('7'))), type: 'spark-thrift' as const, dialect: 'spark' as const };
    const read = await readSnapshots(spark, 'iceberg', 60);
    expect(spark.seen).toEqual([
      'REFRESH TABLE lakehouse.silver.customer_interactions_enriched',
      "SELECT CAST(snapshot_id AS STRING) AS snapshot FROM lakehouse.silver.customer_interactions_enriched.refs WHERE name = 'main'",
      'REFRESH TABLE lakehouse.gold.customer_executive_dashboard',
    ]);
    expect(read).toMatchObject({ sides: [{ id: '7', error: null }, { id: null, error: 'REFRESH TABLE: TABLE_OR_VIEW_NOT_FOUND: denied' }] });
  });

  it('reads Delta versions from $history, and makes no query on the embedded engine', async () => {
    const delta = trinoLike(() => ok('3'));
    await readSnapshots(delta, 'delta', 60);
    expect(delta.seen[0]).toBe('SELECT CAST(max(version) AS varchar) AS snapshot FROM lakehouse.silver."customer_interactions_enriched$history"');
    const duck = { ...trinoLike(() => fail('NEVER')), type: 'duckdb' as const, dialect: 'duckdb' as const };
    expect(await readSnapshots(duck, 'iceberg', 60)).toEqual({ status: 'not_applicable', detail: 'the embedded DuckDB engine reads plain Parquet files, which have no snapshots' });
  });
});
