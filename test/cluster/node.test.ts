// Smoke test of the cluster tier's real node (test/harness/node): a kubelet registered and Ready
// on containerd, a pod from a locally built image run to completion under the restricted Pod
// Security Standard with its log served through the API server and kubectl, and a Service
// reached from another pod by ClusterIP (kube-proxy) and by name (CoreDNS).
import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cacheBin } from '../harness/cache.js';
import { apiErrorOf } from '../harness/kube/api-error.js';
import { loadKubeconfig } from '../harness/kube/kubeconfig.js';
import { nodeBinaries } from '../harness/node/binaries.js';
import { nodeNetwork } from '../harness/node/layout.js';
import {
  createPodSecurityNamespace,
  probeImage,
  ready,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  succeeded,
  waitForPod,
} from '../harness/node/pods.js';
import { ensureNode } from '../harness/node/shared.js';
import type { NodeState } from '../harness/node/state.js';

const run = promisify(execFile);
const namespace = `smoke-${Date.now().toString(36)}`;

/** A pod running the probe image as the restricted standard requires; with `servePort`, a server that stays up, Ready once it answers. */
function probePod(name: string, args: string[], options: { labels?: Record<string, string>; servePort?: number; restricted?: boolean } = {}): V1Pod {
  const restricted = options.restricted ?? true;
  const port = options.servePort;
  return {
    metadata: { name, labels: options.labels },
    spec: {
      restartPolicy: port ? 'Always' : 'Never',
      securityContext: restricted ? restrictedPodSecurityContext : undefined,
      containers: [
        {
          name: 'probe',
          image: probeImage(),
          // Never: the image must already be on the node (imported), since nothing can be pulled.
          imagePullPolicy: 'Never',
          args,
          securityContext: restricted ? restrictedContainerSecurityContext : undefined,
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
          ...(port ? { ports: [{ containerPort: port }], readinessProbe: { httpGet: { path: '/', port }, periodSeconds: 1 } } : {}),
        },
      ],
    },
  };
}

describe('the cluster tier node', () => {
  let state: NodeState;
  let kc: KubeConfig;
  let core: CoreV1Api;

  beforeAll(async () => {
    state = await ensureNode(inject('lakebenchNodeOwnerPid'));
    kc = loadKubeconfig(state.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    await createPodSecurityNamespace(kc, namespace, 'restricted');
  });
  afterAll(async () => {
    await core?.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  it('registers a Ready node: the pinned kubelet on containerd, addressed by its InternalIP', async () => {
    const node = await core.readNode({ name: nodeNetwork.nodeName });
    const pinned = readFileSync(`${cacheBin('kubelet')}.version`, 'utf8').trim();
    const containerd = readFileSync(`${nodeBinaries.containerd}.version`, 'utf8').trim();
    expect(node.status?.nodeInfo?.kubeletVersion).toBe(pinned);
    // The CRI reports the version without the tag's "v".
    expect(node.status?.nodeInfo?.containerRuntimeVersion).toBe(`containerd://${containerd.replace(/^v/, '')}`);
    expect(node.status?.addresses).toContainEqual({ type: 'InternalIP', address: nodeNetwork.nodeIp });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(node.spec?.taints ?? []).toEqual([]);
  });

  it('refuses a pod that breaks the restricted Pod Security Standard in a namespace enforcing it', async () => {
    const failure = await apiErrorOf(core.createNamespacedPod({ namespace, body: probePod('loose', ['hello'], { restricted: false }) }));
    expect(failure.code).toBe(403);
    expect(failure.message).toContain('violates PodSecurity "restricted:latest"');
  });

  it('runs a restricted pod from a locally imported image to completion; its log is served by the API and kubectl', async () => {
    await core.createNamespacedPod({ namespace, body: probePod('hello', ['hello']) });
    const pod = await waitForPod(kc, namespace, 'hello', succeeded);
    expect(pod.spec?.nodeName).toBe(nodeNetwork.nodeName);
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(0);
    expect(pod.status?.podIP).toMatch(/^10\.244\.0\.\d+$/);

    const log = await core.readNamespacedPodLog({ namespace, name: 'hello' });
    expect(log).toBe('probe hello from uid 10001 on hello\n');
    const { stdout } = await run(nodeBinaries.kubectl, ['--kubeconfig', state.kubeconfigPath, '-n', namespace, 'logs', 'hello']);
    expect(stdout).toBe(log);
  });

  it('reaches a Service from another pod by ClusterIP and by DNS name', async () => {
    await core.createNamespacedPod({ namespace, body: probePod('web', ['serve', '8080'], { labels: { app: 'web' }, servePort: 8080 }) });
    const service = await core.createNamespacedService({
      namespace,
      body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
    });
    const clusterIp = service.spec?.clusterIP ?? '';
    expect(clusterIp).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/); // inside 10.96.0.0/12
    await waitForPod(kc, namespace, 'web', ready);

    const clients = {
      'by-ip': `http://${clusterIp}/`,
      'by-name': `http://web.${namespace}.svc.${nodeNetwork.clusterDomain}/`,
    };
    for (const [name, url] of Object.entries(clients)) await core.createNamespacedPod({ namespace, body: probePod(name, ['get', url, '60']) });
    for (const [name, url] of Object.entries(clients)) {
      await waitForPod(kc, namespace, name, succeeded);
      // The answer names the serving pod: the request crossed from one pod to the other.
      expect(await core.readNamespacedPodLog({ namespace, name, container: 'probe' })).toContain(`GET ${url}: probe web\n`);
    }
  });
});
