// The capacity preflight: the sizing model's requirement for this scale against what the scheduler
// will see, refusing with the numbers before anything is submitted. One function reads the room
// (`readRoom`), for the batch check here and for continuous mode's streaming budget and check
// (streaming-capacity.ts). With the chart's read-only ClusterRole (runner.rbac.readNodes: nodes and
// pods) the room is each schedulable node's allocatable minus the requests of the pods bound to it,
// the release's always-on services included, and only Lakebench's own jobs are budgeted. Without
// cluster-wide pod read the namespace's pods are subtracted (the Role's pod list); without any pod
// read, or without node read (then the declared cluster.nodes), the room is whole nodes and the
// always-on services are budgeted at the chart's default requests. With no source it says skipped.
import type { V1Node, V1Pod, V1PodList } from '@kubernetes/client-node';
import type { LakebenchConfig } from '../../config/schema.js';
import { alwaysOnFor, capacityShortfalls, requirement, roomShortfalls, type AlwaysOn, type Cluster, type NodeRoom } from '../../model/sizing.js';
import { sizingOptions } from '../../model/sizing-options.js';
import { BadInputError } from '../../util/errors.js';
import type { KubeClient } from './client.js';
import { hasStatus } from './client.js';
import { DEFAULT_ENGINE } from './manifests/sizing-table.js';
import { nodeRooms, occupiesNode, schedulableNodes } from './pod-requests.js';
import { parseQuantity } from './quantity.js';
import { roomTotals, type Room } from './room.js';
import { streamingFit } from './streaming-capacity.js';

/** The pods already bound are counted as they are, so nothing is budgeted for the always-on services. */
const COUNTED_IN_PODS: AlwaysOn = { cpu: 0, memoryGb: 0 };
/** Only the pods the scheduler counts are fetched (its own informer's filter, plus bound to a node). */
const OCCUPYING = 'spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed';
/** Pages keep one list answer bounded on a large cluster. */
const PAGE = 500;
const SKIPPED = 'capacity preflight skipped: the runner may not list nodes and cluster.nodes is not declared';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const allocatableOf = (n: number): string => `${n} schedulable ${n === 1 ? "node's" : "nodes'"} allocatable`;

/** The schedulable nodes, or undefined when the runner may not list nodes or none has registered. */
async function listSchedulableNodes(client: KubeClient): Promise<V1Node[] | undefined> {
  try {
    const nodes = schedulableNodes((await client.call('node list', () => client.core.listNode({}))).items);
    return nodes.length > 0 ? nodes : undefined;
  } catch (e) {
    if (hasStatus(e, 403)) return undefined;
    throw e;
  }
}

async function listPages(client: KubeClient, what: string, page: (cont: string | undefined) => Promise<V1PodList>): Promise<V1Pod[]> {
  const pods: V1Pod[] = [];
  let cont: string | undefined;
  do {
    const list = await client.call(what, () => page(cont));
    pods.push(...list.items);
    cont = list.metadata?._continue || undefined;
  } while (cont);
  return pods;
}

type BoundPods = { pods: V1Pod[]; scope: string };

/** The pods occupying nodes: cluster-wide (ClusterRole), else the runner's namespace (Role), else undefined. */
async function listOccupyingPods(client: KubeClient): Promise<BoundPods | undefined> {
  try {
    const pods = await listPages(client, 'pod list (all namespaces)', (c) => client.core.listPodForAllNamespaces({ fieldSelector: OCCUPYING, limit: PAGE, _continue: c }));
    return { pods: pods.filter(occupiesNode), scope: 'in all namespaces' };
  } catch (e) {
    if (!hasStatus(e, 403)) throw e;
  }
  try {
    const ns = client.namespace;
    const pods = await listPages(client, 'pod list', (c) => client.core.listNamespacedPod({ namespace: ns, fieldSelector: OCCUPYING, limit: PAGE, _continue: c }));
    return { pods: pods.filter(occupiesNode), scope: `in namespace ${ns} only (the runner may not list pods cluster-wide; other namespaces' pods are not counted)` };
  } catch (e) {
    if (hasStatus(e, 403)) return undefined;
    throw e;
  }
}

const totals = (nodes: readonly V1Node[]): Cluster => {
  const alloc = nodes.map((n) => ({ cpu: parseQuantity(n.status?.allocatable?.cpu ?? '0'), mem: parseQuantity(n.status?.allocatable?.memory ?? '0') / 2 ** 30 }));
  // Totals are exact; a pod's fit is judged against the average node (conservative if nodes differ).
  const cpu = alloc.reduce((a, n) => a + n.cpu, 0);
  const mem = alloc.reduce((a, n) => a + n.mem, 0);
  return { nodes: alloc.length, nodeCpu: cpu / alloc.length, nodeMemoryGb: mem / alloc.length };
};

/** The room left on each node, and a source naming where the occupying pods came from. */
function roomOf(nodes: readonly V1Node[], bound: BoundPods): { rooms: NodeRoom[]; source: string } {
  const names = new Set(nodes.map((n) => n.metadata?.name));
  const counted = bound.pods.filter((p) => names.has(p.spec?.nodeName));
  return {
    rooms: nodeRooms(nodes, counted),
    source: `${allocatableOf(nodes.length)} minus the requests of the ${plural(counted.length, 'pod')} bound to ${nodes.length === 1 ? 'it' : 'them'} ${bound.scope}`,
  };
}

/**
 * The room Lakebench's pods can take: with node and pod read, each node's allocatable minus the
 * requests of the pods bound to it; with node read only, whole nodes; else the declared
 * cluster.nodes; undefined with none of them. `plan` and `recommend` have no client: declared only.
 */
export async function readRoom(client: KubeClient | undefined, config: LakebenchConfig): Promise<Room | undefined> {
  const nodes = client ? await listSchedulableNodes(client) : undefined;
  const bound = client && nodes ? await listOccupyingPods(client) : undefined;
  if (nodes && bound) return { kind: 'free', ...roomOf(nodes, bound) };
  if (nodes) return { kind: 'whole', cluster: totals(nodes), source: `${allocatableOf(nodes.length)} (the runner may not list pods)` };
  const n = config.cluster?.nodes;
  return n ? { kind: 'whole', cluster: { nodes: n.count, nodeCpu: n.cpu, nodeMemoryGb: n.memoryGb }, source: 'declared cluster.nodes' } : undefined;
}

const refuse = (config: LakebenchConfig, source: string, shortfalls: string[]): never => {
  throw new BadInputError(`scale ${config.scale} does not fit this cluster (${source}): ${shortfalls.join('; ')}`, 'scale');
};

/** Throws BadInputError with the numbers when the scale does not fit; returns what was checked. */
export async function capacityPreflight(client: KubeClient | undefined, config: LakebenchConfig): Promise<string> {
  const room = await readRoom(client, config);
  if (!room) return SKIPPED;
  return config.pipeline.mode === 'continuous' ? continuousPreflight(config, room) : batchPreflight(config, room);
}

/** Stages run one after another: the largest stage or the datagen Job, × headroom. */
function batchPreflight(config: LakebenchConfig, room: Room): string {
  const scale = config.scale;
  const opts = sizingOptions(config);
  if (room.kind === 'free') {
    const req = requirement(scale, COUNTED_IN_PODS, opts);
    const shortfalls = roomShortfalls(req, room.rooms);
    if (shortfalls.length > 0) refuse(config, room.source, shortfalls);
    const free = roomTotals(room);
    return `capacity preflight: scale ${scale} needs ${req.batch.cpu.toFixed(2)} CPU / ${req.batch.memoryGb.toFixed(2)} GiB (Spark/datagen peak × headroom), ${room.source}: free ${free.cpu.toFixed(2)} CPU / ${free.memoryGb.toFixed(2)} GiB`;
  }
  // No pod read: the always-on services at the chart's default requests, against whole nodes.
  const source = `${room.source}, always-on services at the chart's default requests`;
  const req = requirement(scale, alwaysOnFor(config.cluster?.queryEngine ?? DEFAULT_ENGINE), opts);
  const shortfalls = capacityShortfalls(req, room.cluster);
  if (shortfalls.length > 0) refuse(config, source, shortfalls);
  const whole = roomTotals(room);
  return `capacity preflight: scale ${scale} needs ${req.batch.cpu.toFixed(1)} CPU / ${req.batch.memoryGb.toFixed(1)} GiB, ${source}: ${whole.cpu.toFixed(1)} CPU / ${whole.memoryGb.toFixed(1)} GiB`;
}

/** Continuous mode: the three streaming jobs, at the counts the streaming budget gives them, and the landing pod at once; before them, the base set's datagen Job alone. */
function continuousPreflight(config: LakebenchConfig, room: Room): string {
  const fit = streamingFit(config, room);
  const source = room.kind === 'free' ? room.source : `${room.source}, always-on services at the chart's default requests`;
  if (fit.shortfalls.length > 0) refuse(config, source, fit.shortfalls);
  const executors = fit.sizing.jobs.map((j) => `${j.job} ${j.executors}`).join(', ');
  return `capacity preflight (continuous): scale ${config.scale} needs ${fit.need.cpu.toFixed(2)} CPU / ${fit.need.memoryGb.toFixed(2)} GiB (streaming executors ${executors}, drivers and the landing pod${room.kind === 'free' ? '' : ', always-on'}; before them the base set's datagen Job, ${fit.datagen.pods} pod(s): ${fit.datagen.need.cpu.toFixed(2)} CPU / ${fit.datagen.need.memoryGb.toFixed(2)} GiB), ${source}: ${room.kind === 'free' ? 'free ' : ''}${fit.room.cpu.toFixed(2)} CPU / ${fit.room.memoryGb.toFixed(2)} GiB`;
}
