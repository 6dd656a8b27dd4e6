// `lakebench cleanup` end to end against real servers: Trino 476 on the Iceberg REST catalog
// (warehouse in the silver layer bucket, as the chart's Polaris), MinIO, and a real kube-apiserver
// with the chart's runner RBAC. The silver and gold tables are written through Trino with several
// snapshots, files only old snapshots reference, and an orphan file; the test then checks what each
// step really did: between maintenance and DROP (observed through the engine cleanup is given) one
// snapshot is left and the data folder holds exactly the current snapshot's files; afterwards the
// tables, the Spark applications, the datagen Job and the buckets' contents are gone. Then the
// re-runs, --delete-buckets, and a dead query-engine endpoint through the real CLI (exit 1).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMinio, type MinioServer } from '../harness/minio.js';
import { startPostgres, type PostgresServer } from '../harness/engines/postgres.js';
import { startIcebergRest, type IcebergRestServer } from '../harness/engines/iceberg-rest.js';
import { startTrino, type TrinoServer } from '../harness/engines/trino.js';
import { s3Client } from '../harness/engines/s3.js';
import { freePort } from '../harness/ports.js';
import { lakebench } from '../harness/cli.js';
import { startRuntimeEnv, type Operator, type RuntimeEnv } from '../kubernetes/runtime-env.js';
import { cleanup } from '../../runner/src/platforms/kubernetes/cleanup.js';
import { clusterSettings, type ClusterSettings } from '../../runner/src/platforms/kubernetes/manifests/cluster-settings.js';
import { DATAGEN_JOB_NAME } from '../../runner/src/platforms/kubernetes/manifests/labels.js';
import type { KubeClient } from '../../runner/src/platforms/kubernetes/client.js';
import { configSchema, type LakebenchConfig } from '../../runner/src/config/schema.js';
import {
  BUCKETS,
  NS,
  RELEASE_LABELS as labels,
  byStep,
  cleanupStepOrder,
  createDatagenJob as createJob,
  datagenJobExists,
  expectBucketsDeletedAndRerunClean,
  expectDeadEngineCleanup,
  expectNothingLeftToClean,
  expectReleaseCleaned,
  failedSteps,
  listObjects,
  maintenancePassStatuses,
  observedEngine,
  tableObjects,
} from './fixtures/cleanup-fixtures.js';
import { TrinoEngine } from '../../runner/src/engines/trino-engine.js';
import { trinoOptionsFromConfig } from '../../runner/src/engines/trino-options.js';
import { runMaintenancePass, streamingMaintenanceTables } from '../../runner/src/platforms/kubernetes/streaming/streaming-maintenance.js';

const SILVER = 'lakehouse.silver.customer_interactions_enriched';
const GOLD = 'lakehouse.gold.customer_executive_dashboard';

let minio: MinioServer | undefined;
let postgres: PostgresServer | undefined;
let rest: IcebergRestServer | undefined;
let trinoServer: TrinoServer | undefined;
let env: RuntimeEnv | undefined;
let trino: TrinoEngine;
let s3: S3Client;
let client: KubeClient;
let kubeconfigPath: string;
let op: Operator;
let config: LakebenchConfig;
let settings: ClusterSettings;
let tmp: string;
/** Each table's location (s3://…), recorded when it is created. */
const locations: Record<string, string> = {};
const saved = { ...process.env };

async function sql(statement: string) {
  const r = await trino.execute(statement, { timeoutSeconds: 300 });
  if (!r.ok) throw new Error(`${statement}: ${r.error.code}: ${r.error.message}`);
  return r.rows;
}

const metadataTable = (table: string, suffix: string) => table.replace(/\.([a-z_]+)$/, (_, name: string) => `."${name}$${suffix}"`);
const snapshots = async (table: string) => Number((await sql(`SELECT count(*) FROM ${metadataTable(table, 'snapshots')}`))[0]![0]);
const referencedFiles = async (table: string) => (await sql(`SELECT file_path FROM ${metadataTable(table, 'files')}`)).map((r) => String(r[0])).sort();

const objects = (bucket: string, prefix = '') => listObjects(s3, bucket, prefix);
/** Objects under a table's data/ folder. */
const dataObjects = (table: string) => tableObjects(s3, locations[table]!, 'data/');
const orphanOf = (table: string) => `${locations[table]}/data/orphan-of-a-failed-write.parquet`;
const createDatagenJob = () => createJob(env!);
const jobExists = () => datagenJobExists(env!);

function writeConfig(name: string, queryEngineEndpoint: string): string {
  const file = path.join(tmp, `${name}.yaml`);
  writeFileSync(file, stringify({ cluster: { namespace: NS, storage: { endpoint: minio!.endpoint }, catalog: { type: 'polaris', uri: rest!.uri }, queryEngine: { endpoint: queryEngineEndpoint } } }));
  return file;
}
const cliEnv = () => ({ AWS_ACCESS_KEY_ID: minio!.accessKey, AWS_SECRET_ACCESS_KEY: minio!.secretKey, AWS_REGION: minio!.region });

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-cleanup-'));
  // The control plane starts beside MinIO and PostgreSQL; Trino needs the REST catalog first.
  const kube = startRuntimeEnv().then((e) => (env = e));
  [minio, postgres] = await Promise.all([startMinio(), startPostgres()]);
  // Cleanup's S3 client takes the default credential chain, as in the runner pod.
  Object.assign(process.env, cliEnv());
  rest = await startIcebergRest({ s3: minio, postgres, bucket: BUCKETS.silver });
  trinoServer = await startTrino({ s3: minio, restCatalogUri: rest.uri });
  await kube;
  s3 = s3Client(minio);
  for (const b of [BUCKETS.bronze, BUCKETS.gold]) await s3.send(new CreateBucketCommand({ Bucket: b }));
  for (let i = 0; i < 3; i++) await s3.send(new PutObjectCommand({ Bucket: BUCKETS.bronze, Key: `customer/interactions/part-${i}.parquet`, Body: 'bronze' }));

  config = configSchema.parse({ cluster: { namespace: NS, storage: { endpoint: minio.endpoint }, catalog: { type: 'polaris', uri: rest.uri }, queryEngine: { endpoint: trinoServer.uri } } });
  settings = clusterSettings(config);
  trino = await TrinoEngine.open(trinoOptionsFromConfig(config));
  expect(trino.tables).toEqual({ silver: SILVER, gold: GOLD });

  // Silver: CTAS, two INSERTs, then OPTIMIZE (rewrites them into one file): 4 snapshots, and data
  // files only the older snapshots reference. Gold: CTAS and one INSERT: 2 snapshots.
  await sql('CREATE SCHEMA lakehouse.silver');
  await sql('CREATE SCHEMA lakehouse.gold');
  await sql(`CREATE TABLE ${SILVER} AS SELECT x AS interaction_id, x % 50 AS customer_id, CAST(x AS DECIMAL(12, 2)) AS amount FROM UNNEST(sequence(1, 2000)) t(x)`);
  for (const from of [2001, 3001]) await sql(`INSERT INTO ${SILVER} SELECT x, x % 50, CAST(x AS DECIMAL(12, 2)) FROM UNNEST(sequence(${from}, ${from + 999})) t(x)`);
  await sql(`ALTER TABLE ${SILVER} EXECUTE optimize`);
  await sql(`CREATE TABLE ${GOLD} AS SELECT customer_id, sum(amount) AS revenue FROM ${SILVER} WHERE customer_id < 25 GROUP BY customer_id`);
  await sql(`INSERT INTO ${GOLD} SELECT customer_id, sum(amount) FROM ${SILVER} WHERE customer_id >= 25 GROUP BY customer_id`);
  for (const t of [SILVER, GOLD]) {
    const ddl = String((await sql(`SHOW CREATE TABLE ${t}`))[0]![0]);
    locations[t] = /location = '(s3:\/\/[^']+)'/.exec(ddl)![1]!;
    // A file a failed write left behind: in the table's data folder, referenced by no snapshot.
    const orphan = new URL(orphanOf(t));
    await s3.send(new PutObjectCommand({ Bucket: orphan.hostname, Key: orphan.pathname.slice(1), Body: 'PAR1 orphan' }));
  }
  expect(locations[SILVER]).toMatch(/^s3:\/\/lakebench-silver\/warehouse\/silver\//);
  expect(await snapshots(SILVER)).toBe(4);
  expect(await snapshots(GOLD)).toBe(2);
  for (const t of [SILVER, GOLD]) expect((await dataObjects(t)).length).toBeGreaterThan((await referencedFiles(t)).length);

  ({ client, kubeconfigPath, op } = await env!.namespace(NS));
});

afterAll(async () => {
  process.env = saved;
  s3?.destroy();
  await env?.stop();
  await trinoServer?.stop();
  await rest?.stop();
  await postgres?.stop();
  await minio?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// docs/pipeline.md §8.3: a continuous run's retention and compaction pass, with the statements cleanup
// uses at the configured threshold (here 30 s, so snapshot and file ages are the test's to choose).
// Its own tables (bronze_raw, as the cluster names it, and a table of small files), so the cleanup
// tests below see theirs untouched; dropped at the end.
describe('retention and compaction while streaming, on real Trino 476 and Iceberg REST', () => {
  const BRONZE_RAW = 'lakehouse.default.bronze_raw';
  const SMALL = 'lakehouse.maint.small_files';
  const MISSING = 'lakehouse.maint.never_created';
  const THRESHOLD_S = 30;
  const snapshotIds = async (t: string) => (await sql(`SELECT CAST(snapshot_id AS varchar) FROM ${metadataTable(t, 'snapshots')} ORDER BY committed_at`)).map((r) => String(r[0]));
  const content = async (t: string) => (await sql(`SELECT count(*), sum(v) FROM ${t}`))[0]!.map(String);
  const orphan = (t: string, age: string) => `${locations[t]}/data/orphan-${age}.parquet`;

  it('expires snapshots and removes orphans older than the threshold on every table, compacts, keeps the rows, and records a missing table as failed', async () => {
    await sql('CREATE SCHEMA IF NOT EXISTS lakehouse."default"');
    await sql('CREATE SCHEMA lakehouse.maint');
    // Old state: bronze_raw with 3 snapshots, the small-files table with 6 (one file each), an orphan in each.
    await sql(`CREATE TABLE ${BRONZE_RAW} AS SELECT x AS v FROM UNNEST(sequence(1, 100)) t(x)`);
    await sql(`CREATE TABLE ${SMALL} AS SELECT x AS v FROM UNNEST(sequence(1, 100)) t(x)`);
    for (let i = 1; i <= 5; i++) {
      if (i <= 2) await sql(`INSERT INTO ${BRONZE_RAW} SELECT x FROM UNNEST(sequence(${i * 100 + 1}, ${i * 100 + 100})) t(x)`);
      await sql(`INSERT INTO ${SMALL} SELECT x FROM UNNEST(sequence(${i * 100 + 1}, ${i * 100 + 100})) t(x)`);
    }
    for (const t of [BRONZE_RAW, SMALL]) {
      locations[t] = /location = '(s3:\/\/[^']+)'/.exec(String((await sql(`SHOW CREATE TABLE ${t}`))[0]![0]))![1]!;
      const o = new URL(orphan(t, 'old'));
      await s3.send(new PutObjectCommand({ Bucket: o.hostname, Key: o.pathname.slice(1), Body: 'PAR1 old orphan' }));
    }
    const oldBronze = await snapshotIds(BRONZE_RAW);
    const smallBefore = { snapshots: await snapshotIds(SMALL), files: (await referencedFiles(SMALL)).length, content: await content(SMALL) };
    expect(oldBronze).toHaveLength(3);
    expect(smallBefore.snapshots).toHaveLength(6);
    expect(smallBefore.files).toBeGreaterThanOrEqual(6);
    // Past the threshold; then young state: two more bronze_raw snapshots and a young orphan in each table.
    await new Promise((r) => setTimeout(r, (THRESHOLD_S + 3) * 1000));
    for (const from of [601, 701]) await sql(`INSERT INTO ${BRONZE_RAW} SELECT x FROM UNNEST(sequence(${from}, ${from + 99})) t(x)`);
    for (const t of [BRONZE_RAW, SMALL]) {
      const o = new URL(orphan(t, 'young'));
      await s3.send(new PutObjectCommand({ Bucket: o.hostname, Key: o.pathname.slice(1), Body: 'PAR1 young orphan' }));
    }
    const youngBronze = (await snapshotIds(BRONZE_RAW)).slice(3);
    const bronzeContent = await content(BRONZE_RAW);
    expect(youngBronze).toHaveLength(2);

    const tables = streamingMaintenanceTables(trino);
    expect(tables.retention[0]).toBe(BRONZE_RAW);
    const records = await runMaintenancePass(trino, { retention: [BRONZE_RAW, SMALL, MISSING], compaction: [SMALL, MISSING] }, {
      pass: 0, retention: true, compaction: true, retentionThresholdSeconds: THRESHOLD_S, statementTimeoutSeconds: 300, stopping: () => false,
    });
    expect(records.map((r) => `${r.action} ${r.table} ${r.status}`)).toEqual(maintenancePassStatuses({ retained: [BRONZE_RAW, SMALL], compacted: SMALL, missing: MISSING }));
    for (const r of records.filter((x) => x.table === MISSING)) expect(r.error).toMatch(/^TABLE_NOT_FOUND: /);
    for (const r of records.filter((x) => x.action !== 'rewrite_data_files')) expect(r.older_than_seconds).toBe(THRESHOLD_S);
    for (const r of records) expect(r.seconds).toBeGreaterThan(0);

    // bronze_raw: the old snapshots are gone, the young ones (inside the threshold) stay; so does every row.
    expect(await snapshotIds(BRONZE_RAW)).toEqual(youngBronze);
    expect(await content(BRONZE_RAW)).toEqual(bronzeContent);
    // The small-files table: only its current snapshot survived the expiry, then the compaction added one
    // that holds the same rows in fewer files.
    const smallAfter = await snapshotIds(SMALL);
    expect(smallAfter).toHaveLength(2);
    expect(smallAfter[0]).toBe(smallBefore.snapshots[5]);
    expect((await referencedFiles(SMALL)).length).toBeLessThan(smallBefore.files);
    expect(await content(SMALL)).toEqual(smallBefore.content);
    // Orphans: the old one is gone from S3, the young one (inside the threshold) is still there.
    for (const t of [BRONZE_RAW, SMALL]) {
      const data = await dataObjects(t);
      expect(data, t).not.toContain(orphan(t, 'old'));
      expect(data, t).toContain(orphan(t, 'young'));
    }
    // Once the window has closed, a pass runs nothing: every action is recorded as skipped.
    const late = await runMaintenancePass(trino, { retention: [BRONZE_RAW, SMALL], compaction: [SMALL] }, {
      pass: 1, retention: true, compaction: true, retentionThresholdSeconds: 0, statementTimeoutSeconds: 300, stopping: () => true,
    });
    expect(late.map((r) => `${r.action} ${r.table} ${r.status}`)).toEqual([
      ...[BRONZE_RAW, SMALL].flatMap((t) => [`expire_snapshots ${t} skipped`, `remove_orphan_files ${t} skipped`]),
      `rewrite_data_files ${SMALL} skipped`,
    ]);
    expect(await snapshotIds(BRONZE_RAW)).toEqual(youngBronze);
    for (const t of [BRONZE_RAW, SMALL]) await sql(`DROP TABLE ${t}`);
  });
});

describe('lakebench cleanup on real Trino 476, Iceberg REST, MinIO and kube-apiserver', () => {
  it('with the query engine unreachable: the CLI exits 1 naming the endpoint, cleans Kubernetes and bronze, and keeps the bucket the tables live in', async () => {
    await op.createApp('lakebench-silver-build', labels);
    await op.createApp('someone-else');
    await createDatagenJob();
    const dead = `http://127.0.0.1:${await freePort()}`;
    const r = await lakebench(['cleanup', '--config', writeConfig('dead-engine', dead), '--kubeconfig', kubeconfigPath, '--json'], { env: cliEnv() });
    expectDeadEngineCleanup(r, dead);

    expect(await op.appExists('lakebench-silver-build')).toBe(false);
    expect(await op.appExists('someone-else')).toBe(true);
    expect(await jobExists()).toBe(false);
    expect(await objects(BUCKETS.bronze)).toEqual([]);
    // The tables are untouched, orphan included.
    expect(await snapshots(SILVER)).toBe(4);
    expect(await snapshots(GOLD)).toBe(2);
    for (const t of [SILVER, GOLD]) expect(await dataObjects(t)).toContain(orphanOf(t));
  });

  it('with Trino: every step ok; before each DROP one snapshot is left and only its files; then tables, jobs and bucket contents are gone', async () => {
    await op.createApp('lakebench-gold-finalize', labels);
    await createDatagenJob();
    const statements: string[] = [];
    type TableState = { snapshots: number; referenced: string[]; data: string[] };
    const beforeDrop: Record<string, TableState> = {};
    // The engine cleanup gets is the real TrinoEngine; the wrapper records the statements and, right
    // before a DROP, the table's state as the maintenance left it.
    const observed = observedEngine(() => TrinoEngine.open(trinoOptionsFromConfig(config)), statements, {
      beforeDrop: async (t) => {
        beforeDrop[t] ??= { snapshots: await snapshots(t), referenced: await referencedFiles(t), data: await dataObjects(t) };
      },
    });
    const log: string[] = [];
    const steps = await cleanup(client, settings, observed, { deleteBuckets: false, log: (l) => log.push(l) });
    expect(failedSteps(steps)).toEqual([]);
    const s = byStep(steps);
    expect(steps.map((x) => x.step)).toEqual(cleanupStepOrder(GOLD, SILVER));
    expect(log).toHaveLength(steps.length);
    expect(s['spark applications']!.detail).toBe('deleted lakebench-gold-finalize');
    expect(s['datagen and landing jobs']!.detail).toBe(`deleted ${DATAGEN_JOB_NAME}`);
    expect(s['query engine']!.detail).toBe('trino 476');
    expect(s[`maintenance ${SILVER}`]!.detail).toBe('expire_snapshots done, remove_orphan_files done, snapshots 4 -> 1');
    expect(s[`maintenance ${GOLD}`]!.detail).toBe('expire_snapshots done, remove_orphan_files done, snapshots 2 -> 1');
    expect(s[`drop ${GOLD}`]!.detail).toBe('dropped');
    expect(s[`drop ${SILVER}`]!.detail).toBe('dropped');
    expect(s['empty lakebench-bronze']!.detail).toBe('0 objects deleted');

    // The statements Trino 476 ran, in the seed's order: maintenance of both tables, then the DROPs.
    expect(statements.filter((x) => /^(ALTER|DROP)/.test(x))).toEqual([
      `ALTER TABLE ${GOLD} EXECUTE expire_snapshots(retention_threshold => '0s')`,
      `ALTER TABLE ${GOLD} EXECUTE remove_orphan_files(retention_threshold => '0s')`,
      `ALTER TABLE ${SILVER} EXECUTE expire_snapshots(retention_threshold => '0s')`,
      `ALTER TABLE ${SILVER} EXECUTE remove_orphan_files(retention_threshold => '0s')`,
      `DROP TABLE IF EXISTS ${GOLD}`,
      `DROP TABLE IF EXISTS ${SILVER}`,
    ]);
    for (const t of [SILVER, GOLD]) {
      const state = beforeDrop[t]!;
      expect(state.snapshots, t).toBe(1);
      // Old snapshots' files (expire_snapshots) and the orphan (remove_orphan_files) are gone from S3.
      expect(state.referenced.length, t).toBeGreaterThan(0);
      expect(state.data, t).toEqual(state.referenced);
      expect(state.data, t).not.toContain(orphanOf(t));
    }

    for (const t of [SILVER, GOLD]) {
      const r = await trino.execute(`SELECT * FROM ${t}`, { timeoutSeconds: 60 });
      expect(r.ok ? 'ok' : r.error.code, t).toBe('TABLE_NOT_FOUND');
    }
    await expectReleaseCleaned(s3, env!, op);
  });

  it('a second run finds nothing left and reports every step ok', async () => {
    const steps = await cleanup(client, settings, () => TrinoEngine.open(trinoOptionsFromConfig(config)), { deleteBuckets: false, log: () => {} });
    expectNothingLeftToClean(steps, [SILVER, GOLD]);
  });

  it('--delete-buckets deletes the buckets, and running it again through the CLI still exits 0', async () => {
    const steps = await cleanup(client, settings, () => TrinoEngine.open(trinoOptionsFromConfig(config)), { deleteBuckets: true, log: () => {} });
    const r = await lakebench(['cleanup', '--config', writeConfig('live-engine', trinoServer!.uri), '--kubeconfig', kubeconfigPath, '--delete-buckets'], { env: cliEnv() });
    await expectBucketsDeletedAndRerunClean(s3, steps, r, 'trino 476', SILVER);
  });
});
