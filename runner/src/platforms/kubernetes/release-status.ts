// Readiness of every component of a release (`lakebench status`): Deployments and StatefulSets by
// their ready replicas, Services by their ready endpoint addresses. Only get/list verbs the runner
// Role grants are used.
import type { KubeClient } from './client.js';

export type ComponentStatus = { kind: 'Deployment' | 'StatefulSet' | 'Service'; name: string; ready: boolean; detail: string };

export async function releaseStatus(client: KubeClient, release: string): Promise<ComponentStatus[]> {
  const namespace = client.namespace;
  const labelSelector = `app.kubernetes.io/instance=${release}`;
  const out: ComponentStatus[] = [];
  const deployments = await client.call('deployment list', () => client.apps.listNamespacedDeployment({ namespace, labelSelector }));
  for (const d of deployments.items) {
    const want = d.spec?.replicas ?? 1;
    const ready = d.status?.readyReplicas ?? 0;
    out.push({ kind: 'Deployment', name: d.metadata?.name ?? '?', ready: ready >= want && want > 0, detail: `${ready}/${want} replicas ready` });
  }
  const sets = await client.call('statefulset list', () => client.apps.listNamespacedStatefulSet({ namespace, labelSelector }));
  for (const s of sets.items) {
    const want = s.spec?.replicas ?? 1;
    const ready = s.status?.readyReplicas ?? 0;
    out.push({ kind: 'StatefulSet', name: s.metadata?.name ?? '?', ready: ready >= want && want > 0, detail: `${ready}/${want} replicas ready` });
  }
  const services = await client.call('service list', () => client.core.listNamespacedService({ namespace, labelSelector }));
  const endpoints = await client.call('endpoints list', () => client.core.listNamespacedEndpoints({ namespace, labelSelector }));
  const byName = new Map(endpoints.items.map((e) => [e.metadata?.name ?? '', e]));
  for (const svc of services.items) {
    const name = svc.metadata?.name ?? '?';
    // A Service without a selector is backed by whatever an operator put there: not ours to judge.
    if (!svc.spec?.selector) {
      out.push({ kind: 'Service', name, ready: true, detail: 'no selector' });
      continue;
    }
    const subsets = byName.get(name)?.subsets ?? [];
    const ready = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
    const notReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
    out.push({ kind: 'Service', name, ready: ready > 0, detail: `${ready} ready endpoint${ready === 1 ? '' : 's'}${notReady ? `, ${notReady} not ready` : ''}` });
  }
  return out;
}

export function statusTable(rows: ComponentStatus[]): string {
  const cells = rows.map((r) => [r.kind, r.name, r.ready ? 'ready' : 'NOT READY', r.detail]);
  const head = ['kind', 'name', 'status', 'detail'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), ...cells.map(line)].join('\n');
}
