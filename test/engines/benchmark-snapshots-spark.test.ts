// Table snapshots before and after the benchmark, read through the Spark Thrift server (PySpark
// 4.0.1, Iceberg 1.10.1, REST catalog on PostgreSQL, MinIO). The runner's session reads; a second
// HiveServer2 session commits in between, as a Spark job of another application would. Spark's
// Iceberg catalog caches loaded tables per session, so without the REFRESH TABLE before each read the
// runner's session would keep seeing the old snapshot and the change would go unnoticed.
// (The whole benchmark with a commit in the middle runs on Trino in trino-engine.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMinio, type MinioServer } from '../harness/minio.js';
import { startPostgres, type PostgresServer } from '../harness/engines/postgres.js';
import { startIcebergRest, type IcebergRestServer } from '../harness/engines/iceberg-rest.js';
import { sparkSubmitEnv } from '../harness/engines/spark.js';
import { startSparkThrift, type SparkThriftServer } from '../harness/engines/spark-thrift.js';
import { SparkThriftEngine } from '../../runner/src/engines/spark-thrift-engine.js';
import { readSnapshots, snapshotsRecord } from '../../runner/src/benchmark/snapshot-reader.js';
import { snapshotFindings } from '../../runner/src/model/benchmark-snapshots.js';
import { verdict } from '../../runner/src/model/verdict.js';
import { makeMetrics } from '../fixtures/metrics.js';

let minio: MinioServer | undefined;
let postgres: PostgresServer | undefined;
let rest: IcebergRestServer | undefined;
let thrift: SparkThriftServer | undefined;
let runner: SparkThriftEngine | undefined;
let writer: SparkThriftEngine | undefined;

async function sql(engine: SparkThriftEngine, statement: string): Promise<unknown[][]> {
  const r = await engine.execute(statement, { timeoutSeconds: 600 });
  if (!r.ok) throw new Error(`${statement}: ${r.error.code}: ${r.error.message}`);
  return r.rows;
}

/** The newest snapshot, as the writer's session sees it right after its own commit. */
const newest = async (table: string) => String((await sql(writer!, `SELECT CAST(snapshot_id AS STRING) FROM ${table}.snapshots ORDER BY committed_at DESC LIMIT 1`))[0]![0]);

beforeAll(async () => {
  [minio, postgres] = await Promise.all([startMinio(), startPostgres()]);
  rest = await startIcebergRest({ s3: minio, postgres });
  thrift = await startSparkThrift(sparkSubmitEnv({ s3: minio, restCatalogUri: rest.uri }));
  runner = await SparkThriftEngine.open({ host: thrift.host, port: thrift.port });
  writer = await SparkThriftEngine.open({ host: thrift.host, port: thrift.port });
  for (const ns of ['silver', 'gold']) await sql(writer, `CREATE NAMESPACE IF NOT EXISTS lakehouse.${ns}`);
  await sql(writer, `CREATE TABLE ${writer.tables.silver} (id BIGINT) USING iceberg`);
  await sql(writer, `INSERT INTO ${writer.tables.silver} SELECT id FROM range(0, 100)`);
  await sql(writer, `CREATE TABLE ${writer.tables.gold} (day DATE, n BIGINT) USING iceberg`);
  await sql(writer, `INSERT INTO ${writer.tables.gold} VALUES (DATE '2025-01-01', 1)`);
});

afterAll(async () => {
  await runner?.close();
  await writer?.close();
  await thrift?.stop();
  await rest?.stop();
  await postgres?.stop();
  await minio?.stop();
});

describe('snapshots through the Spark Thrift server', () => {
  it('reads the current snapshot of each table, the same before and after when nothing was written', async () => {
    const before = await readSnapshots(runner!, 'iceberg', 120);
    const record = snapshotsRecord(before, await readSnapshots(runner!, 'iceberg', 120));
    expect(record).toMatchObject({ status: 'recorded', tables: [
      { layer: 'silver', table: 'lakehouse.silver.customer_interactions_enriched', format: 'iceberg', before: await newest(writer!.tables.silver), error: null },
      { layer: 'gold', table: 'lakehouse.gold.customer_executive_dashboard', format: 'iceberg', before: await newest(writer!.tables.gold), error: null },
    ] });
    expect(snapshotFindings(record)).toEqual({ changed: [], notObserved: [] });
  });

  it('sees a commit another session made between the two reads, and the verdict warns', async () => {
    const before = await readSnapshots(runner!, 'iceberg', 120);
    // The runner's session has the table loaded (and cached) now; the other session commits.
    await sql(runner!, `SELECT count(*) FROM ${runner!.tables.gold}`);
    const old = await newest(writer!.tables.gold);
    await sql(writer!, `INSERT INTO ${writer!.tables.gold} VALUES (DATE '2025-01-02', 2)`);
    const fresh = await newest(writer!.tables.gold);
    expect(fresh).not.toBe(old);
    const record = snapshotsRecord(before, await readSnapshots(runner!, 'iceberg', 120));
    expect(snapshotFindings(record).changed).toEqual([{ layer: 'gold', table: 'lakehouse.gold.customer_executive_dashboard', format: 'iceberg', before: old, after: fresh, error: null }]);
    const clean = makeMetrics({});
    const v = verdict({ stages: clean.stages, benchmark: { ...clean.benchmark!, snapshots: record }, benchmarkExpected: true, scaleRatio: 1, incompleteReason: null, versions: {}, executorOverrides: {} });
    expect(v.status).toBe('WARNING');
    expect(v.reasons.map((r) => r.code)).toEqual(['SNAPSHOTS_CHANGED']);
  });
});
