// Proves the kubernetes tier's harness (test/harness/kube): a real kube-apiserver + etcd on
// 127.0.0.1, driven through the real @kubernetes/client-node, answers with the semantics the
// runner relies on — CRD schemas and the status subresource, watches and 410 Gone, RBAC,
// optimistic concurrency on Leases — and, with controllers on, Jobs and garbage collection.
import {
  BatchV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  VersionApi,
  setHeaderOptions,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheBin } from '../harness/cache.js';
import { apiErrorOf, applyManifests, installSparkOperatorCrds, recordWatch, startKubeApiServer, type KubeApiServer } from '../harness/kube/index.js';

const group = 'sparkoperator.k8s.io';
const version = 'v1beta2';
const plural = 'sparkapplications';

describe('kube-apiserver harness (no controllers)', () => {
  let api: KubeApiServer;
  let kc: KubeConfig;

  beforeAll(async () => {
    api = await startKubeApiServer();
    kc = api.adminKubeConfig();
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('reports the pinned Kubernetes version through client-node', async () => {
    const pinned = readFileSync(`${cacheBin('kube-apiserver')}.version`, 'utf8').trim();
    const info = await kc.makeApiClient(VersionApi).getCode();
    expect(info.gitVersion).toBe(pinned);
    expect(api.version).toBe(pinned);
    expect(api.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('creates a namespace', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'ns-create' } } });
    const ns = await core.readNamespace({ name: 'ns-create' });
    expect(ns.status?.phase).toBe('Active');
    expect((await apiErrorOf(core.createNamespace({ body: { metadata: { name: 'ns-create' } } }))).code).toBe(409);
  });

  it('serves the Spark Operator CRDs: schema validation, get, watch and the status subresource', async () => {
    const { crdNames, operatorVersion } = await installSparkOperatorCrds(kc);
    expect(operatorVersion).toMatch(/^v2\./);
    expect(crdNames.sort()).toEqual([`scheduledsparkapplications.${group}`, `sparkapplications.${group}`]);
    const namespace = 'spark-jobs';
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
    const custom = kc.makeApiClient(CustomObjectsApi);

    // The operator's OpenAPI schema is enforced: spec.type is an enum.
    const invalid = applyManifests(kc, sparkApplicationYaml('bad-type', namespace).replace('type: Python', 'type: Cobol'));
    const invalidError = await apiErrorOf(invalid);
    expect(invalidError.code).toBe(422);
    expect(invalidError.reason).toBe('Invalid');
    expect(invalidError.message).toContain('spec.type');

    // Watch from the list's resourceVersion so ADDED is the creation below, not a replay.
    const list = (await custom.listNamespacedCustomObject({ group, version, namespace, plural })) as { metadata: { resourceVersion: string } };
    const watch = await recordWatch(kc, `/apis/${group}/${version}/namespaces/${namespace}/${plural}`, list.metadata.resourceVersion);
    try {
      const [created] = await applyManifests(kc, sparkApplicationYaml('bronze-verify', namespace));
      expect(created?.metadata?.uid).toBeTruthy();
      const fetched = (await custom.getNamespacedCustomObject({ group, version, namespace, plural, name: 'bronze-verify' })) as KubernetesObject & {
        spec: { type: string; executor: { instances: number } };
      };
      expect(fetched.spec.type).toBe('Python');
      expect(fetched.spec.executor.instances).toBe(2);

      // Status written through the main resource is dropped: only the status subresource sets it.
      await custom.patchNamespacedCustomObject(
        { group, version, namespace, plural, name: 'bronze-verify', body: { status: { applicationState: { state: 'FAILED' }, driverInfo: {} } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      const afterMainPatch = (await custom.getNamespacedCustomObject({ group, version, namespace, plural, name: 'bronze-verify' })) as { status?: unknown };
      expect(afterMainPatch.status).toBeUndefined();

      await custom.patchNamespacedCustomObjectStatus(
        { group, version, namespace, plural, name: 'bronze-verify', body: { status: { applicationState: { state: 'RUNNING' }, driverInfo: { podName: 'bronze-verify-driver' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      const events = await watch.waitFor((seen) => seen.some((e) => e.type === 'MODIFIED' && stateOf(e.object) === 'RUNNING'));
      expect(events[0]?.type).toBe('ADDED');
      expect(events[0]?.object.metadata?.name).toBe('bronze-verify');
      const running = events.find((e) => e.type === 'MODIFIED' && stateOf(e.object) === 'RUNNING');
      expect(Number(running?.object.metadata?.resourceVersion)).toBeGreaterThan(Number(events[0]?.object.metadata?.resourceVersion));
    } finally {
      watch.stop();
    }
  });

  it('enforces RBAC for a ServiceAccount allowed only to get configmaps', async () => {
    const namespace = 'rbac-check';
    await applyManifests(kc, `
apiVersion: v1
kind: Namespace
metadata: {name: ${namespace}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: reader, namespace: ${namespace}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: configmap-getter, namespace: ${namespace}}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader-gets-configmaps, namespace: ${namespace}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: configmap-getter}
subjects:
- {kind: ServiceAccount, name: reader, namespace: ${namespace}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: existing, namespace: ${namespace}}
data: {answer: "42"}
`);
    const reader = await api.serviceAccountKubeconfig(namespace, 'reader');
    expect(reader.username).toBe(`system:serviceaccount:${namespace}:reader`);
    const core = reader.kubeConfig.makeApiClient(CoreV1Api);
    const cm = await core.readNamespacedConfigMap({ namespace, name: 'existing' });
    expect(cm.data?.answer).toBe('42');
    const denied = await apiErrorOf(core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'new' } } }));
    expect(denied.code).toBe(403);
    expect(denied.reason).toBe('Forbidden');
    expect(denied.message).toContain(`system:serviceaccount:${namespace}:reader`);
    expect((await apiErrorOf(core.listNamespacedConfigMap({ namespace }))).code).toBe(403);
    expect((await apiErrorOf(core.readNamespacedSecret({ namespace, name: 'anything' }))).code).toBe(403);
  });

  it('creates a Lease and rejects a stale update with 409 Conflict', async () => {
    const namespace = 'lease-check';
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
    const leases = kc.makeApiClient(CoordinationV1Api);
    const created = await leases.createNamespacedLease({
      namespace,
      body: { metadata: { name: 'lakebench-run' }, spec: { holderIdentity: 'runner-a', leaseDurationSeconds: 60 } },
    });
    // Runner B renews on top of A's version; A then writes with the version it read: conflict.
    const forB = structuredClone(created);
    forB.spec = { ...forB.spec, holderIdentity: 'runner-b' };
    const updated = await leases.replaceNamespacedLease({ namespace, name: 'lakebench-run', body: forB });
    expect(updated.spec?.holderIdentity).toBe('runner-b');
    const staleForA = structuredClone(created);
    staleForA.spec = { ...staleForA.spec, holderIdentity: 'runner-a', leaseTransitions: 1 };
    const conflict = await apiErrorOf(leases.replaceNamespacedLease({ namespace, name: 'lakebench-run', body: staleForA }));
    expect(conflict.code).toBe(409);
    expect(conflict.reason).toBe('Conflict');
    const final = await leases.readNamespacedLease({ namespace, name: 'lakebench-run' });
    expect(final.spec?.holderIdentity).toBe('runner-b');
  });
});

describe('kube-apiserver harness with watches served by etcd (watchCache: false)', () => {
  let api: KubeApiServer;
  let kc: KubeConfig;

  beforeAll(async () => {
    api = await startKubeApiServer({ watchCache: false });
    kc = api.adminKubeConfig();
    await installSparkOperatorCrds(kc, ['SparkApplication']);
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('ends a SparkApplication watch from a compacted resourceVersion with 410 Gone', async () => {
    const namespace = 'watch-expiry';
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
    const [first] = await applyManifests(kc, sparkApplicationYaml('first', namespace));
    const oldRv = first?.metadata?.resourceVersion;
    expect(oldRv).toBeTruthy();
    await applyManifests(kc, sparkApplicationYaml('second', namespace));
    const path = `/apis/${group}/${version}/namespaces/${namespace}/${plural}`;

    // Before compaction the old resourceVersion is still in etcd's history: the watch replays.
    const replay = await recordWatch(kc, path, oldRv);
    try {
      const replayed = await replay.waitFor((seen) => seen.some((e) => e.type === 'ADDED'));
      expect(replayed[0]?.object.metadata?.name).toBe('second');
    } finally {
      replay.stop();
    }

    // A watch from RV n starts at revision n+1, so history must be compacted past n+1 ("second").
    const [third] = await applyManifests(kc, sparkApplicationYaml('third', namespace));
    const compactedAt = await api.compactEtcd();
    expect(compactedAt).toBeGreaterThanOrEqual(Number(third?.metadata?.resourceVersion));
    const expired = await recordWatch(kc, path, oldRv);
    try {
      const events = await expired.waitFor((seen) => seen.some((e) => e.type === 'ERROR'));
      expect(events).toHaveLength(1);
      expect(events[0]?.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    } finally {
      expired.stop();
    }
  });
});

describe('kube-apiserver harness with kube-controller-manager', () => {
  let api: KubeApiServer;
  let kc: KubeConfig;

  beforeAll(async () => {
    api = await startKubeApiServer({ controllers: true });
    kc = api.adminKubeConfig();
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('runs the Job controller (Indexed Job pods) and the garbage collector', async () => {
    const namespace = 'datagen';
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
    const core = kc.makeApiClient(CoreV1Api);
    // The ServiceAccount controller gives every new namespace its `default` account.
    await waitFor(async () => (await core.listNamespacedServiceAccount({ namespace })).items.some((s) => s.metadata?.name === 'default'));

    const job = await kc.makeApiClient(BatchV1Api).createNamespacedJob({
      namespace,
      body: {
        metadata: { name: 'gen' },
        spec: {
          completionMode: 'Indexed',
          completions: 3,
          parallelism: 3,
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'gen', image: 'lakebench/runner:test' }] } },
        },
      },
    });
    const pods = await waitFor(async () => {
      const list = await core.listNamespacedPod({ namespace, labelSelector: 'job-name=gen' });
      return list.items.length === 3 ? list.items : undefined;
    });
    const indexes = pods.map((p) => p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index']).sort();
    expect(indexes).toEqual(['0', '1', '2']);
    expect(pods.every((p) => p.status?.phase === 'Pending')).toBe(true);
    expect(pods.every((p) => p.metadata?.ownerReferences?.[0]?.uid === job.metadata?.uid)).toBe(true);

    // Playing the kubelet: pods that report Succeeded are counted, and the Job completes.
    for (const pod of pods) {
      await core.patchNamespacedPodStatus(
        { namespace, name: pod.metadata?.name ?? '', body: { status: { phase: 'Succeeded' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    }
    const completed = await waitFor(async () => {
      const current = await kc.makeApiClient(BatchV1Api).readNamespacedJob({ namespace, name: 'gen' });
      return current.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? current : undefined;
    });
    expect(completed.status?.succeeded).toBe(3);
    expect(completed.status?.completedIndexes).toBe('0-2');

    // Deleting the Job in the background leaves its pods to the garbage collector.
    await kc.makeApiClient(BatchV1Api).deleteNamespacedJob({ namespace, name: 'gen', propagationPolicy: 'Background' });
    await waitFor(async () => ((await core.listNamespacedPod({ namespace })).items.length === 0 ? true : undefined));
  });
});

function stateOf(object: KubernetesObject): string | undefined {
  return (object as { status?: { applicationState?: { state?: string } } }).status?.applicationState?.state;
}

async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function sparkApplicationYaml(name: string, namespace: string): string {
  return `
apiVersion: ${group}/${version}
kind: SparkApplication
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  type: Python
  mode: cluster
  sparkVersion: 3.5.6
  image: apache/spark:3.5.6-python3
  mainApplicationFile: local:///opt/spark/scripts/bronze_verify.py
  driver: {cores: 1, memory: 2g, serviceAccount: lakebench-spark-runner}
  executor: {cores: 2, instances: 2, memory: 4g}
`;
}
