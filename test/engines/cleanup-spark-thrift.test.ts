// `lakebench cleanup` end to end through the Spark Thrift server (PySpark 4.0.1, Iceberg 1.10.1's
// Spark procedures) on the Iceberg REST catalog (warehouse in the silver layer bucket, as the
// chart's Polaris), MinIO, and a real kube-apiserver with the chart's runner RBAC. The engine is
// opened from a config whose queryEngine is spark-thrift, the way the CLI opens it. The silver and
// gold tables are written through the Thrift server with several snapshots and files only old
// snapshots reference; each table's data folder also gets two orphan files: one MinIO dates three
// days back, one written now. Spark's remove_orphan_files refuses to look at files younger than
// 24 h, so the test checks exactly that split: between maintenance and DROP one snapshot is left,
// the old snapshots' files and the old orphan are gone, the fresh orphan is still there; DROP …
// PURGE deletes every file of the table but that orphan; the bucket step removes it. Then the
// re-runs, --delete-buckets, and a dead endpoint through the real CLI (exit 1). First, on tables of
// its own, a continuous run's retention and compaction pass through the same server at a 30 s
// threshold (docs/pipeline.md §8.3).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMinio, type MinioServer } from '../harness/minio.js';
import { startPostgres, type PostgresServer } from '../harness/engines/postgres.js';
import { startIcebergRest, type IcebergRestServer } from '../harness/engines/iceberg-rest.js';
import { sparkSubmitEnv } from '../harness/engines/spark.js';
import { startSparkThrift, type SparkThriftServer } from '../harness/engines/spark-thrift.js';
import { s3Client } from '../harness/engines/s3.js';
import { freePort } from '../harness/ports.js';
import { lakebench } from '../harness/cli.js';
import { startRuntimeEnv, type Operator, type RuntimeEnv } from '../kubernetes/runtime-env.js';
import {
  BUCKETS,
  NS,
  RELEASE_LABELS,
  byStep,
  cleanupStepOrder,
  createDatagenJob,
  datagenJobExists,
  expectBucketsDeletedAndRerunClean,
  expectDeadEngineCleanup,
  expectNothingLeftToClean,
  expectReleaseCleaned,
  failedSteps,
  listObjects,
  maintenancePassStatuses,
  observedEngine,
  putObject,
  tableObjects,
} from './fixtures/cleanup-fixtures.js';
import { cleanup, SPARK_ORPHAN_MIN_AGE_HOURS } from '../../runner/src/platforms/kubernetes/cleanup.js';
import { clusterSettings, type ClusterSettings } from '../../runner/src/platforms/kubernetes/manifests/cluster-settings.js';
import { DATAGEN_JOB_NAME } from '../../runner/src/platforms/kubernetes/manifests/labels.js';
import type { KubeClient } from '../../runner/src/platforms/kubernetes/client.js';
import { configSchema, type LakebenchConfig } from '../../runner/src/config/schema.js';
import { openClusterQueryEngine } from '../../runner/src/engines/cluster-engine.js';
import { SparkThriftEngine } from '../../runner/src/engines/spark-thrift-engine.js';
import type { QueryEngine } from '../../runner/src/engines/engine.js';
import { runMaintenancePass, streamingMaintenanceTables } from '../../runner/src/platforms/kubernetes/streaming/streaming-maintenance.js';

const SILVER = 'lakehouse.silver.customer_interactions_enriched';
const GOLD = 'lakehouse.gold.customer_executive_dashboard';
const TABLES = [SILVER, GOLD];
const DAY_MS = 86_400_000;

let minio: MinioServer | undefined;
let postgres: PostgresServer | undefined;
let rest: IcebergRestServer | undefined;
let thrift: SparkThriftServer | undefined;
let env: RuntimeEnv | undefined;
let spark: QueryEngine | undefined;
let s3: S3Client;
let client: KubeClient;
let kubeconfigPath: string;
let op: Operator;
let config: LakebenchConfig;
let settings: ClusterSettings;
let tmp: string;
/** Each table's location (s3://…), recorded when it is created. */
const locations: Record<string, string> = {};
/** Each table's data files (orphans aside) right after it was written. */
const writtenData: Record<string, string[]> = {};
const saved = { ...process.env };

async function sql(statement: string) {
  const r = await spark!.execute(statement, { timeoutSeconds: 600 });
  if (!r.ok) throw new Error(`${statement}: ${r.error.code}: ${r.error.message}`);
  return r.rows;
}

// The test's session caches loaded tables (SparkCatalog's cache-enabled); cleanup commits through
// its own session, so the test refreshes before it looks.
const snapshots = async (table: string) => {
  await sql(`REFRESH TABLE ${table}`);
  return Number((await sql(`SELECT count(*) FROM ${table}.snapshots`))[0]![0]);
};
const referencedFiles = async (table: string) => {
  await sql(`REFRESH TABLE ${table}`);
  return (await sql(`SELECT file_path FROM ${table}.files`)).map((r) => String(r[0])).sort();
};
const dataObjects = (table: string) => tableObjects(s3, locations[table]!, 'data/');
/** A file a failed write left behind three days ago, and one it left just now. */
const staleOrphan = (table: string) => `${locations[table]}/data/orphan-of-a-failed-write-days-ago.parquet`;
const freshOrphan = (table: string) => `${locations[table]}/data/orphan-of-a-failed-write-just-now.parquet`;
const sorted = (xs: string[]) => [...xs].sort();

function writeConfig(name: string, endpoint: string): string {
  const file = path.join(tmp, `${name}.yaml`);
  writeFileSync(file, stringify({ cluster: { namespace: NS, storage: { endpoint: minio!.endpoint }, catalog: { type: 'polaris', uri: rest!.uri }, queryEngine: { type: 'spark-thrift', endpoint } } }));
  return file;
}
const cliEnv = () => ({ AWS_ACCESS_KEY_ID: minio!.accessKey, AWS_SECRET_ACCESS_KEY: minio!.secretKey, AWS_REGION: minio!.region });

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-cleanup-spark-'));
  // The control plane starts beside the servers; the Thrift server needs the REST catalog first.
  const kube = startRuntimeEnv().then((e) => (env = e));
  [minio, postgres] = await Promise.all([startMinio(), startPostgres()]);
  // Cleanup's S3 client takes the default credential chain, as in the runner pod.
  Object.assign(process.env, cliEnv());
  rest = await startIcebergRest({ s3: minio, postgres, bucket: BUCKETS.silver });
  thrift = await startSparkThrift(sparkSubmitEnv({ s3: minio, restCatalogUri: rest.uri }));
  await kube;
  s3 = s3Client(minio);
  for (const b of [BUCKETS.bronze, BUCKETS.gold]) await s3.send(new CreateBucketCommand({ Bucket: b }));
  for (let i = 0; i < 3; i++) await s3.send(new PutObjectCommand({ Bucket: BUCKETS.bronze, Key: `customer/interactions/part-${i}.parquet`, Body: 'bronze' }));

  config = configSchema.parse({ cluster: { namespace: NS, storage: { endpoint: minio.endpoint }, catalog: { type: 'polaris', uri: rest.uri }, queryEngine: { type: 'spark-thrift', endpoint: thrift.endpoint } } });
  settings = clusterSettings(config);
  spark = await openClusterQueryEngine(config);
  expect(spark).toBeInstanceOf(SparkThriftEngine);
  expect(spark.dialect).toBe('spark');
  expect(spark.tables).toEqual({ silver: SILVER, gold: GOLD });

  // Silver: three INSERTs, then rewrite_data_files (all files into one): 4 snapshots, and data files
  // only the older snapshots reference. Gold: two INSERTs: 2 snapshots.
  await sql('CREATE NAMESPACE lakehouse.silver');
  await sql('CREATE NAMESPACE lakehouse.gold');
  await sql(`CREATE TABLE ${SILVER} (interaction_id BIGINT, customer_id BIGINT, amount DECIMAL(12, 2)) USING iceberg`);
  for (const from of [1, 2001, 3001]) await sql(`INSERT INTO ${SILVER} SELECT id, id % 50, CAST(id AS DECIMAL(12, 2)) FROM range(${from}, ${from + 1000})`);
  await sql(`CALL lakehouse.system.rewrite_data_files(table => 'silver.customer_interactions_enriched', options => map('rewrite-all', 'true'))`);
  await sql(`CREATE TABLE ${GOLD} (customer_id BIGINT, revenue DECIMAL(22, 2)) USING iceberg`);
  await sql(`INSERT INTO ${GOLD} SELECT customer_id, sum(amount) FROM ${SILVER} WHERE customer_id < 25 GROUP BY customer_id`);
  await sql(`INSERT INTO ${GOLD} SELECT customer_id, sum(amount) FROM ${SILVER} WHERE customer_id >= 25 GROUP BY customer_id`);
  for (const t of TABLES) {
    const ddl = String((await sql(`SHOW CREATE TABLE ${t}`))[0]![0]);
    locations[t] = /LOCATION '(s3:\/\/[^']+)'/.exec(ddl)![1]!;
    writtenData[t] = await dataObjects(t);
    await putObject(s3, staleOrphan(t), 'PAR1 orphan', { lastModified: new Date(Date.now() - 3 * DAY_MS) });
    await putObject(s3, freshOrphan(t), 'PAR1 orphan');
  }
  expect(locations[SILVER]).toMatch(/^s3:\/\/lakebench-silver\/warehouse\/silver\//);
  expect(await snapshots(SILVER)).toBe(4);
  expect(await snapshots(GOLD)).toBe(2);
  // Silver holds files only expired snapshots will reference; gold's are all current.
  expect(writtenData[SILVER]!.length).toBeGreaterThan((await referencedFiles(SILVER)).length);
  expect(writtenData[GOLD]).toEqual(await referencedFiles(GOLD));
  // MinIO kept the date it was given: what remove_orphan_files compares with older_than.
  const stale = new URL(staleOrphan(SILVER));
  const head = await s3.send(new HeadObjectCommand({ Bucket: stale.hostname, Key: stale.pathname.slice(1) }));
  expect(Date.now() - head.LastModified!.getTime()).toBeGreaterThan(2 * DAY_MS);

  ({ client, kubeconfigPath, op } = await env!.namespace(NS));
});

afterAll(async () => {
  process.env = saved;
  await spark?.close();
  s3?.destroy();
  await env?.stop();
  await thrift?.stop();
  await rest?.stop();
  await postgres?.stop();
  await minio?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// docs/pipeline.md §8.3: a continuous run's retention and compaction pass through the Spark Thrift
// server, with the statements cleanup uses at the configured threshold (here 30 s, so snapshot and
// file ages are the test's to choose), on an engine opened from the config per pass as the cluster
// run opens it. Its own tables (bronze_raw, as the cluster names it, and a table of small files), so
// the cleanup tests below see theirs untouched; dropped at the end.
// What the statements rely on, as read in the source of Iceberg 1.10.1 (tag apache-iceberg-1.10.1),
// its Spark 4.0 procedures:
// - ExpireSnapshotsProcedure: `older_than` TimestampType (microseconds → expireOlderThan(millis)),
//   `retain_last` IntegerType; one result row: deleted_data_files_count, …, deleted_manifest_lists_count, ….
// - RemoveOrphanFilesProcedure: `older_than` TimestampType, `prefix_listing` BooleanType; unless
//   `spark.testing` is set, validateInterval refuses an older_than less than 1 day before the
//   server's clock ("Cannot remove orphan files with an interval less than 24 hours"); one result row
//   per deleted file: orphan_file_location.
// - RewriteDataFilesProcedure: `table` only (strategy, sort_order, options, where optional); one row:
//   rewritten_data_files_count, added_data_files_count, rewritten_bytes_count, failed_data_files_count,
//   removed_delete_files_count. Binpack (SizeBasedFileRewritePlanner, in Iceberg's core) rewrites a
//   group of files below 75 % of the target size once it holds min-input-files (default 5) of them.
// - BaseProcedure.loadSparkTable: a missing table is "Couldn't load table '…' in catalog '…'".
describe('retention and compaction while streaming, through the Spark Thrift server (Iceberg 1.10 procedures) and Iceberg REST', () => {
  const BRONZE_RAW = 'lakehouse.default.bronze_raw';
  const SMALL = 'lakehouse.maint.small_files';
  const MISSING = 'lakehouse.maint.never_created';
  const THRESHOLD_S = 30;
  const ORPHAN_FLOOR_S = SPARK_ORPHAN_MIN_AGE_HOURS * 3600;
  const HOUR_MS = 3_600_000;
  const snapshotIds = async (t: string) => {
    await sql(`REFRESH TABLE ${t}`);
    return (await sql(`SELECT snapshot_id FROM ${t}.snapshots ORDER BY committed_at`)).map((r) => String(r[0]));
  };
  const content = async (t: string) => {
    await sql(`REFRESH TABLE ${t}`);
    return (await sql(`SELECT count(*), sum(v) FROM ${t}`))[0]!.map(String);
  };
  /** One file per INSERT (a single partition of range()), so the table's file count is the test's. */
  const insert = (t: string, from: number) => sql(`INSERT INTO ${t} SELECT id AS v FROM range(${from}, ${from + 100}, 1, 1)`);
  const orphan = (t: string, age: string) => `${locations[t]}/data/orphan-${age}.parquet`;

  it('expires snapshots older than the threshold, removes orphans only past 25 h (Iceberg refuses less), compacts, keeps the rows, and records a missing table as failed', async () => {
    await sql('CREATE NAMESPACE IF NOT EXISTS lakehouse.default');
    await sql('CREATE NAMESPACE lakehouse.maint');
    // Old state: bronze_raw with 3 snapshots, the small-files table with 6 (one file each).
    for (const t of [BRONZE_RAW, SMALL]) await sql(`CREATE TABLE ${t} (v BIGINT) USING iceberg`);
    for (let i = 0; i < 6; i++) {
      if (i < 3) await insert(BRONZE_RAW, i * 100);
      await insert(SMALL, i * 100);
    }
    // In each table's data folder: an orphan three days old, and one two hours old (past the threshold,
    // but younger than the 24 h below which Iceberg's procedure refuses to look).
    for (const t of [BRONZE_RAW, SMALL]) {
      locations[t] = /LOCATION '(s3:\/\/[^']+)'/.exec(String((await sql(`SHOW CREATE TABLE ${t}`))[0]![0]))![1]!;
      await putObject(s3, orphan(t, 'days-old'), 'PAR1 orphan', { lastModified: new Date(Date.now() - 3 * DAY_MS) });
      await putObject(s3, orphan(t, 'hours-old'), 'PAR1 orphan', { lastModified: new Date(Date.now() - 2 * HOUR_MS) });
    }
    const oldBronze = await snapshotIds(BRONZE_RAW);
    const smallBefore = { snapshots: await snapshotIds(SMALL), files: await referencedFiles(SMALL), content: await content(SMALL) };
    expect(oldBronze).toHaveLength(3);
    expect(smallBefore.snapshots).toHaveLength(6);
    expect(smallBefore.files).toHaveLength(6);
    // Past the threshold; then young state: two more bronze_raw snapshots and a young orphan in each table.
    await new Promise((r) => setTimeout(r, (THRESHOLD_S + 3) * 1000));
    for (const from of [300, 400]) await insert(BRONZE_RAW, from);
    for (const t of [BRONZE_RAW, SMALL]) await putObject(s3, orphan(t, 'young'), 'PAR1 orphan');
    const youngBronze = (await snapshotIds(BRONZE_RAW)).slice(3);
    const bronzeContent = await content(BRONZE_RAW);
    expect(youngBronze).toHaveLength(2);

    // Why orphan removal is given 25 h: at the threshold itself, Iceberg's procedure refuses.
    const refused = await spark!.execute(
      `CALL lakehouse.system.remove_orphan_files(table => 'maint.small_files', older_than => TIMESTAMP '${new Date(Date.now() - THRESHOLD_S * 1000).toISOString()}', prefix_listing => true)`,
      { timeoutSeconds: 120 },
    );
    expect(refused.ok ? 'ok' : refused.error.message).toContain('Cannot remove orphan files with an interval less than 24 hours');

    // The pass, on an engine opened from the config as a cluster run's pass opens it.
    const engine = await openClusterQueryEngine(config);
    const started = Date.now();
    const records = await runMaintenancePass(engine, { retention: [BRONZE_RAW, SMALL, MISSING], compaction: [SMALL, MISSING] }, {
      pass: 0, retention: true, compaction: true, retentionThresholdSeconds: THRESHOLD_S, statementTimeoutSeconds: 600, stopping: () => false,
    }).finally(() => engine.close());
    const ended = Date.now();
    // The cluster's passes name bronze_raw so (in the catalog of the layer tables).
    expect(streamingMaintenanceTables(engine).retention[0]).toBe(BRONZE_RAW);
    expect(records.map((r) => `${r.action} ${r.table} ${r.status}`)).toEqual(maintenancePassStatuses({ retained: [BRONZE_RAW, SMALL], compacted: SMALL, missing: MISSING }));
    for (const r of records) {
      expect(r.pass).toBe(0);
      expect(r.seconds).toBeGreaterThan(0);
      expect(Date.parse(r.started_at)).toBeGreaterThanOrEqual(started);
      expect(Date.parse(r.started_at)).toBeLessThanOrEqual(ended);
      // As the statement used it: the threshold for snapshots, Iceberg's floor plus an hour for orphans, none for compaction.
      expect(r.older_than_seconds, `${r.action} ${r.table}`).toBe({ expire_snapshots: THRESHOLD_S, remove_orphan_files: ORPHAN_FLOOR_S, rewrite_data_files: null }[r.action]);
      if (r.table === MISSING) expect(r.error, r.action).toContain(`Couldn't load table 'maint.never_created' in catalog 'lakehouse'`);
      else expect(r.error, `${r.action} ${r.table}`).toBeNull();
    }
    const record = (action: string, t: string) => records.find((r) => r.action === action && r.table === t)!;
    // Appends only: no data file became unreferenced; each expired snapshot's manifest list went.
    expect(record('expire_snapshots', BRONZE_RAW).detail).toMatch(/^deleted_data_files_count=0, .*deleted_manifest_lists_count=3, /);
    expect(record('expire_snapshots', SMALL).detail).toMatch(/^deleted_data_files_count=0, .*deleted_manifest_lists_count=5, /);
    // Exactly the days-old orphan went, in each table.
    for (const t of [BRONZE_RAW, SMALL]) expect(record('remove_orphan_files', t).detail, t).toBe(`orphan_file_location=${orphan(t, 'days-old')}`);
    expect(record('rewrite_data_files', SMALL).detail).toMatch(/^rewritten_data_files_count=6, added_data_files_count=1, rewritten_bytes_count=\d+, failed_data_files_count=0, removed_delete_files_count=0$/);

    // bronze_raw: the old snapshots are gone, the young ones (inside the threshold) stay; so does every row.
    expect(await snapshotIds(BRONZE_RAW)).toEqual(youngBronze);
    expect(await content(BRONZE_RAW)).toEqual(bronzeContent);
    // The small-files table: only its current snapshot survived the expiry, then the compaction added one
    // that holds the same rows in one file.
    const smallAfter = await snapshotIds(SMALL);
    expect(smallAfter).toHaveLength(2);
    expect(smallAfter[0]).toBe(smallBefore.snapshots[5]);
    expect(await referencedFiles(SMALL)).toHaveLength(1);
    expect(await content(SMALL)).toEqual(smallBefore.content);
    // Orphans: the days-old one is gone from S3; the hours-old one, past the threshold but inside 25 h,
    // stays, as does the young one (docs/pipeline.md §8.3: on Spark the threshold applies to snapshots only).
    for (const t of [BRONZE_RAW, SMALL]) {
      const data = await dataObjects(t);
      expect(data, t).not.toContain(orphan(t, 'days-old'));
      expect(data, t).toContain(orphan(t, 'hours-old'));
      expect(data, t).toContain(orphan(t, 'young'));
    }
    // Once the window has closed, a pass runs nothing: every action is recorded as skipped.
    const late = await runMaintenancePass(spark!, { retention: [BRONZE_RAW, SMALL], compaction: [SMALL] }, {
      pass: 1, retention: true, compaction: true, retentionThresholdSeconds: 0, statementTimeoutSeconds: 600, stopping: () => true,
    });
    expect(late.map((r) => `${r.action} ${r.table} ${r.status}`)).toEqual([
      ...[BRONZE_RAW, SMALL].flatMap((t) => [`expire_snapshots ${t} skipped`, `remove_orphan_files ${t} skipped`]),
      `rewrite_data_files ${SMALL} skipped`,
    ]);
    expect(await snapshotIds(BRONZE_RAW)).toEqual(youngBronze);
    // Their files (orphans aside, which the bucket step of the cleanup below removes) go with PURGE.
    for (const t of [BRONZE_RAW, SMALL]) await sql(`DROP TABLE ${t} PURGE`);
    await sql('DROP NAMESPACE lakehouse.maint');
  });
});

describe('lakebench cleanup through the Spark Thrift server (Iceberg 1.10 procedures), Iceberg REST, MinIO and kube-apiserver', () => {
  it('with the Thrift server unreachable: the CLI exits 1 naming the endpoint, cleans Kubernetes and bronze, and keeps the bucket the tables live in', async () => {
    await op.createApp('lakebench-silver-build', RELEASE_LABELS);
    await op.createApp('someone-else');
    await createDatagenJob(env!);
    const dead = `127.0.0.1:${await freePort()}`;
    const r = await lakebench(['cleanup', '--config', writeConfig('dead-engine', dead), '--kubeconfig', kubeconfigPath, '--json'], { env: cliEnv() });
    expectDeadEngineCleanup(r, dead);

    expect(await op.appExists('lakebench-silver-build')).toBe(false);
    expect(await op.appExists('someone-else')).toBe(true);
    expect(await datagenJobExists(env!)).toBe(false);
    expect(await listObjects(s3, BUCKETS.bronze)).toEqual([]);
    // The tables are untouched, orphans included.
    expect(await snapshots(SILVER)).toBe(4);
    expect(await snapshots(GOLD)).toBe(2);
    for (const t of TABLES) expect(await dataObjects(t)).toEqual(sorted([...writtenData[t]!, staleOrphan(t), freshOrphan(t)]));
  });

  it('with spark-thrift: every step ok; before each DROP one snapshot and only its files (and the fresh orphan) are left; PURGE deletes the rest; then tables, jobs and bucket contents are gone', async () => {
    await op.createApp('lakebench-gold-finalize', RELEASE_LABELS);
    await createDatagenJob(env!);
    const statements: string[] = [];
    type TableState = { snapshots: number; referenced: string[]; data: string[] };
    const beforeDrop: Record<string, TableState> = {};
    const afterDrop: Record<string, string[]> = {};
    // The engine cleanup gets is the real SparkThriftEngine, opened from the config as the CLI does;
    // the wrapper records the statements and, around a DROP, the table's state (through the test's
    // own session).
    const observed = observedEngine(() => openClusterQueryEngine(config), statements, {
      beforeDrop: async (t) => {
        beforeDrop[t] ??= { snapshots: await snapshots(t), referenced: await referencedFiles(t), data: await dataObjects(t) };
      },
      afterDrop: async (t) => {
        afterDrop[t] ??= await tableObjects(s3, locations[t]!, '');
      },
    });
    const log: string[] = [];
    const started = Date.now();
    const steps = await cleanup(client, settings, observed, { deleteBuckets: false, log: (l) => log.push(l) });
    const ended = Date.now();
    expect(failedSteps(steps)).toEqual([]);
    const s = byStep(steps);
    expect(steps.map((x) => x.step)).toEqual(cleanupStepOrder(GOLD, SILVER));
    expect(log).toHaveLength(steps.length);
    expect(s['spark applications']!.detail).toBe('deleted lakebench-gold-finalize');
    expect(s['datagen and landing jobs']!.detail).toBe(`deleted ${DATAGEN_JOB_NAME}`);
    expect(s['query engine']!.detail).toBe('spark-thrift 4.0.1');
    expect(s[`drop ${GOLD}`]!.detail).toBe('dropped');
    expect(s[`drop ${SILVER}`]!.detail).toBe('dropped');
    expect(s['empty lakebench-bronze']!.detail).toBe('0 objects deleted');

    // The statements the Thrift server ran, in the seed's order: maintenance of both tables, then the DROPs.
    const calls = statements.filter((x) => /^(CALL|DROP)/.test(x));
    const TS = /TIMESTAMP '([^']+)'/;
    expect(calls.map((c) => c.replace(TS, "TIMESTAMP '…'"))).toEqual([
      ...[GOLD, SILVER].flatMap((t) => {
        const name = t.replace(/^lakehouse\./, '');
        return [
          `CALL lakehouse.system.expire_snapshots(table => '${name}', older_than => TIMESTAMP '…', retain_last => 1)`,
          `CALL lakehouse.system.remove_orphan_files(table => '${name}', older_than => TIMESTAMP '…', prefix_listing => true)`,
        ];
      }),
      `DROP TABLE IF EXISTS ${GOLD} PURGE`,
      `DROP TABLE IF EXISTS ${SILVER} PURGE`,
    ]);
    // expire_snapshots: older_than is the time of the call (UTC, with its zone); remove_orphan_files: 25 h before it.
    for (const c of calls.filter((x) => x.startsWith('CALL'))) {
      const literal = TS.exec(c)![1]!;
      expect(literal).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const shift = c.includes('remove_orphan_files') ? SPARK_ORPHAN_MIN_AGE_HOURS * 3_600_000 : 0;
      expect(Date.parse(literal) + shift).toBeGreaterThanOrEqual(started);
      expect(Date.parse(literal) + shift).toBeLessThanOrEqual(ended);
    }

    for (const t of TABLES) {
      const state = beforeDrop[t]!;
      // expire_snapshots left one snapshot and deleted the files only the expired ones referenced.
      expect(state.snapshots, t).toBe(1);
      expect(state.referenced.length, t).toBeGreaterThan(0);
      const expired = writtenData[t]!.filter((f) => !state.referenced.includes(f));
      // remove_orphan_files deleted the orphan older than 25 h; the one written just now is left,
      // as Spark's procedure refuses a shorter older_than.
      expect(state.data, t).toEqual(sorted([...state.referenced, freshOrphan(t)]));
      expect(s[`maintenance ${t}`]!.detail, t).toBe(
        `expire_snapshots done (${expired.length} data files deleted), remove_orphan_files done (orphan files older than 25 h removed: 1; younger ones go with the bucket), snapshots ${t === SILVER ? 4 : 2} -> 1`,
      );
      // DROP … PURGE deleted every file the table's metadata reaches, metadata included: only the
      // fresh orphan is left under the table's location, for the bucket step.
      expect(afterDrop[t], t).toEqual([freshOrphan(t)]);
    }

    // A new session (the test's own still caches the tables it loaded) finds neither table.
    const fresh = await openClusterQueryEngine(config);
    try {
      for (const t of TABLES) {
        const r = await fresh.execute(`SELECT * FROM ${t}`, { timeoutSeconds: 60 });
        expect(r.ok ? 'ok' : r.error.message, t).toContain('[TABLE_OR_VIEW_NOT_FOUND]');
      }
    } finally {
      await fresh.close();
    }
    await expectReleaseCleaned(s3, env!, op);
  });

  it('a second run finds nothing left and reports every step ok', async () => {
    const steps = await cleanup(client, settings, () => openClusterQueryEngine(config), { deleteBuckets: false, log: () => {} });
    expectNothingLeftToClean(steps, TABLES);
  });

  it('--delete-buckets deletes the buckets, and running it again through the CLI still exits 0', async () => {
    const steps = await cleanup(client, settings, () => openClusterQueryEngine(config), { deleteBuckets: true, log: () => {} });
    const r = await lakebench(['cleanup', '--config', writeConfig('live-engine', thrift!.endpoint), '--kubeconfig', kubeconfigPath, '--delete-buckets'], { env: cliEnv() });
    await expectBucketsDeletedAndRerunClean(s3, steps, r, 'spark-thrift 4.0.1', SILVER);
    expect(r.stderr).toContain(`drop ${GOLD}: absent`);
  });
});
