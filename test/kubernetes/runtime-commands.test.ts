// `lakebench status` and `lakebench cleanup` logic against the real API server (runner Role) and
// MinIO. The Trino/Iceberg steps of cleanup are NOT exercised here: the engine factory fails, and
// the test checks that cleanup records that step as failed and still does every other step.
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { CreateBucketCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { useMinio, useRuntimeEnv } from './fixtures/suite-servers.js';
import { releaseStatus, statusTable } from '../../runner/src/platforms/kubernetes/release-status.js';
import { cleanup } from '../../runner/src/platforms/kubernetes/cleanup.js';
import { clusterSettings } from '../../runner/src/platforms/kubernetes/manifests/cluster-settings.js';
import { configSchema } from '../../runner/src/config/schema.js';

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const labels = { 'app.kubernetes.io/instance': 'lakebench', 'app.kubernetes.io/part-of': 'lakebench' };

const { minio, s3 } = useMinio([]);
const env = useRuntimeEnv();

describe('status', () => {
  it('reports each component and turns ready when replicas and endpoints are', async () => {
    const { client } = await env.namespace('status');
    const apps = env.admin.makeApiClient(AppsV1Api);
    const core = env.admin.makeApiClient(CoreV1Api);
    const template = { metadata: { labels: { app: 'trino' } }, spec: { containers: [{ name: 'trino', image: 'trinodb/trino:476' }] } };
    await apps.createNamespacedDeployment({ namespace: 'status', body: { metadata: { name: 'lakebench-trino', labels }, spec: { replicas: 1, selector: { matchLabels: { app: 'trino' } }, template } } });
    await core.createNamespacedService({ namespace: 'status', body: { metadata: { name: 'lakebench-trino', labels }, spec: { selector: { app: 'trino' }, ports: [{ port: 8080 }] } } });
    const before = await releaseStatus(client, 'lakebench');
    expect(before.map((r) => [r.kind, r.name, r.ready])).toEqual([['Deployment', 'lakebench-trino', false], ['Service', 'lakebench-trino', false]]);
    expect(statusTable(before)).toContain('NOT READY');

    // The controllers' part, written by the test: a ready replica and a ready endpoint address.
    await apps.patchNamespacedDeploymentStatus({ namespace: 'status', name: 'lakebench-trino', body: { status: { replicas: 1, readyReplicas: 1 } } }, merge);
    await core.createNamespacedEndpoints({ namespace: 'status', body: { metadata: { name: 'lakebench-trino', labels }, subsets: [{ addresses: [{ ip: '10.0.0.7' }], ports: [{ port: 8080 }] }] } });
    const after = await releaseStatus(client, 'lakebench');
    expect(after.every((r) => r.ready)).toBe(true);
    expect(after.find((r) => r.kind === 'Service')?.detail).toBe('1 ready endpoint');
  });
});

describe('cleanup', () => {
  it('deletes the release’s Spark applications, empties the buckets, deletes them only when asked, and is safe to re-run', async () => {
    const { client, op } = await env.namespace('lakebench');
    const config = configSchema.parse({ cluster: { namespace: 'lakebench', storage: { endpoint: minio.endpoint }, catalog: { type: 'hive', uri: 'thrift://hms:9083' } } });
    const s = clusterSettings(config);
    for (const b of Object.values(s.buckets)) {
      await s3.send(new CreateBucketCommand({ Bucket: b }));
      for (let i = 0; i < 3; i++) await s3.send(new PutObjectCommand({ Bucket: b, Key: `x/${i}`, Body: 'x' }));
    }
    await op.createApp('lakebench-silver-build', labels);
    await op.createApp('someone-else');
    const noEngine = async () => {
      throw new Error('Trino is not reachable');
    };
    const first = await cleanup(client, s, noEngine, { deleteBuckets: false, log: () => {} });
    expect(first.find((x) => x.step === 'spark applications')).toMatchObject({ ok: true, detail: 'deleted lakebench-silver-build' });
    expect(first.find((x) => x.step === 'query engine')).toMatchObject({ ok: false });
    expect(await op.appExists('lakebench-silver-build')).toBe(false);
    expect(await op.appExists('someone-else')).toBe(true);
    for (const b of Object.values(s.buckets)) {
      expect((await s3.send(new ListObjectsV2Command({ Bucket: b }))).KeyCount).toBe(0);
      await s3.send(new HeadBucketCommand({ Bucket: b }));
    }
    // Re-run after the partial failure, this time deleting the buckets; then once more with nothing left.
    const second = await cleanup(client, s, noEngine, { deleteBuckets: true, log: () => {} });
    expect(second.filter((x) => x.step.startsWith('delete ')).every((x) => x.ok && x.detail === 'deleted')).toBe(true);
    const third = await cleanup(client, s, noEngine, { deleteBuckets: true, log: () => {} });
    expect(third.filter((x) => x.step !== 'query engine').every((x) => x.ok)).toBe(true);
    expect(third.find((x) => x.step === 'empty lakebench-bronze')?.detail).toBe('no such bucket');
  });
});
