// `lakebench plan` output created on a real kube-apiserver (v1.36.4) with the Spark Operator v2.5.2
// CRDs: the server validates every object against its schema, and reading the objects back proves no
// field was pruned as unknown. Pods built from the Spark pod templates and the datagen Job's pod
// template are admitted in a namespace that enforces the restricted Pod Security Standard.
import { BatchV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorOf, applyManifests, installSparkOperatorCrds, startKubeApiServer, type KubeApiServer } from '../harness/kube/index.js';
import { runPlan, type Plan } from '../../runner/src/platforms/kubernetes/manifests/plan.js';
import type { SparkApplication } from '../../runner/src/platforms/kubernetes/manifests/spark-application.js';
import type { JobManifest } from '../../runner/src/platforms/kubernetes/manifests/datagen-job.js';
import { clusterConfig, COMBINATIONS, RUN_ID, type Combination } from './plan-configs.js';

const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const RESTRICTED = { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' };

let api: KubeApiServer;
let kc: KubeConfig;

async function restrictedNamespace(name: string): Promise<void> {
  await applyManifests(kc, [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: RESTRICTED } },
    // Without the ServiceAccount controller nothing creates these; the ServiceAccount admission plugin needs them.
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'lakebench-spark-runner', namespace: name } },
  ]);
}

async function applyPlan(combination: Combination, scale: number): Promise<{ plan: Plan; namespace: string }> {
  const namespace = `plan-${combination}-${String(scale).replace('.', '-')}`;
  await restrictedNamespace(namespace);
  const plan = runPlan(clusterConfig(combination, { namespace, scale: Math.min(scale, 100) }), { runId: RUN_ID, scale });
  const applied = await applyManifests(kc, json(plan.objects));
  expect(applied).toHaveLength(plan.objects.length);
  return { plan, namespace };
}

beforeAll(async () => {
  api = await startKubeApiServer();
  kc = api.adminKubeConfig();
  await installSparkOperatorCrds(kc, ['SparkApplication']);
});
afterAll(async () => {
  await api?.stop();
});

describe('plan manifests on a real API server', () => {
  it.each(COMBINATIONS.flatMap((c) => [1, 100].map((s) => [c, s] as const)))('%s at scale %d: created, and read back field for field', async (combination, scale) => {
    const { plan, namespace } = await applyPlan(combination, scale);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const core = kc.makeApiClient(CoreV1Api);
    for (const sent of plan.objects) {
      if (sent.kind === 'SparkApplication') {
        const back = (await custom.getNamespacedCustomObject({ group: 'sparkoperator.k8s.io', version: 'v1beta2', namespace, plural: 'sparkapplications', name: sent.metadata.name })) as SparkApplication;
        expect(back.spec).toEqual(json(sent.spec));
        expect(back.metadata.labels).toEqual(sent.metadata.labels);
      } else if (sent.kind === 'ConfigMap') {
        const back = await core.readNamespacedConfigMap({ namespace, name: sent.metadata.name });
        expect(back.data).toEqual(sent.data);
      } else {
        const back = await kc.makeApiClient(BatchV1Api).readNamespacedJob({ namespace, name: sent.metadata.name });
        const want = (sent as JobManifest).spec!;
        expect(back.spec).toMatchObject({ completionMode: 'Indexed', completions: want.completions, parallelism: want.parallelism, backoffLimitPerIndex: want.backoffLimitPerIndex, maxFailedIndexes: 0 });
        expect(json(back.spec?.template.spec?.containers[0])).toMatchObject(json(want.template.spec!.containers[0]!));
      }
    }
  });

  it('creates the stage documents of the largest scale (10,000: 200,000 bronze files), a few KiB each: they point at the datagen manifest', async () => {
    const { plan, namespace } = await applyPlan('hive-iceberg', 10_000);
    const core = kc.makeApiClient(CoreV1Api);
    for (const stage of ['bronze-verify', 'silver-build', 'gold-finalize']) {
      const back = await core.readNamespacedConfigMap({ namespace, name: `lakebench-${stage}-${RUN_ID}` });
      expect(back.data?.['job.json']?.length, stage).toBeLessThan(16 * 1024);
      expect(back.metadata?.annotations).toEqual({ 'lakebench.io/bronze-manifest': 'projected' });
      // 100,000 GiB in 512 MiB files; the list itself stays in the bucket.
      expect(JSON.parse(back.data!['job.json']!).bronze).toMatchObject({
        uri: 's3a://lakebench-bronze/customer/interactions/',
        manifest: { uri: 's3a://lakebench-bronze/customer/_manifest/manifest.json', files: 200_000, total_rows: 25_565_281_523, fingerprint: 'projected' },
      });
    }
    expect(plan.scale).toBe(10_000);
  });

  it('rejects a schema violation the same way (so the creations above were checked)', async () => {
    const plan = runPlan(clusterConfig('hive-iceberg', { namespace: 'plan-hive-iceberg-1' }), { runId: RUN_ID });
    const app = json(plan.objects.find((o) => o.kind === 'SparkApplication')!) as SparkApplication;
    (app.spec.executor as { instances: number }).instances = 0;
    const error = await apiErrorOf(applyManifests(kc, [app]));
    expect(error.code).toBe(422);
    expect(error.message).toContain('spec.executor.instances');
  });

  it('admits pods built from the Spark pod templates and the datagen pod template under the restricted profile', async () => {
    const namespace = 'plan-pods';
    await restrictedNamespace(namespace);
    const plan = runPlan(clusterConfig('polaris-iceberg', { namespace }), { runId: RUN_ID });
    const pods: V1Pod[] = [];
    for (const o of plan.objects) {
      if (o.kind === 'SparkApplication') {
        const a = o as SparkApplication;
        for (const role of ['driver', 'executor'] as const) {
          const t = a.spec[role].template;
          pods.push({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: `${a.metadata.name}-${role}`, namespace, labels: t.metadata?.labels },
            spec: { ...t.spec!, serviceAccountName: a.spec.driver.serviceAccount, containers: t.spec!.containers.map((c) => ({ ...c, image: a.spec.image })) },
          });
        }
      }
      if (o.kind === 'Job') {
        const j = o as JobManifest;
        pods.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lakebench-datagen-0', namespace }, spec: j.spec!.template.spec! });
      }
    }
    expect(pods).toHaveLength(7);
    const created = await applyManifests(kc, json(pods));
    expect(created.map((p) => p.metadata?.name).sort()).toEqual(pods.map((p) => p.metadata!.name).sort());
    // The namespace does enforce the profile: the same driver pod without its security context is refused.
    const bare = json(pods[0]!);
    bare.metadata!.name = 'no-security-context';
    delete bare.spec!.securityContext;
    delete bare.spec!.containers[0]!.securityContext;
    const refused = await apiErrorOf(applyManifests(kc, [bare]));
    expect(refused.code).toBe(403);
    expect(refused.message).toMatch(/violates PodSecurity "restricted/);
  });
});
