// The Spark Thrift combination on the real node: `helm install` of values/profile-tiny.yaml +
// values/hive-iceberg-spark-thrift.yaml (+ node-overlay.yaml and spark-thrift-overlay.yaml, only what
// the node cannot serve) in a namespace enforcing the restricted Pod Security Standard. PostgreSQL, the
// Hive Metastore 4.0.1 and the Spark 4.0.1 Thrift server become Ready from the stand-in images, the
// Thrift server resolving its packages (Iceberg, S3A, Hive 4's metastore client) from the host's Maven
// mirror; the chart's `helm test` hooks pass (their beeline opens a JDBC session, which runs
// `USE default` at open); and the runner's own HiveServer2 client creates and reads an Iceberg table
// through the Thrift server and the metastore, whose files land in the silver bucket.
import type { CoreV1Api } from '@kubernetes/client-node';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SparkThriftEngine } from '../../runner/src/engines/spark-thrift-engine.js';
import { cacheDir } from '../harness/cache.js';
import { s3Client } from '../harness/engines/s3.js';
import { ensureNode } from '../harness/node/shared.js';
import type { NodeState } from '../harness/node/state.js';
import { serveFolder, type StaticServer } from '../harness/node/static-server.js';
import {
  componentOf,
  diagnose,
  expectRestrictedRelease,
  helm,
  installLakehouse,
  lakehouseClaims,
  prepareLakehouse,
  teardownLakehouse,
  waitForReleasePods,
  type LakehouseSite,
} from './fixtures/lakehouse-release.js';

const namespace = `thrift-${Date.now().toString(36)}`;
const release = 'lakebench';
const installDeadlineMs = 5 * 60_000;
const helmTestTimeout = '4m';
const silverBucket = 'lakebench-silver';
const mavenMirror = path.join(cacheDir, 'cluster', 'maven');
// Only PostgreSQL's claim: this combination has no Trino worker and its spill volume.
const claims = lakehouseClaims(release).filter((c) => c.claim === `data-${release}-postgres-0`);
// The pods of this combination, by app.kubernetes.io/component.
const expectedComponents = ['hive-metastore', 'postgres', 'spark-thrift'];
// What the Thrift server's Ivy must fetch from the mirror for Hive 4's metastore client (values.yaml).
const hive4ClientJar = '/org/apache/hive/hive-standalone-metastore-common/4.0.1/hive-standalone-metastore-common-4.0.1.jar';

describe('the Spark Thrift lakehouse (profile-tiny, hive-iceberg-spark-thrift) on the real node', () => {
  let state: NodeState;
  let core: CoreV1Api;
  let site: LakehouseSite | undefined;
  let maven: StaticServer | undefined;
  const timings: Record<string, number> = {};
  // The later checks need the lakehouse up; without it they would only repeat the install's failure.
  let lakehouseReady = false;
  const requireLakehouse = () => {
    if (!lakehouseReady) throw new Error('not run: the lakehouse did not come up (see the install test)');
  };
  const thriftDiagnosis = async () =>
    diagnose(core, namespace, (await core.listNamespacedPod({ namespace })).items.filter((p) => ['spark-thrift', 'hive-metastore'].includes(componentOf(p))));

  beforeAll(async () => {
    state = await ensureNode(inject('lakebenchNodeOwnerPid'));
    if (!existsSync(`${mavenMirror}.version`)) throw new Error(`${mavenMirror}: run LAKEBENCH_CACHE=${cacheDir} bash test/setup/75-cluster-runner.sh`);
    site = await prepareLakehouse(state, { namespace, release, claims });
    core = site.core;
    maven = await serveFolder(mavenMirror);
  });

  afterAll(async () => {
    await teardownLakehouse(site);
    await maven?.close();
    console.log(`spark-thrift timings (s): ${JSON.stringify(timings)}`);
  }, 7 * 60_000);

  it('installs with every pod Ready under the restricted Pod Security Standard, packages from the Maven mirror', async () => {
    const started = Date.now();
    await installLakehouse(site!, {
      combination: 'values/hive-iceberg-spark-thrift.yaml',
      overlays: ['spark-thrift-overlay.yaml'],
      sets: [`spark.mavenRepository=${maven!.url}`],
    });
    const pods = await waitForReleasePods(core, namespace, expectedComponents, installDeadlineMs);
    timings.installToReady = Math.round((Date.now() - started) / 1000);
    lakehouseReady = true;
    expect(pods.map(componentOf).sort()).toEqual(expectedComponents);
    await expectRestrictedRelease(core, namespace, pods);
    const thrift = pods.find((p) => componentOf(p) === 'spark-thrift');
    expect(thrift?.status?.containerStatuses?.[0]?.image).toBe('docker.io/apache/spark:4.0.1-python3');
    // Hive 4's client came from the mirror, not from the image.
    expect(maven!.requests).toContain(`GET ${hive4ClientJar}`);
  });

  it('passes its helm test hooks (catalog health, S3 probe, a beeline JDBC session on the Thrift server)', async () => {
    requireLakehouse();
    const started = Date.now();
    let output: string;
    try {
      output = await helm(state, ['test', release, '--namespace', namespace, '--timeout', helmTestTimeout, '--logs'], 5 * 60_000);
    } catch (e) {
      const hooks = (await core.listNamespacedPod({ namespace })).items.filter((p) => p.metadata?.annotations?.['helm.sh/hook'] === 'test');
      throw new Error(`${(e as Error).message}\n${await diagnose(core, namespace, hooks)}\n${await thriftDiagnosis()}`, { cause: e });
    }
    timings.helmTest = Math.round((Date.now() - started) / 1000);
    for (const hook of ['catalog-health', 's3-probe', 'spark-thrift-query']) expect(output).toMatch(new RegExp(`TEST SUITE:\\s+${release}-test-${hook}\\n[^]*?Phase:\\s+Succeeded`));
    expect(output).not.toMatch(/Phase:\s+Failed/);
  });

  it("creates and reads an Iceberg table through the Thrift server and the metastore with the runner's HiveServer2 client, into the silver bucket", async () => {
    requireLakehouse();
    const started = Date.now();
    // The Service's ClusterIP: the host reaches it through kube-proxy, as the runner's pod would by name.
    const service = await core.readNamespacedService({ namespace, name: `${release}-spark-thrift` });
    const host = service.spec?.clusterIP;
    expect(host, 'the Thrift Service has a ClusterIP').toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const engine = await SparkThriftEngine.open({ host: host!, port: 10000, catalog: 'lakehouse' });
    const namespaceName = `cluster_probe_${Date.now().toString(36)}`;
    const table = `lakehouse.${namespaceName}.probe`;
    try {
      expect(await engine.version()).toBe('4.0.1');
      // Creating a namespace and a table makes Iceberg's HiveCatalog call the metastore (database and
      // table creation, then the table lookups a read makes) and write data and metadata over S3A.
      for (const sql of [`CREATE NAMESPACE lakehouse.${namespaceName}`, `CREATE TABLE ${table} USING iceberg AS SELECT * FROM VALUES (1), (2), (3) AS t(x)`]) {
        const r = await engine.execute(sql, { timeoutSeconds: 240 });
        if (!r.ok) throw new Error(`${sql}: ${r.error.code}: ${r.error.message}\n${await thriftDiagnosis()}`);
      }
      const read = await engine.execute(`SELECT sum(x) FROM ${table}`, { timeoutSeconds: 240 });
      if (!read.ok) throw new Error(`SELECT: ${read.error.code}: ${read.error.message}\n${await thriftDiagnosis()}`);
      expect(read.rows).toEqual([[6n]]);
      const tables = await engine.execute(`SHOW TABLES IN lakehouse.${namespaceName}`, { timeoutSeconds: 120 });
      expect(tables.ok && tables.rows.map((r) => r[1]), 'the metastore lists the table').toEqual(['probe']);
    } finally {
      await engine.close();
    }
    timings.tableRoundTrip = Math.round((Date.now() - started) / 1000);
    const client = s3Client(site!.minio);
    try {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: silverBucket, Prefix: `warehouse/${namespaceName}.db/probe/` }));
      const keys = (listed.Contents ?? []).map((o) => o.Key ?? '');
      expect(keys.some((k) => k.endsWith('.metadata.json')), keys.join(', ')).toBe(true);
      expect(keys.some((k) => k.endsWith('.parquet')), keys.join(', ')).toBe(true);
    } finally {
      client.destroy();
    }
  });
});
