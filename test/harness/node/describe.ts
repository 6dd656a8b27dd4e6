// A short account of the pods in a namespace (phase, container states, recent events), for error
// messages when something does not become ready.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';

export async function describePods(kc: KubeConfig, namespace: string): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  const lines: string[] = [];
  try {
    for (const pod of (await core.listNamespacedPod({ namespace })).items) {
      const states = (pod.status?.containerStatuses ?? []).map((c) => `${c.name}: ${JSON.stringify(c.state)}`).join('; ');
      lines.push(`pod ${pod.metadata?.name}: ${pod.status?.phase} ${pod.spec?.nodeName ?? '(unscheduled)'} ${states}`);
    }
    const events = (await core.listNamespacedEvent({ namespace })).items.slice(-15);
    for (const e of events) lines.push(`event ${e.involvedObject.kind}/${e.involvedObject.name}: ${e.reason} ${e.message ?? ''}`);
  } catch (e) {
    lines.push(`(could not read namespace ${namespace}: ${e instanceof Error ? e.message : String(e)})`);
  }
  return lines.join('\n');
}
