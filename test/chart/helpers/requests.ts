// Total resource requests of a rendered release: what the scheduler must find free.
import { isHelmTest, podSpecs, type Container, type K8sObject, type PodSpec } from './render.js';

export function cpuCores(quantity: unknown): number {
  if (quantity === undefined || quantity === null) return 0;
  const q = String(quantity);
  return q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q);
}

const UNITS: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

export function memoryGiB(quantity: unknown): number {
  if (quantity === undefined || quantity === null) return 0;
  const match = /^([0-9.]+)([A-Za-z]*)$/.exec(String(quantity));
  if (!match) throw new Error(`not a memory quantity: ${String(quantity)}`);
  const unit = match[2] ?? '';
  if (unit !== '' && !(unit in UNITS)) throw new Error(`unknown memory unit in ${String(quantity)}`);
  return (Number(match[1]) * (unit ? UNITS[unit]! : 1)) / 2 ** 30;
}

type Requests = { cpu: number; memoryGiB: number };
type Resources = { requests?: { cpu?: unknown; memory?: unknown } };

/** Kubernetes' effective pod request: max(sum of containers, largest init container), per resource. */
export function podRequests(spec: PodSpec): Requests {
  const req = (c: Container) => (c.resources as Resources | undefined)?.requests ?? {};
  const sum = spec.containers.reduce((a, c) => ({ cpu: a.cpu + cpuCores(req(c).cpu), memoryGiB: a.memoryGiB + memoryGiB(req(c).memory) }), { cpu: 0, memoryGiB: 0 });
  for (const c of spec.initContainers ?? []) {
    sum.cpu = Math.max(sum.cpu, cpuCores(req(c).cpu));
    sum.memoryGiB = Math.max(sum.memoryGiB, memoryGiB(req(c).memory));
  }
  return sum;
}

/**
 * Steady-state requests of the release: Deployments and StatefulSets times replicas, plus one
 * runner pod (Job or CronJob run, never both at once) and Jobs such as the Polaris bootstrap.
 * helm test pods are excluded (they run after install, briefly). Spark drivers and executors the
 * runner submits are not part of the chart and come on top.
 */
export function totalRequests(objects: K8sObject[]): Requests & { pods: number } {
  const total = { cpu: 0, memoryGiB: 0, pods: 0 };
  let runnerCounted = false;
  for (const { owner, spec } of podSpecs(objects)) {
    if (isHelmTest(owner)) continue;
    const isRunner = owner.metadata.labels?.['app.kubernetes.io/component'] === 'runner';
    if (isRunner && runnerCounted) continue;
    runnerCounted ||= isRunner;
    const replicas = Number((owner.spec as { replicas?: number }).replicas ?? 1);
    const pod = podRequests(spec);
    total.cpu += pod.cpu * replicas;
    total.memoryGiB += pod.memoryGiB * replicas;
    total.pods += replicas;
  }
  return total;
}
