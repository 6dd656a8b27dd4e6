// The capacity preflight: the sizing model's requirement for this scale against what the cluster's
// nodes can allocate, refusing with the numbers before anything is submitted. Listing nodes needs the
// chart's read-only nodes ClusterRole (runner.rbac.readNodes); without it the declared node size
// (cluster.nodes) is used, and with neither the check says it was skipped.
import type { LakebenchConfig } from '../../config/schema.js';
import { alwaysOnFor, capacityShortfalls, requirement, type Cluster } from '../../model/sizing.js';
import { sizingOptions } from '../../model/sizing-options.js';
import { BadInputError } from '../../util/errors.js';
import type { KubeClient } from './client.js';
import { hasStatus } from './client.js';

/** Kubernetes quantities: "3900m" CPU, "16302520Ki" / "16Gi" / "17179869184" memory. */
export function parseQuantity(q: string): number {
  const m = /^([0-9.]+(?:e[0-9]+)?)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) throw new Error(`not a Kubernetes quantity: ${q}`);
  const n = Number(m[1]);
  const units: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  const f = units[m[2] ?? ''];
  if (f === undefined) throw new Error(`unknown unit in quantity ${q}`);
  return n * f;
}

export type CapacitySource = { cluster: Cluster; source: string };

/** The nodes' allocatable resources, or undefined when the runner may not list nodes. */
export async function observedCapacity(client: KubeClient): Promise<CapacitySource | undefined> {
  try {
    const nodes = await client.call('node list', () => client.core.listNode({}));
    const alloc = nodes.items
      .filter((n) => !n.spec?.unschedulable)
      .map((n) => ({ cpu: parseQuantity(n.status?.allocatable?.cpu ?? '0'), mem: parseQuantity(n.status?.allocatable?.memory ?? '0') / 2 ** 30 }));
    if (alloc.length === 0) return undefined;
    // Totals are exact; a pod's fit is judged against the average node (conservative if nodes differ).
    const cpu = alloc.reduce((a, n) => a + n.cpu, 0);
    const mem = alloc.reduce((a, n) => a + n.mem, 0);
    return { cluster: { nodes: alloc.length, nodeCpu: cpu / alloc.length, nodeMemoryGb: mem / alloc.length }, source: `${alloc.length} schedulable nodes' allocatable` };
  } catch (e) {
    if (hasStatus(e, 403)) return undefined;
    throw e;
  }
}

/** Throws BadInputError with the numbers when the scale does not fit; returns what was checked. */
export async function capacityPreflight(client: KubeClient | undefined, config: LakebenchConfig): Promise<string> {
  const c = config.cluster;
  const source = (client ? await observedCapacity(client) : undefined) ??
    (c?.nodes ? { cluster: { nodes: c.nodes.count, nodeCpu: c.nodes.cpu, nodeMemoryGb: c.nodes.memoryGb }, source: 'declared cluster.nodes' } : undefined);
  if (!source) return 'capacity preflight skipped: the runner may not list nodes and cluster.nodes is not declared';
  const engine = c?.queryEngine ?? { type: 'trino' as const, workers: 1, workerCpu: 2, workerMemoryGb: 8 };
  const req = requirement(config.scale, alwaysOnFor(engine), sizingOptions(config));
  const shortfalls = capacityShortfalls(req, source.cluster);
  if (shortfalls.length > 0) throw new BadInputError(`scale ${config.scale} does not fit this cluster (${source.source}): ${shortfalls.join('; ')}`, 'scale');
  return `capacity preflight: scale ${config.scale} needs ${req.batch.cpu.toFixed(1)} CPU / ${req.batch.memoryGb.toFixed(1)} GiB, ${source.source}: ${(source.cluster.nodes * source.cluster.nodeCpu).toFixed(1)} CPU / ${(source.cluster.nodes * source.cluster.nodeMemoryGb).toFixed(1)} GiB`;
}
