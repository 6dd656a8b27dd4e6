// The chart's default lakehouse on the real node: `helm install` of values/profile-tiny.yaml +
// values/hive-iceberg-trino.yaml (+ test/cluster/fixtures/node-overlay.yaml, only what the node cannot
// serve) in a namespace enforcing the restricted Pod Security Standard; every pod (PostgreSQL, the
// Hive Metastore after its schematool init, Trino coordinator and worker) becomes Ready from the
// stand-in images, the chart's `helm test` hooks pass against them, and an Iceberg table is written
// through Trino and the metastore into the S3 bucket.
import { CoreV1Api } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { s3Client } from '../harness/engines/s3.js';
import { nodeBinaries } from '../harness/node/binaries.js';
import { ensureNode } from '../harness/node/shared.js';
import type { NodeState } from '../harness/node/state.js';
import {
  componentOf,
  diagnose,
  helm,
  installLakehouse,
  lakehouseBuckets,
  prepareLakehouse,
  teardownLakehouse,
  waitForReleasePods,
  type LakehouseSite,
} from './fixtures/lakehouse-release.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const namespace = `lakehouse-${Date.now().toString(36)}`;
const release = 'lakebench';
const installDeadlineMs = 15 * 60_000;
const helmTestTimeout = '10m';

// The pods the default combination runs, by app.kubernetes.io/component.
const expectedComponents = ['hive-metastore', 'postgres', 'trino-coordinator', 'trino-worker'];

describe('the default lakehouse (profile-tiny, hive-iceberg-trino) on the real node', () => {
  let state: NodeState;
  let core: CoreV1Api;
  let site: LakehouseSite | undefined;
  const timings: Record<string, number> = {};
  // The later checks need the lakehouse up; without it they would only repeat the install's failure.
  let lakehouseReady = false;
  const requireLakehouse = () => {
    if (!lakehouseReady) throw new Error('not run: the lakehouse did not come up (see the install test)');
  };

  beforeAll(async () => {
    state = await ensureNode(inject('lakebenchNodeOwnerPid'));
    const values = await helm(state, ['show', 'values', path.join(repo, 'charts/lakebench')], 60_000);
    for (const bucket of lakehouseBuckets) expect(values, `charts/lakebench/values.yaml still names bucket ${bucket}`).toContain(bucket);
    site = await prepareLakehouse(state, { namespace, release });
    core = site.core;
  });

  afterAll(async () => {
    await teardownLakehouse(site);
    console.log(`lakehouse timings (s): ${JSON.stringify(timings)}`);
  });

  it('installs with every pod Ready under the restricted Pod Security Standard', async () => {
    const started = Date.now();
    await installLakehouse(site!);
    const pods = await waitForReleasePods(core, namespace, expectedComponents, installDeadlineMs);
    timings.installToReady = Math.round((Date.now() - started) / 1000);
    lakehouseReady = true;
    expect(pods.map(componentOf).sort()).toEqual(expectedComponents);
    const ns = await core.readNamespace({ name: namespace });
    expect(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const pod of pods) {
      expect(pod.spec?.securityContext?.runAsNonRoot, pod.metadata?.name).toBe(true);
      // The chart's own image references, resolved from the images the node imported (there is no
      // registry to pull from). A locally imported image has no repo digest, so containerd reports
      // its id as the bare config digest.
      for (const s of pod.status?.containerStatuses ?? []) {
        expect(s.image, `${pod.metadata?.name}/${s.name}`).toMatch(/^(docker\.io|ghcr\.io)\/[^@]+:[^@]+$/);
        expect(s.imageID, `${pod.metadata?.name}/${s.name}`).toMatch(/^sha256:[0-9a-f]{64}$/);
      }
    }
  });

  it('passes its helm test hooks (catalog health, S3 probe, Trino query through the metastore)', async () => {
    requireLakehouse();
    const started = Date.now();
    let output: string;
    try {
      output = await helm(state, ['test', release, '--namespace', namespace, '--timeout', helmTestTimeout, '--logs'], 11 * 60_000);
    } catch (e) {
      const hooks = (await core.listNamespacedPod({ namespace })).items.filter((p) => p.metadata?.annotations?.['helm.sh/hook'] === 'test');
      throw new Error(`${(e as Error).message}\n${await diagnose(core, namespace, hooks)}`, { cause: e });
    }
    timings.helmTest = Math.round((Date.now() - started) / 1000);
    for (const hook of ['catalog-health', 's3-probe', 'trino-query']) expect(output).toMatch(new RegExp(`TEST SUITE:\\s+${release}-test-${hook}\\n[^]*?Phase:\\s+Succeeded`));
    expect(output).not.toMatch(/Phase:\s+Failed/);
  });

  it('writes and reads an Iceberg table through Trino and the metastore, into the silver bucket', async () => {
    requireLakehouse();
    // The hooks above only list schemas; creating a schema and a table makes the metastore create
    // directories over S3A and commit Iceberg metadata, which a real benchmark run needs.
    const schema = `cluster_probe_${Date.now().toString(36)}`;
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: 'app.kubernetes.io/component=trino-coordinator' })).items;
    const coordinator = pods[0]?.metadata?.name;
    expect(coordinator, 'a Trino coordinator pod').toBeDefined();
    const sql = [
      `CREATE SCHEMA lakehouse.${schema}`,
      `CREATE TABLE lakehouse.${schema}.probe AS SELECT * FROM (VALUES 1, 2, 3) AS t(x)`,
      `SELECT sum(x) FROM lakehouse.${schema}.probe`,
    ].join('; ');
    let stdout: string;
    try {
      ({ stdout } = await run(nodeBinaries.kubectl, ['--kubeconfig', state.kubeconfigPath, '-n', namespace, 'exec', coordinator ?? '', '--', 'trino', '--execute', sql], { timeout: 300_000 }));
    } catch (e) {
      const hive = (await core.listNamespacedPod({ namespace, labelSelector: 'app.kubernetes.io/component=hive-metastore' })).items;
      throw new Error(`${(e as Error).message}\n${await diagnose(core, namespace, hive)}`, { cause: e });
    }
    expect(stdout).toContain('"6"');
    const client = s3Client(site!.minio);
    try {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: 'lakebench-silver', Prefix: `warehouse/${schema}.db/` }));
      const keys = (listed.Contents ?? []).map((o) => o.Key ?? '');
      expect(keys.some((k) => k.endsWith('.metadata.json')), keys.join(', ')).toBe(true);
      expect(keys.some((k) => k.endsWith('.parquet')), keys.join(', ')).toBe(true);
    } finally {
      client.destroy();
    }
  });
});
