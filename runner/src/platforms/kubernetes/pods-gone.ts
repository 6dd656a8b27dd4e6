// Waiting, by watch, until no pod of the namespace matches a selector: a deleted application's driver
// and executors, a deleted Job's pod. Bounded, and never throws: the caller decides what pods still
// there mean.
import type { KubeClient } from './client.js';
import { podSchema, safe, type Pod } from './objects.js';
import { watchUntil } from './watch.js';

/** Resolves once no pod matches `labelSelector`, or after `seconds` with the names of those still there ([] when none). */
export async function waitForPodsGone(client: KubeClient, labelSelector: string, seconds: number): Promise<string[]> {
  const ns = client.namespace;
  const alive = new Set<string>();
  try {
    await watchUntil<Pod>(client, {
      what: 'pod',
      path: `/api/v1/namespaces/${ns}/pods`,
      labelSelector,
      list: async () => {
        const l = await client.core.listNamespacedPod({ namespace: ns, labelSelector });
        return { items: l.items as unknown[], resourceVersion: l.metadata?.resourceVersion ?? '0' };
      },
      parse: safe(podSchema),
      onListed: (items) => {
        alive.clear();
        for (const p of items) alive.add(p.metadata.name);
        return alive.size === 0;
      },
      onObject: (type, pod) => {
        if (type === 'DELETED') alive.delete(pod.metadata.name);
        else if (type !== 'LISTED') alive.add(pod.metadata.name);
        return alive.size === 0;
      },
      signal: AbortSignal.timeout(seconds * 1000),
    });
    return [];
  } catch {
    return [...alive];
  }
}
