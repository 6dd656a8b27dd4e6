// What the scheduler counts as taken on a node: the requests of every pod bound to it that has not
// finished, computed as kube-scheduler v1.36 does (k8s.io/component-helpers resource.PodRequests with
// status resources, as the scheduler's NodeInfo adds a pod): the containers' requests summed, sidecar
// init containers (restartPolicy Always) added, the peak of the other init containers if larger,
// pod-level requests in place of the containers' where set, plus the RuntimeClass overhead.
import type { V1Container, V1ContainerStatus, V1Node, V1Pod } from '@kubernetes/client-node';
import type { NodeRoom } from '../../model/sizing.js';
import { cpuMillis, memoryBytes } from './quantity.js';

/** CPU in millicores and memory in bytes, the scheduler's integer units. */
export type Requests = { cpuMillis: number; memoryBytes: number };

type ResourceList = Record<string, string> | undefined;

const NONE: Requests = { cpuMillis: 0, memoryBytes: 0 };
const GIB = 2 ** 30;

const fromList = (l: ResourceList): Requests => ({
  cpuMillis: l?.cpu === undefined ? 0 : cpuMillis(l.cpu),
  memoryBytes: l?.memory === undefined ? 0 : memoryBytes(l.memory),
});
const add = (a: Requests, b: Requests): Requests => ({ cpuMillis: a.cpuMillis + b.cpuMillis, memoryBytes: a.memoryBytes + b.memoryBytes });
const max = (...all: Requests[]): Requests => ({
  cpuMillis: Math.max(...all.map((r) => r.cpuMillis)),
  memoryBytes: Math.max(...all.map((r) => r.memoryBytes)),
});

/** A resize the node cannot take leaves the pod at what it runs with, not at its new spec. */
const resizeInfeasible = (pod: V1Pod): boolean =>
  pod.status?.conditions?.find((c) => c.type === 'PodResizePending')?.reason === 'Infeasible';

/** A running container holds the larger of its spec and what the kubelet allocated while a resize is in flight. */
function containerRequests(pod: V1Pod, c: V1Container, statuses: ReadonlyMap<string, V1ContainerStatus>): Requests {
  const spec = fromList(c.resources?.requests);
  const status = statuses.get(c.name);
  if (!status?.resources) return spec;
  const actuated = fromList(status.resources.requests);
  const allocated = fromList(status.allocatedResources);
  return resizeInfeasible(pod) ? max(actuated, allocated) : max(spec, actuated, allocated);
}

/** The requests of one pod as the scheduler adds them to its node. */
export function podRequests(pod: V1Pod): Requests {
  const statuses = new Map([...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].map((s) => [s.name, s] as const));
  let total = (pod.spec?.containers ?? []).reduce((sum, c) => add(sum, containerRequests(pod, c, statuses)), NONE);
  // Sidecars run next to everything started after them; a plain init container runs alone, next to
  // the sidecars started before it.
  let sidecars = NONE;
  let initPeak = NONE;
  for (const c of pod.spec?.initContainers ?? []) {
    if (c.restartPolicy === 'Always') {
      const r = containerRequests(pod, c, statuses);
      total = add(total, r);
      sidecars = add(sidecars, r);
      initPeak = max(initPeak, sidecars);
    } else {
      initPeak = max(initPeak, add(fromList(c.resources?.requests), sidecars));
    }
  }
  total = max(total, initPeak);
  const podLevel = pod.spec?.resources?.requests;
  if (podLevel?.cpu !== undefined) total = { ...total, cpuMillis: cpuMillis(podLevel.cpu) };
  if (podLevel?.memory !== undefined) total = { ...total, memoryBytes: memoryBytes(podLevel.memory) };
  return add(total, fromList(pod.spec?.overhead));
}

/** Cordoned nodes take no new pods. */
export const schedulableNodes = (nodes: readonly V1Node[]): V1Node[] => nodes.filter((n) => !n.spec?.unschedulable);

/** Pods the scheduler counts: bound to a node and not Succeeded or Failed (its own pod informer's filter). */
export const occupiesNode = (pod: V1Pod): boolean =>
  Boolean(pod.spec?.nodeName) && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

/**
 * Each schedulable node's room: allocatable minus the requests of the pods occupying it. A node
 * whose pods request more than it offers (allocatable lowered later) has no room, not negative room.
 */
export function nodeRooms(nodes: readonly V1Node[], pods: readonly V1Pod[]): NodeRoom[] {
  const taken = new Map<string, Requests>();
  for (const pod of pods.filter(occupiesNode)) {
    const node = pod.spec?.nodeName ?? '';
    taken.set(node, add(taken.get(node) ?? NONE, podRequests(pod)));
  }
  return schedulableNodes(nodes).map((n) => {
    const name = n.metadata?.name ?? '';
    const allocatable = fromList(n.status?.allocatable);
    const used = taken.get(name) ?? NONE;
    return {
      node: name,
      cpu: Math.max(0, allocatable.cpuMillis - used.cpuMillis) / 1000,
      memoryGb: Math.max(0, allocatable.memoryBytes - used.memoryBytes) / GIB,
    };
  });
}
