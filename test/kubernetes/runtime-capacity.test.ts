// The capacity preflight against the real kube-apiserver, acting as the chart's runner
// ServiceAccount. With the chart's read-only ClusterRole (nodes, pods list) it judges what the
// scheduler will: each schedulable node's allocatable minus the requests of the pods bound to it and
// not finished, in every namespace, against the Spark/datagen peak by requests × headroom (continuous
// mode: the streaming jobs and the landing pod at once, the streaming budget sharing that room). With node
// read but pods only in its namespace (the Role) it subtracts those and says so; with no pod read, or
// no node read (then the declared cluster.nodes), it budgets the always-on services at the chart's
// default requests; with neither source it says it was skipped. Node objects and the pods bound to them
// are created by the test as a kubelet and the scheduler would leave them; no kubelet runs.
import { CoreV1Api, PatchStrategy, RbacAuthorizationV1Api, setHeaderOptions } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { RUNNER_SA, SPARK_SA } from './runtime-env.js';
import { useRuntimeEnv } from './fixtures/suite-servers.js';
import { clusterConfig } from './plan-configs.js';
import { capacityPreflight, readRoom } from '../../runner/src/platforms/kubernetes/capacity.js';
import { streamingBudgetCpu } from '../../runner/src/platforms/kubernetes/continuous.js';
import type { LakebenchConfig } from '../../runner/src/config/schema.js';
import { BadInputError } from '../../runner/src/util/errors.js';

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

// The cluster tier's stage sizes (test/cluster/fixtures/runner-overlay.yaml): one 1-core executor of
// 1 + 1 GiB and a 1-core / 1 GiB driver per stage, a 0.1 CPU / 2 GiB datagen pod, at scale 0.01.
// With `request` the pods request that much CPU instead of their cores.
const tiny = (request?: number, nodes?: { count: number; cpu: number; memoryGb: number }) => {
  const stage = {
    executorCores: 1, executorHeapGb: 1, executorOverheadGb: 1, driverCores: 1, driverMemoryGb: 1, scratchGi: 1,
    ...(request === undefined ? {} : { executorCoreRequest: request, driverCoreRequest: request }),
  };
  return clusterConfig('hive-iceberg', {
    scale: 0.01,
    spark: { executors: { 'bronze-verify': 1, 'silver-build': 1, 'gold-finalize': 1 }, resources: { 'bronze-verify': stage, 'silver-build': stage, 'gold-finalize': stage } },
    datagen: { pod: { cpu: 0.1, memoryGb: 2 } },
    nodes,
  });
};

// Continuous mode's three streaming jobs at scale 0.01 (2, 4 and 2 executors): 1-core executors of 1 + 1
// GiB and 1-core / 1 GiB drivers, every pod requesting 100m; the landing pod 0.1 CPU / 2 GiB.
const streamingTiny = (): LakebenchConfig => {
  const job = { executorCores: 1, executorHeapGb: 1, executorOverheadGb: 1, driverCores: 1, driverMemoryGb: 1, scratchGi: 1, executorCoreRequest: 0.1, driverCoreRequest: 0.1 };
  const c = clusterConfig('hive-iceberg', { scale: 0.01, spark: { resources: { 'bronze-ingest': job, 'silver-stream': job, 'gold-refresh': job } }, datagen: { pod: { cpu: 0.1, memoryGb: 2 } } });
  return { ...c, pipeline: { ...c.pipeline, mode: 'continuous' } };
};

async function refusal(p: Promise<string>): Promise<BadInputError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BadInputError);
  expect((e as BadInputError).where).toBe('scale');
  return e as BadInputError;
}

describe('capacity preflight on the API server', () => {
  const env = useRuntimeEnv();
  let core: CoreV1Api;
  let rbac: RbacAuthorizationV1Api;
  beforeAll(() => {
    core = env.admin.makeApiClient(CoreV1Api);
    rbac = env.admin.makeApiClient(RbacAuthorizationV1Api);
  });

  async function registerNode(name: string, allocatable: { cpu: string; memory: string }, unschedulable = false): Promise<void> {
    await core.createNode({ body: { metadata: { name }, spec: { unschedulable } } });
    // Allocatable is status, which only the status subresource accepts (as from a kubelet).
    await core.patchNodeStatus({ name, body: { status: { capacity: allocatable, allocatable } } }, merge);
  }

  /** A pod as the scheduler leaves it: bound to `node` (or to none), in `phase` as the kubelet reports it. */
  async function pod(namespace: string, name: string, node: string | undefined, requests: { cpu: string; memory: string }, phase = 'Running'): Promise<void> {
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name },
        spec: { ...(node ? { nodeName: node } : {}), serviceAccountName: SPARK_SA, containers: [{ name: 'c', image: 'registry.example.com/x:1', resources: { requests, limits: { memory: requests.memory } } }] },
      },
    });
    await core.patchNamespacedPodStatus({ namespace, name, body: { status: { phase } } }, merge);
  }

  /** A namespace of another team: its pods occupy the same nodes. */
  async function otherNamespace(name: string): Promise<void> {
    await core.createNamespace({ body: { metadata: { name } } });
    await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: SPARK_SA } } });
  }

  /** What an older chart or a hand-written RBAC grants: nodes, but no pods cluster-wide. */
  async function grantNodesOnly(ns: string): Promise<void> {
    const name = `${ns}-nodes-only`;
    await rbac.createClusterRole({ body: { metadata: { name }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }] } });
    await rbac.createClusterRoleBinding({
      body: { metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects: [{ kind: 'ServiceAccount', name: RUNNER_SA, namespace: ns }] },
    });
  }

  it('no node registered: the declared cluster.nodes decides, else it says skipped', async () => {
    const { client } = await env.namespace('cap-empty');
    expect(await readRoom(client, tiny(0.1))).toBeUndefined();
    expect(await capacityPreflight(client, tiny(0.1))).toBe('capacity preflight skipped: the runner may not list nodes and cluster.nodes is not declared');
    expect(await capacityPreflight(client, tiny(0.1, { count: 1, cpu: 8, memoryGb: 24 }))).toMatch(/^capacity preflight: scale 0\.01 needs 3\.7 CPU \/ 15\.5 GiB, declared cluster\.nodes, always-on services at the chart's default requests: 8\.0 CPU \/ 24\.0 GiB$/);
  });

  it("with the chart ClusterRole: a scale fits a 2-CPU node next to the release's pods only because its pods request less CPU than their cores", async () => {
    const { client } = await env.namespace('cap-room');
    await registerNode('small', { cpu: '2', memory: '16Gi' });
    await registerNode('cordoned', { cpu: '64', memory: '512Gi' }, true);
    // The release's always-on services at the cluster tier's scaled-down requests: 700m, 7.5 GiB.
    await pod('cap-room', 'postgres-0', 'small', { cpu: '100m', memory: '512Mi' });
    await pod('cap-room', 'hive-metastore', 'small', { cpu: '100m', memory: '1Gi' });
    await pod('cap-room', 'trino-coordinator', 'small', { cpu: '200m', memory: '2Gi' });
    await pod('cap-room', 'trino-worker', 'small', { cpu: '200m', memory: '3Gi' });
    await pod('cap-room', 'runner', 'small', { cpu: '100m', memory: '1Gi' }, 'Pending');
    // Not counted: a finished datagen pod, a pod not bound yet, a pod on the cordoned node.
    await pod('cap-room', 'datagen-done', 'small', { cpu: '1', memory: '4Gi' }, 'Succeeded');
    await pod('cap-room', 'unbound', undefined, { cpu: '1', memory: '4Gi' }, 'Pending');
    await pod('cap-room', 'on-cordoned', 'cordoned', { cpu: '1', memory: '4Gi' });
    // Another namespace's pod on the same node (CoreDNS on the real node): counted.
    await otherNamespace('cap-system');
    await pod('cap-system', 'coredns', 'small', { cpu: '100m', memory: '70Mi' });

    const source = "1 schedulable node's allocatable minus the requests of the 6 pods bound to it in all namespaces";
    // 2 − 0.8 = 1.2 CPU free; 16 − 7.5 − 70 MiB ≈ 8.43 GiB. Needed: (0.1 + 0.1) × 1.15 CPU, (2 + 1 + 1) × 1.15 GiB.
    expect(await capacityPreflight(client, tiny(0.1))).toBe(`capacity preflight: scale 0.01 needs 0.23 CPU / 4.60 GiB (Spark/datagen peak × headroom), ${source}: free 1.20 CPU / 8.43 GiB`);
    // The same stages requesting their cores: 2 × 1.15 = 2.3 CPU do not fit the 1.2 left.
    expect((await refusal(capacityPreflight(client, tiny()))).message).toBe(`scale: scale 0.01 does not fit this cluster (${source}): needs 2.3 CPU (peak bronze-verify 2, × 1.15), free 1.2`);
  });

  it('the same scale is refused when other pods take the room', async () => {
    const { client } = await env.clientFor('cap-room');
    await pod('cap-system', 'batch-of-another-team', 'small', { cpu: '1100m', memory: '1Gi' });
    expect((await refusal(capacityPreflight(client, tiny(0.1)))).message).toBe(
      "scale: scale 0.01 does not fit this cluster (1 schedulable node's allocatable minus the requests of the 7 pods bound to it in all namespaces): needs 0.23 CPU (peak bronze-verify 0.2, × 1.15), free 0.1",
    );
  });

  it("without cluster-wide pod read: the namespace's pods are subtracted, and the message says other namespaces' are not", async () => {
    const { client } = await env.namespace('cap-ns', { chartSets: ['runner.rbac.readNodes=false'] });
    await grantNodesOnly('cap-ns');
    await expect(client.core.listPodForAllNamespaces({})).rejects.toMatchObject({ code: 403 });
    await pod('cap-ns', 'trino-worker', 'small', { cpu: '200m', memory: '3Gi' });
    await pod('cap-ns', 'runner', 'small', { cpu: '100m', memory: '1Gi' });
    // cap-room's and cap-system's 1.9 CPU on the node are invisible here: 2 − 0.3 = 1.7 free.
    expect(await capacityPreflight(client, tiny(0.1))).toBe(
      "capacity preflight: scale 0.01 needs 0.23 CPU / 4.60 GiB (Spark/datagen peak × headroom), 1 schedulable node's allocatable minus the requests of the 2 pods bound to it in namespace cap-ns only (the runner may not list pods cluster-wide; other namespaces' pods are not counted): free 1.70 CPU / 12.00 GiB",
    );
  });

  it("with node read but no pod read at all: the whole node, always-on services at the chart's default requests", async () => {
    const { client } = await env.namespace('cap-nopods', { chartSets: ['runner.rbac.readNodes=false'] });
    await grantNodesOnly('cap-nopods');
    const role = await rbac.readNamespacedRole({ namespace: 'cap-nopods', name: RUNNER_SA });
    await rbac.replaceNamespacedRole({ namespace: 'cap-nopods', name: RUNNER_SA, body: { ...role, rules: (role.rules ?? []).filter((r) => !r.resources?.includes('pods')) } });
    await expect(client.core.listNamespacedPod({ namespace: 'cap-nopods' })).rejects.toMatchObject({ code: 403 });
    // Trino 1 worker of 1 CPU + coordinator 0.5 + services 1.5 = 3 CPU always-on: (0.2 + 3) × 1.15 > 2.
    expect((await refusal(capacityPreflight(client, tiny(0.1)))).message).toMatch(
      /^scale: scale 0\.01 does not fit this cluster \(1 schedulable node's allocatable \(the runner may not list pods\), always-on services at the chart's default requests\): needs 3\.7 CPU \(peak bronze-verify 0\.2 \+ always-on 3, × 1\.15\), cluster has 2$/,
    );
  });

  it('without node read (runner.rbac.readNodes=false) the API server answers 403 and the declared cluster.nodes decides', async () => {
    const { client } = await env.namespace('cap-declared', { chartSets: ['runner.rbac.readNodes=false'] });
    await expect(client.core.listNode({})).rejects.toMatchObject({ code: 403 });
    expect(await readRoom(client, tiny(0.1))).toBeUndefined();
    expect(await capacityPreflight(client, tiny(0.1, { count: 1, cpu: 8, memoryGb: 24 }))).toMatch(/, declared cluster\.nodes, always-on services at the chart's default requests: 8\.0 CPU \/ 24\.0 GiB$/);
    const refused = await refusal(capacityPreflight(client, tiny(0.1, { count: 1, cpu: 2, memoryGb: 16 })));
    expect(refused.message).toMatch(/\(declared cluster\.nodes, always-on services at the chart's default requests\): needs 3\.7 CPU .*cluster has 2$/);
    expect(await capacityPreflight(client, tiny(0.1))).toBe('capacity preflight skipped: the runner may not list nodes and cluster.nodes is not declared');
  });

  it('continuous mode: the streaming jobs and the landing pod are judged against the same free room, which the streaming budget shares', async () => {
    const { client } = await env.namespace('cap-stream');
    // Only this test's node takes pods: the earlier tests' nodes are cordoned.
    for (const n of (await core.listNode()).items) await core.patchNode({ name: n.metadata!.name!, body: { spec: { unschedulable: true } } }, merge);
    await registerNode('stream', { cpu: '2', memory: '32Gi' });
    await pod('cap-stream', 'trino-worker', 'stream', { cpu: '500m', memory: '4Gi' });
    await pod('cap-stream', 'runner', 'stream', { cpu: '100m', memory: '1Gi' });
    const config = streamingTiny();
    const source = (pods: number) => `1 schedulable node's allocatable minus the requests of the ${pods} pods bound to it in all namespaces`;
    // 2 − 0.6 = 1.4 CPU, 32 − 5 = 27 GiB free. Needed: 8 executors and 3 drivers × 100m + 0.1 landing; (8 + 3) × 2 + 2 GiB.
    expect(await capacityPreflight(client, config)).toBe(
      `capacity preflight (continuous): scale 0.01 needs 1.20 CPU / 24.00 GiB (streaming executors bronze-ingest 2, silver-stream 4, gold-refresh 2, drivers and the landing pod; before them the base set's datagen Job, 1 pod(s): 0.10 CPU / 2.00 GiB), ${source(2)}: free 1.40 CPU / 27.00 GiB`,
    );
    // The budget the streaming run sizes its jobs by: the same free CPU, the always-on services not taken off again.
    expect(await streamingBudgetCpu(client, config)).toEqual({ cpu: 1.4, kind: 'free', source: `free: ${source(2)}` });
    // Another team's pod on the node leaves 1.1 CPU: refused, naming every figure.
    await otherNamespace('cap-stream-other');
    await pod('cap-stream-other', 'neighbour', 'stream', { cpu: '300m', memory: '1Gi' });
    expect((await refusal(capacityPreflight(client, config))).message).toBe(
      `scale: scale 0.01 does not fit this cluster (${source(3)}): streaming needs 1.2 CPU (bronze-ingest 2 + driver 0.3, silver-stream 4 + driver 0.5, gold-refresh 2 + driver 0.3, landing 0.1), free 1.1`,
    );
  });
});
