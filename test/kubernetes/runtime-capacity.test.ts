// The capacity preflight against the real kube-apiserver, acting as the chart's runner
// ServiceAccount: with the chart's read-only nodes ClusterRole it judges the sizing model against
// the nodes' allocatable resources (unschedulable nodes left out); without it (403) it falls back to
// the declared cluster.nodes, and with neither it says it was skipped. Node objects are created by
// the test as a kubelet would register them; no kubelet runs.
import { CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntimeEnv, type RuntimeEnv } from './runtime-env.js';
import { clusterConfig } from './plan-configs.js';
import { capacityPreflight, observedCapacity } from '../../runner/src/platforms/kubernetes/capacity.js';
import { BadInputError } from '../../runner/src/util/errors.js';

const SMALL = { executorCores: 1, executorHeapGb: 2, executorOverheadGb: 1, driverCores: 1, driverMemoryGb: 2, scratchGi: 5 };
const small = (nodes?: Record<string, number>) =>
  clusterConfig('hive-iceberg', {
    scale: 1,
    spark: { executors: { 'bronze-verify': 2, 'silver-build': 2, 'gold-finalize': 2 }, resources: { 'bronze-verify': SMALL, 'silver-build': SMALL, 'gold-finalize': SMALL } },
    datagen: { pod: { cpu: 1, memoryGb: 2 } },
    nodes,
  });
const production = () => clusterConfig('hive-iceberg', { scale: 1 });

describe('capacity preflight on the API server', () => {
  let env: RuntimeEnv;
  beforeAll(async () => {
    env = await startRuntimeEnv();
  });
  afterAll(async () => {
    await env?.stop();
  });

  async function registerNode(name: string, allocatable: { cpu: string; memory: string }, unschedulable = false): Promise<void> {
    const core = env.admin.makeApiClient(CoreV1Api);
    await core.createNode({ body: { metadata: { name }, spec: { unschedulable } } });
    // Allocatable is status, which only the status subresource accepts (as from a kubelet).
    await core.patchNodeStatus({ name, body: { status: { capacity: allocatable, allocatable } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  }

  it('with the chart ClusterRole: reads the nodes, fits a small sizing, refuses the production profile with the numbers', async () => {
    const { client } = await env.namespace('cap-nodes');
    // No node has registered yet: nothing observed, the declared size is used, else it says skipped.
    expect(await observedCapacity(client)).toBeUndefined();
    expect(await capacityPreflight(client, small())).toMatch(/skipped/);
    await registerNode('worker-a', { cpu: '8', memory: '24Gi' });
    await registerNode('worker-b', { cpu: '8000m', memory: `${24 * 2 ** 20}Ki` });
    await registerNode('cordoned', { cpu: '64', memory: '512Gi' }, true);

    expect(await observedCapacity(client)).toEqual({ cluster: { nodes: 2, nodeCpu: 8, nodeMemoryGb: 24 }, source: "2 schedulable nodes' allocatable" });
    // The declared size (1 huge node) is not what counts once the nodes can be read.
    const fits = await capacityPreflight(client, small({ count: 1, cpu: 1, memoryGb: 1 }));
    expect(fits).toBe("capacity preflight: scale 1 needs 6.9 CPU / 21.3 GiB, 2 schedulable nodes' allocatable: 16.0 CPU / 48.0 GiB");

    const refused = await capacityPreflight(client, production()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(BadInputError);
    expect((refused as BadInputError).where).toBe('scale');
    expect((refused as Error).message).toBe(
      "scale: scale 1 does not fit this cluster (2 schedulable nodes' allocatable): needs 44.8 CPU (peak silver-build 36 + always-on 3, × 1.15), cluster has 16; needs 604.3 GiB (peak silver-build 516 + always-on 9.5, × 1.15), cluster has 48; the largest pod (4 CPU, 60 GiB) does not fit a node (8 CPU, 24 GiB)",
    );
  });

  it('without it (runner.rbac.readNodes=false) the API server answers 403 and the declared cluster.nodes decides', async () => {
    const { client } = await env.namespace('cap-declared', { chartSets: ['runner.rbac.readNodes=false'] });
    await expect(client.core.listNode({})).rejects.toMatchObject({ code: 403 });
    expect(await observedCapacity(client)).toBeUndefined();
    expect(await capacityPreflight(client, small({ count: 1, cpu: 8, memoryGb: 24 }))).toMatch(/^capacity preflight: scale 1 needs 6\.9 CPU \/ 21\.3 GiB, declared cluster\.nodes: 8\.0 CPU \/ 24\.0 GiB$/);
    await expect(capacityPreflight(client, small({ count: 1, cpu: 4, memoryGb: 16 }))).rejects.toThrow(/declared cluster\.nodes\): needs 6\.9 CPU .*cluster has 4/);
    expect(await capacityPreflight(client, small())).toMatch(/skipped: the runner may not list nodes and cluster.nodes is not declared/);
  });
});
