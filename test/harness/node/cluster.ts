// A real single-node Kubernetes on this machine: etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler, containerd + runc, the kubelet, kube-proxy, bridge CNI and CoreDNS, with every
// locally built image imported. startNode() returns once the node is Ready and cluster DNS
// serves; stop() deletes the pods through the API (so the kubelet tears down their networks and
// volumes), stops everything, and cleans the host (host/index.ts). Needs root. One per machine.
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { mkdirSync, rmSync } from 'node:fs';
import { applyManifests } from '../kube/apply.js';
import { startControllerManager, waitForControllers } from '../kube/controller-manager.js';
import { startEtcd } from '../kube/etcd.js';
import type { TlsIdentity } from '../kube/https-get.js';
import { loadKubeconfig, writeKubeconfig } from '../kube/kubeconfig.js';
import { adminUser } from '../kube/pki.js';
import type { ManagedProcess } from '../kube/process.js';
import { startNodeApiServer } from './apiserver.js';
import { writeCniConfig } from './cni.js';
import { chooseSnapshotter, removeAllContainers, startContainerd, type Snapshotter } from './containerd.js';
import { coreDnsManifests } from './coredns.js';
import { describePods } from './describe.js';
import { checkHost, cleanupHost, prepareHost, readHostBefore, type CleanupReport } from './host/index.js';
import { nodeProcesses } from './host/processes.js';
import { importImages, localImageArchives } from './images.js';
import { startKubeProxy } from './kube-proxy.js';
import { startKubelet } from './kubelet.js';
import { apiServerUrl, nodeNetwork, nodePaths } from './layout.js';
import { createNodePki } from './pki.js';
import { startScheduler } from './scheduler.js';
import { waitFor } from './wait.js';

export type NodeCluster = {
  server: string;
  /** Admin kubeconfig (client certificate in system:masters), for tests, kubectl and helm. */
  kubeconfigPath: string;
  adminKubeConfig(): KubeConfig;
  nodeName: string;
  snapshotter: Snapshotter;
  /** Seconds per start-up phase, and per imported image. */
  timings: Record<string, number>;
  imageImportSeconds: Record<string, number>;
  /** Recent output of each process, for failure messages (full logs: nodePaths.logs). */
  logs(): Record<string, string>;
  stop(): Promise<NodeStopReport>;
};

export type NodeStopReport = CleanupReport & {
  podsDeletedThroughApi: number;
  podsLeftToCleanup: number;
  containersKilledByCtr: number;
  /** Seconds per shutdown step (the host clean-up's own steps are in hostSteps). */
  steps: Record<string, number>;
  hostSteps: Record<string, number>;
  seconds: number;
};

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

export async function startNode(): Promise<NodeCluster> {
  // What a killed run left (its record of the host, its processes) is cleaned first; anything
  // else holding the node's ports or bridge is reported by checkHost.
  if (readHostBefore() || nodeProcesses(nodePaths.base).length > 0) await cleanupHost();
  await checkHost();
  rmSync(nodePaths.logs, { recursive: true, force: true });
  for (const dir of [nodePaths.base, nodePaths.pki, nodePaths.logs, nodePaths.config, nodePaths.kubeletRoot, nodePaths.podLogs]) mkdirSync(dir, { recursive: true });
  const archives = localImageArchives();
  const sandboxImage = archives.find((a) => a.slug === 'pause')?.ref;
  const coreDnsImage = archives.find((a) => a.slug === 'coredns')?.ref;
  if (!sandboxImage || !coreDnsImage) throw new Error('the pause and coredns image archives are missing from the image cache: run bash test/setup/install.sh');

  const processes: ManagedProcess[] = [];
  const timings: Record<string, number> = {};
  const started = Date.now();
  let kc: KubeConfig | undefined;
  const stop = async (): Promise<NodeStopReport> => stopNode(processes, kc);
  try {
    await prepareHost();
    const pki = await createNodePki(nodePaths.pki);
    const admin: TlsIdentity = { caPem: pki.caPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem };
    writeKubeconfig(nodePaths.adminKubeconfig, { server: apiServerUrl, caPem: pki.caPem, clusterName: 'lakebench-node' }, {
      name: adminUser.name,
      clientCertificatePem: pki.admin.certPem,
      clientKeyPem: pki.admin.keyPem,
    });
    kc = loadKubeconfig(nodePaths.adminKubeconfig);

    // The control plane and the container runtime (with its image imports) come up side by side.
    const controlPlane = async () => {
      const etcd = await startEtcd(nodePaths.etcd);
      processes.push(etcd.process);
      processes.push(await startNodeApiServer(pki, etcd.clientUrl, admin));
      timings.apiserver = seconds(started);
      const kcm = await startControllerManager(nodePaths.config, apiServerUrl, pki, true);
      processes.push(kcm);
      processes.push(startScheduler(pki));
      await waitForControllers(apiServerUrl, admin, kcm, true);
      timings.controllers = seconds(started);
    };
    let snapshotter: Snapshotter = 'overlayfs';
    let imageImportSeconds: Record<string, number> = {};
    const runtime = async () => {
      snapshotter = await chooseSnapshotter();
      writeCniConfig();
      processes.push(await startContainerd(snapshotter, sandboxImage));
      // The root persists between runs: containers and sandboxes a killed run left there go first.
      await removeAllContainers();
      imageImportSeconds = await importImages(archives, snapshotter);
      timings.images = seconds(started);
    };
    // Both are awaited even when one fails, so the stop below finds every process either started.
    const failed = (await Promise.allSettled([controlPlane(), runtime()])).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;

    processes.push(await startKubelet(pki));
    processes.push(await startKubeProxy(pki));
    const core = kc.makeApiClient(CoreV1Api);
    await waitFor(`node ${nodeNetwork.nodeName} Ready`, 180_000, processes, async () => {
      const node = await core.readNode({ name: nodeNetwork.nodeName });
      return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    });
    timings.nodeReady = seconds(started);

    await applyManifests(kc, coreDnsManifests(coreDnsImage), { fieldManager: 'lakebench-node' });
    const apps = kc.makeApiClient(AppsV1Api);
    const clusterKc = kc;
    await waitFor('CoreDNS', 180_000, processes, async () => {
      const deployment = await apps.readNamespacedDeployment({ namespace: 'kube-system', name: 'coredns' });
      return (deployment.status?.readyReplicas ?? 0) >= 1;
    }).catch(async (e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n${await describePods(clusterKc, 'kube-system')}`, { cause: e });
    });
    timings.dnsReady = seconds(started);

    return {
      server: apiServerUrl,
      kubeconfigPath: nodePaths.adminKubeconfig,
      adminKubeConfig: () => loadKubeconfig(nodePaths.adminKubeconfig),
      nodeName: nodeNetwork.nodeName,
      snapshotter,
      timings,
      imageImportSeconds,
      logs: () => Object.fromEntries(processes.map((p) => [p.name, p.logTail()])),
      stop,
    };
  } catch (e) {
    const tails = processes.map((p) => `--- ${p.name}\n${p.logTail().slice(-1500)}`).join('\n');
    await stop().catch(() => undefined);
    throw new Error(`the node did not start: ${e instanceof Error ? e.message : String(e)}\n(logs: ${nodePaths.logs})\n${tails}`, { cause: e });
  }
}

const byName = (processes: ManagedProcess[], name: string) => processes.find((p) => p.name === name);

async function deleteAllPods(kc: KubeConfig, timeoutMs: number): Promise<{ deleted: number; left: number }> {
  const core = kc.makeApiClient(CoreV1Api);
  const pods = (await core.listPodForAllNamespaces()).items;
  for (const pod of pods) {
    const { name, namespace } = pod.metadata ?? {};
    if (!name || !namespace) continue;
    await core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 5 }).catch(() => undefined);
  }
  const deadline = Date.now() + timeoutMs;
  let left = pods.length;
  while (Date.now() < deadline) {
    left = (await core.listPodForAllNamespaces()).items.length;
    if (left === 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return { deleted: pods.length, left };
}

async function stopNode(processes: ManagedProcess[], kc: KubeConfig | undefined): Promise<NodeStopReport> {
  const started = Date.now();
  const steps: Record<string, number> = {};
  const step = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    try {
      return await body();
    } finally {
      steps[name] = seconds(t);
    }
  };
  // Nothing may recreate or reschedule the pods while they are deleted.
  await step('controllers', async () => {
    for (const name of ['kube-controller-manager', 'kube-scheduler']) await byName(processes, name)?.stop();
  });
  let pods = { deleted: 0, left: 0 };
  const kubelet = byName(processes, 'kubelet');
  const apiserver = byName(processes, 'kube-apiserver');
  if (kc && kubelet?.isRunning() && apiserver?.isRunning()) {
    // Through the API, so the kubelet stops each pod the normal way: containers, then the sandbox
    // (CNI DEL removes its iptables chains and veth), then its volumes are unmounted.
    const client = kc;
    pods = await step('pods', () => deleteAllPods(client, 90_000).catch(() => ({ deleted: 0, left: -1 })));
  }
  await step('kubelet', async () => kubelet?.stop());
  const containerd = byName(processes, 'containerd');
  const containersKilledByCtr = await step('containers', async () => (containerd?.isRunning() ? removeAllContainers().catch(() => 0) : 0));
  await step('containerd', async () => containerd?.stop());
  for (const p of [...processes].reverse()) await step(p.name, () => p.stop());
  const cleanup = await step('host', () => cleanupHost());
  return { ...cleanup, hostSteps: cleanup.steps, podsDeletedThroughApi: pods.deleted, podsLeftToCleanup: pods.left, containersKilledByCtr, steps, seconds: seconds(started) };
}
