// The chart's default lakehouse on the real node: `helm install` of values/profile-tiny.yaml +
// values/hive-iceberg-trino.yaml (+ test/cluster/fixtures/node-overlay.yaml, only what the node cannot
// serve) in a namespace enforcing the restricted Pod Security Standard; every pod (PostgreSQL, the
// Hive Metastore after its schematool init, Trino coordinator and worker) becomes Ready from the
// stand-in images, the chart's `helm test` hooks pass against them, and an Iceberg table is written
// through Trino and the metastore into the S3 bucket.
import { CoreV1Api, StorageV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cacheBin, cacheDir } from '../harness/cache.js';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ensureBucket, s3Client } from '../harness/engines/s3.js';
import { loadKubeconfig } from '../harness/kube/kubeconfig.js';
import { startMinio, type MinioServer } from '../harness/minio.js';
import { nodeBinaries } from '../harness/node/binaries.js';
import { nodeNetwork } from '../harness/node/layout.js';
import { createPodSecurityNamespace } from '../harness/node/pods.js';
import { ensureNode } from '../harness/node/shared.js';
import type { NodeState } from '../harness/node/state.js';
import { freePort } from '../harness/ports.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const namespace = `lakehouse-${Date.now().toString(36)}`;
const release = 'lakebench';
const storageClass = 'lakebench-static'; // the overlay's class of pre-created PVs
const installDeadlineMs = 15 * 60_000;
const helmTestTimeout = '10m';

// The PostgreSQL JDBC driver the chart's init container fetches (values.yaml), served to pods from the host.
const jdbcJar = {
  url: 'https://repo1.maven.org/maven2/org/postgresql/postgresql/42.7.14/postgresql-42.7.14.jar',
  sha256: '73914527305a40cce504b0d3d90b23caf565136912d607ae8ae7c5895512332c',
};

// The claims of the two StatefulSets (volumeClaimTemplate name - pod name), each pre-bound to a
// hostPath PV owned by the uid the chart runs that pod as (hostPath ignores fsGroup).
const claims = [
  { claim: `data-${release}-postgres-0`, size: '2Gi', uid: 999 },
  { claim: `spill-${release}-trino-worker-0`, size: '5Gi', uid: 1000 },
];
const pvRoot = path.join('/tmp/lakebench-node', 'pv', namespace);

// The pods the default combination runs, by app.kubernetes.io/component.
const expectedComponents = ['hive-metastore', 'postgres', 'trino-coordinator', 'trino-worker'];

const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The driver jar in the cache, downloaded once by the host (which trusts this machine's egress CA) and checked. */
async function cachedJdbcJar(): Promise<string> {
  const dir = path.join(cacheDir, 'cluster');
  const file = path.join(dir, path.basename(jdbcJar.url));
  if (existsSync(file) && sha256Of(file) === jdbcJar.sha256) return file;
  mkdirSync(dir, { recursive: true });
  await run('curl', ['-fsSL', '--retry', '3', '--max-time', '120', '-o', `${file}.tmp`, jdbcJar.url]);
  const actual = sha256Of(`${file}.tmp`);
  if (actual !== jdbcJar.sha256) throw new Error(`${jdbcJar.url}: sha256 ${actual}, expected ${jdbcJar.sha256}`);
  renameSync(`${file}.tmp`, file);
  return file;
}

/** Serves one file on the node's bridge address (where pods reach the host). */
async function serveFile(file: string): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  const name = `/${path.basename(file)}`;
  const server = http.createServer((req, res) => {
    if (req.url !== name) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/java-archive' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(port, nodeNetwork.nodeIp, resolve));
  return { url: `http://${nodeNetwork.nodeIp}:${port}${name}`, close: () => new Promise((r) => server.close(() => r())) };
}

const isReady = (pod: V1Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const componentOf = (pod: V1Pod) => pod.metadata?.labels?.['app.kubernetes.io/component'] ?? '?';

/** Status, every container's log tail (init containers included, previous run too) and the namespace's events: what a failure message needs. */
async function diagnose(core: CoreV1Api, pods: V1Pod[]): Promise<string> {
  const out: string[] = [];
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    out.push(`--- pod ${name}: phase ${pod.status?.phase}, conditions ${JSON.stringify(pod.status?.conditions?.map((c) => `${c.type}=${c.status}${c.reason ? `(${c.reason})` : ''}`))}`);
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const s of statuses) {
      out.push(`  container ${s.name}: ready=${s.ready} restarts=${s.restartCount} state=${JSON.stringify(s.state)} last=${JSON.stringify(s.lastState)}`);
      if (!s.state?.running && !s.state?.terminated && !s.lastState?.terminated) continue;
      for (const previous of [true, false]) {
        if (previous && !s.lastState?.terminated) continue;
        const log = await core
          .readNamespacedPodLog({ namespace, name, container: s.name, tailLines: 40, previous })
          .catch((e: unknown) => `(no log: ${String(e)})`);
        out.push(`  log ${s.name}${previous ? ' (previous)' : ''}:\n${log.replace(/^/gm, '    ')}`);
      }
    }
  }
  const events = await core.listNamespacedEvent({ namespace });
  out.push('--- events:');
  for (const e of events.items.slice(-40)) out.push(`  ${e.involvedObject.kind}/${e.involvedObject.name} ${e.type} ${e.reason}: ${e.message}`);
  return out.join('\n');
}

async function helm(state: NodeState, args: string[], timeoutMs: number): Promise<string> {
  try {
    const { stdout, stderr } = await run(cacheBin('helm3'), [...args, '--kubeconfig', state.kubeconfigPath], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
    return stdout + stderr;
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    throw new Error(`helm ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`, { cause: e });
  }
}

describe('the default lakehouse (profile-tiny, hive-iceberg-trino) on the real node', () => {
  let state: NodeState;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let minio: MinioServer | undefined;
  let jar: Awaited<ReturnType<typeof serveFile>> | undefined;
  const timings: Record<string, number> = {};
  // The later checks need the lakehouse up; without it they would only repeat the install's failure.
  let lakehouseReady = false;
  const requireLakehouse = () => {
    if (!lakehouseReady) throw new Error('not run: the lakehouse did not come up (see the install test)');
  };

  beforeAll(async () => {
    state = await ensureNode(inject('lakebenchNodeOwnerPid'));
    kc = loadKubeconfig(state.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    minio = await startMinio({ host: nodeNetwork.nodeIp });
    const values = await helm(state, ['show', 'values', path.join(repo, 'charts/lakebench')], 60_000);
    for (const bucket of ['lakebench-bronze', 'lakebench-silver', 'lakebench-gold', 'lakebench-results']) {
      expect(values, `charts/lakebench/values.yaml still names bucket ${bucket}`).toContain(bucket);
      await ensureBucket(minio, bucket);
    }
    jar = await serveFile(await cachedJdbcJar());

    await createPodSecurityNamespace(kc, namespace, 'restricted');
    await core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: 'lakebench-s3' }, stringData: { AWS_ACCESS_KEY_ID: minio.accessKey, AWS_SECRET_ACCESS_KEY: minio.secretKey } },
    });
    const storage = kc.makeApiClient(StorageV1Api);
    await storage.readStorageClass({ name: storageClass }).catch(() =>
      storage.createStorageClass({ body: { metadata: { name: storageClass }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'Immediate' } }),
    );
    for (const c of claims) {
      const dir = path.join(pvRoot, c.claim);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chownSync(dir, c.uid, c.uid);
      await core.createPersistentVolume({
        body: {
          metadata: { name: `${namespace}-${c.claim}`.slice(0, 253) },
          spec: {
            storageClassName: storageClass,
            capacity: { storage: c.size },
            accessModes: ['ReadWriteOnce'],
            persistentVolumeReclaimPolicy: 'Retain',
            hostPath: { path: dir, type: 'Directory' },
            claimRef: { namespace, name: c.claim },
          },
        },
      });
    }
  });

  afterAll(async () => {
    if (state) {
      await helm(state, ['uninstall', release, '--namespace', namespace, '--wait', '--timeout', '3m'], 200_000).catch(() => undefined);
      await run(nodeBinaries.kubectl, ['--kubeconfig', state.kubeconfigPath, 'delete', 'namespace', namespace, '--wait', '--timeout=180s']).catch(() => undefined);
      for (const c of claims) await core.deletePersistentVolume({ name: `${namespace}-${c.claim}`.slice(0, 253) }).catch(() => undefined);
      await kc.makeApiClient(StorageV1Api).deleteStorageClass({ name: storageClass }).catch(() => undefined);
    }
    rmSync(pvRoot, { recursive: true, force: true });
    await jar?.close();
    await minio?.stop();
    console.log(`lakehouse timings (s): ${JSON.stringify(timings)}`);
  });

  it('installs with every pod Ready under the restricted Pod Security Standard', async () => {
    const started = Date.now();
    await helm(
      state,
      [
        'install', release, path.join(repo, 'charts/lakebench'),
        '--namespace', namespace,
        '-f', path.join(repo, 'values/profile-tiny.yaml'),
        '-f', path.join(repo, 'values/hive-iceberg-trino.yaml'),
        '-f', path.join(repo, 'test/cluster/fixtures/node-overlay.yaml'),
        '--set', `storage.s3.endpoint=${minio?.endpoint ?? ''}`,
        '--set', `catalog.hive.jdbcDriver.url=${jar?.url ?? ''}`,
      ],
      120_000,
    );
    // Until every expected component has a pod and all of them are Ready; a crash loop fails at once.
    let pods: V1Pod[] = [];
    for (;;) {
      pods = (await core.listNamespacedPod({ namespace })).items.filter((p) => !p.metadata?.annotations?.['helm.sh/hook']);
      const components = pods.map(componentOf);
      const allThere = expectedComponents.every((c) => components.includes(c));
      if (allThere && pods.every(isReady)) break;
      const crashing = pods.filter((p) =>
        [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].some((s) => (s.restartCount ?? 0) >= 3),
      );
      const late = Date.now() - started > installDeadlineMs;
      if (crashing.length > 0 || late) {
        const why = late ? `not all Ready after ${installDeadlineMs / 1000} s` : `restarting: ${crashing.map((p) => p.metadata?.name).join(', ')}`;
        throw new Error(`lakehouse ${why}\n${await diagnose(core, pods.filter((p) => !isReady(p)))}`);
      }
      await new Promise((r) => setTimeout(r, 3000));
    }
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
      throw new Error(`${(e as Error).message}\n${await diagnose(core, hooks)}`, { cause: e });
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
      throw new Error(`${(e as Error).message}\n${await diagnose(core, hive)}`, { cause: e });
    }
    expect(stdout).toContain('"6"');
    const client = s3Client(minio!);
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
