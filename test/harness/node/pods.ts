// Helpers for tests that run pods on the node: a namespace that enforces a Pod Security Standard,
// the security context the restricted standard asks for, and waiting for a pod's phase (with its
// status and log in the error when it ends otherwise).
import { CoreV1Api, type KubeConfig, type V1Pod, type V1PodSecurityContext, type V1SecurityContext } from '@kubernetes/client-node';
import { localImageRef } from './images.js';

/** The image built from test/images/probe (a static HTTP client/server), as imported on the node. */
export const probeImage = () => localImageRef('probe');

export const restrictedPodSecurityContext: V1PodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  seccompProfile: { type: 'RuntimeDefault' },
};

export const restrictedContainerSecurityContext: V1SecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
};

/** Creates the namespace with pod-security.kubernetes.io/enforce=<level> and waits for its default ServiceAccount. */
export async function createPodSecurityNamespace(kc: KubeConfig, name: string, level: 'restricted' | 'baseline' | 'privileged'): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({
    body: { metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': level, 'pod-security.kubernetes.io/enforce-version': 'latest' } } },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await core.readNamespacedServiceAccount({ namespace: name, name: 'default' });
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`namespace ${name} got no default ServiceAccount in 60 s`, { cause: e });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function waitForPod(
  kc: KubeConfig,
  namespace: string,
  name: string,
  done: (pod: V1Pod) => boolean,
  timeoutMs = 120_000,
): Promise<V1Pod> {
  const core = kc.makeApiClient(CoreV1Api);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pod = await core.readNamespacedPod({ namespace, name });
    if (done(pod)) return pod;
    const failed = pod.status?.phase === 'Failed';
    if (failed || Date.now() > deadline) {
      const log = await core.readNamespacedPodLog({ namespace, name }).catch((e: unknown) => `(no log: ${String(e)})`);
      throw new Error(`pod ${namespace}/${name} is ${pod.status?.phase}${failed ? '' : ` after ${timeoutMs} ms`}: ${JSON.stringify(pod.status)}\nlog:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const succeeded = (pod: V1Pod) => pod.status?.phase === 'Succeeded';
export const ready = (pod: V1Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
