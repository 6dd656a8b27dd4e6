// The engines tier's smoke loop: real MinIO, PostgreSQL, Iceberg REST catalog and Trino started by the
// harness; PySpark writes an Iceberg table through the REST catalog into MinIO (and the same rows as
// Delta over s3a), and Trino reads both back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BasicAuth, Trino, type QueryData } from 'trino-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMinio, type MinioServer } from '../harness/minio.js';
import { startIcebergRest, type IcebergRestServer } from '../harness/engines/iceberg-rest.js';
import { startPostgres, type PostgresServer } from '../harness/engines/postgres.js';
import { runPySpark, sparkSubmitEnv } from '../harness/engines/spark.js';
import { startTrino, type TrinoServer } from '../harness/engines/trino.js';

const table = 'lakehouse.silver.harness_check';
const deltaLocation = 's3://lakehouse/delta/harness_check';

// Types chosen to cross the Spark -> Iceberg -> Trino mapping: integers, text, exact decimals, dates.
const pysparkScript = `
import sys
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("harness-check").getOrCreate()
spark.sql("CREATE NAMESPACE IF NOT EXISTS lakehouse.silver")
spark.sql("""
  CREATE TABLE ${table} (id BIGINT, name STRING, amount DECIMAL(10, 2), interaction_date DATE)
  USING iceberg PARTITIONED BY (interaction_date)
""")
spark.sql("""
  INSERT INTO ${table} VALUES
    (1, 'alpha', 10.50, DATE '2024-01-01'),
    (2, 'beta', 20.25, DATE '2024-01-01'),
    (3, 'gamma', 0.01, DATE '2024-01-02')
""")
print("SPARK_ROWS=%d" % spark.table("${table}").count())
# The Delta writing path: the same rows as a Delta table over s3a.
spark.table("${table}").write.format("delta").mode("overwrite").save("${deltaLocation.replace('s3:', 's3a:')}")
spark.stop()
`;

let minio: MinioServer | undefined;
let postgres: PostgresServer | undefined;
let rest: IcebergRestServer | undefined;
let trino: TrinoServer | undefined;
let scriptDir: string | undefined;

async function trinoQuery(server: TrinoServer, sql: string): Promise<QueryData[]> {
  const client = Trino.create({ server: server.uri, catalog: server.catalog, auth: new BasicAuth('lakebench'), session: {} });
  const rows: QueryData[] = [];
  for await (const page of await client.query(sql)) {
    // Trino reports failures inside a result page, not as a rejected promise.
    if (page.error) throw new Error(`Trino: ${page.error.errorName}: ${page.error.message}`);
    rows.push(...(page.data ?? []));
  }
  return rows;
}

describe('engines harness', () => {
  beforeAll(async () => {
    [minio, postgres] = await Promise.all([startMinio(), startPostgres()]);
    rest = await startIcebergRest({ s3: minio, postgres });
  });

  afterAll(async () => {
    await trino?.stop();
    await rest?.stop();
    await postgres?.stop();
    await minio?.stop();
    if (scriptDir) rmSync(scriptDir, { recursive: true, force: true });
  });

  it('PySpark writes Iceberg (REST catalog) and Delta tables into MinIO and Trino reads the same rows', async () => {
    if (!minio || !rest) throw new Error('servers did not start');
    scriptDir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-harness-test-'));
    const script = path.join(scriptDir, 'write_table.py');
    writeFileSync(script, pysparkScript);
    // Trino's startup and the Spark job are each about half a minute: run them side by side.
    // allSettled: if one fails, the other still finishes (and is stopped) before the test ends.
    const [sparkRun, trinoStart] = await Promise.allSettled([
      runPySpark(sparkSubmitEnv({ s3: minio, restCatalogUri: rest.uri }), script),
      startTrino({ s3: minio, restCatalogUri: rest.uri }),
    ]);
    if (trinoStart.status === 'fulfilled') trino = trinoStart.value;
    if (sparkRun.status === 'rejected') throw sparkRun.reason;
    if (trinoStart.status === 'rejected') throw trinoStart.reason;
    const spark = sparkRun.value;
    const server = trinoStart.value;
    expect(spark.exitCode, spark.stderr.slice(-4000)).toBe(0);
    expect(spark.stdout).toContain('SPARK_ROWS=3');

    const rows = await trinoQuery(server, `SELECT id, name, amount, interaction_date FROM ${table} ORDER BY id`);
    expect(rows).toEqual([
      [1, 'alpha', '10.50', '2024-01-01'],
      [2, 'beta', '20.25', '2024-01-01'],
      [3, 'gamma', '0.01', '2024-01-02'],
    ]);
    // The files really are in MinIO under the catalog's warehouse, written by Spark's S3FileIO.
    const files = await trinoQuery(server, 'SELECT file_path FROM lakehouse.silver."harness_check$files"');
    expect(files.length).toBeGreaterThanOrEqual(2); // one per interaction_date partition at least
    for (const [filePath] of files) expect(String(filePath).startsWith(`${rest.warehouse}/silver/harness_check`), String(filePath)).toBe(true);

    // Delta: Trino registers the Spark-written table in its Delta catalog and reads the same rows.
    await trinoQuery(server, `CREATE SCHEMA ${server.deltaCatalog}.silver`);
    await trinoQuery(server, `CALL ${server.deltaCatalog}.system.register_table(schema_name => 'silver', table_name => 'harness_check', table_location => '${deltaLocation}')`);
    const deltaRows = await trinoQuery(server, `SELECT id, name, amount, interaction_date FROM ${server.deltaCatalog}.silver.harness_check ORDER BY id`);
    expect(deltaRows).toEqual(rows);

    await trinoQuery(server, `DROP TABLE ${table}`);
    const tables = await trinoQuery(server, 'SHOW TABLES FROM lakehouse.silver');
    expect(tables.map(([name]) => name)).not.toContain('harness_check');
  });
});
