// A real Kubernetes control plane on 127.0.0.1 for one test file: etcd + kube-apiserver (RBAC,
// service-account tokens, the default admission plugins), optionally kube-controller-manager.
// Built by test/setup/40-kube.sh; see README.md in this folder for what does and does not run.
import type { KubeConfig } from '@kubernetes/client-node';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kubeBinaries } from './binaries.js';
import { startControllerManager, waitForControllers, type ControllerSelection } from './controller-manager.js';
import { compactEtcd, startEtcd } from './etcd.js';
import { httpsGet, type TlsIdentity } from './https-get.js';
import { loadKubeconfig, writeKubeconfig } from './kubeconfig.js';
import { adminUser, createControlPlanePki } from './pki.js';
import { startProcess, type ManagedProcess } from './process.js';
import { freePort } from '../ports.js';
import { serviceAccountKubeconfig, type ServiceAccountAccess, type ServiceAccountTokenOptions } from './service-account.js';
import { waitUntil } from './wait.js';

export type KubeApiServerOptions = {
  /**
   * Also run kube-controller-manager: `true` for its default controller set, or a list of
   * controller names (e.g. ['job', 'garbagecollector', 'namespace', 'serviceaccount']).
   */
  controllers?: ControllerSelection;
  /**
   * The API server's watch cache (default true, as on real clusters). With it, a watch from an
   * old resourceVersion is answered from memory and etcd compaction does not expire it; set false
   * so watches read etcd and `compactEtcd()` makes older resourceVersions answer 410 Gone.
   */
  watchCache?: boolean;
  /** Extra kube-apiserver flags, appended last so they override the harness's. */
  extraApiServerArgs?: string[];
};

export type KubeApiServer = {
  /** https://127.0.0.1:<port> */
  server: string;
  /** Admin kubeconfig (client certificate in group system:masters). */
  kubeconfigPath: string;
  /** A fresh KubeConfig loaded from kubeconfigPath. */
  adminKubeConfig(): KubeConfig;
  /** The etcd client URL behind the API server (plain HTTP, 127.0.0.1). */
  etcdUrl: string;
  caPem: string;
  /** Kubernetes version reported by the server binary, e.g. "v1.36.4". */
  version: string;
  /** A kubeconfig that acts as the ServiceAccount, with a token from the TokenRequest API. */
  serviceAccountKubeconfig(namespace: string, name: string, options?: ServiceAccountTokenOptions): Promise<ServiceAccountAccess>;
  /**
   * Compacts etcd's history up to its current revision (kube-apiserver does this itself every
   * 5 minutes) and returns that revision. Watches served by etcd from an older resourceVersion
   * then end with an ERROR event carrying Status 410 Expired.
   */
  compactEtcd(): Promise<number>;
  /** Recent output of each process, for failure messages. */
  logs(): Record<string, string>;
  stop(): Promise<void>;
};

// Inside the (unused) service network; the `kubernetes` Service gets the first address.
const serviceClusterIpRange = '10.96.0.0/16';
const kubernetesServiceIp = '10.96.0.1';

export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lakebench-kube-'));
  const processes: ManagedProcess[] = [];
  const stopAll = async () => {
    // Controllers first, etcd last: each stops while what it depends on is still there.
    for (const p of [...processes].reverse()) await p.stop();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const pkiDir = path.join(root, 'pki');
    mkdirSync(pkiDir);
    const pki = await createControlPlanePki(pkiDir, kubernetesServiceIp);
    const etcd = await startEtcd(path.join(root, 'etcd'));
    processes.push(etcd.process);

    const port = await freePort();
    const server = `https://127.0.0.1:${port}`;
    const apiserver = startProcess('kube-apiserver', kubeBinaries.kubeApiServer, [
      `--etcd-servers=${etcd.clientUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--cert-dir=${pkiDir}`,
      `--tls-cert-file=${pki.serving.certPath}`,
      `--tls-private-key-file=${pki.serving.keyPath}`,
      `--client-ca-file=${pki.caPath}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.serviceAccountPublicKeyPath}`,
      `--service-account-signing-key-file=${pki.serviceAccountKeyPath}`,
      `--service-cluster-ip-range=${serviceClusterIpRange}`,
      '--profiling=false',
      ...(options.watchCache === false ? ['--watch-cache=false'] : []),
      ...(options.extraApiServerArgs ?? []),
    ]);
    processes.push(apiserver);
    const admin: TlsIdentity = { caPem: pki.caPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem };
    // /readyz turns 200 once etcd is reachable and the post-start hooks (RBAC bootstrap roles,
    // system namespaces, priority classes, ...) have finished.
    await waitUntil('kube-apiserver /readyz', 180_000, apiserver, async () => (await httpsGet(`${server}/readyz`, admin)).status === 200);
    const version = (JSON.parse((await httpsGet(`${server}/version`, admin)).body) as { gitVersion: string }).gitVersion;

    if (options.controllers) {
      const kcm = await startControllerManager(root, server, pki, options.controllers);
      processes.push(kcm);
      await waitForControllers(server, admin, kcm, options.controllers);
    }

    const kubeconfigPath = path.join(root, 'admin.kubeconfig');
    writeKubeconfig(kubeconfigPath, { server, caPem: pki.caPem }, {
      name: adminUser.name,
      clientCertificatePem: pki.admin.certPem,
      clientKeyPem: pki.admin.keyPem,
    });
    const tokenDir = path.join(root, 'service-accounts');
    mkdirSync(tokenDir);

    let stopped = false;
    return {
      server,
      kubeconfigPath,
      adminKubeConfig: () => loadKubeconfig(kubeconfigPath),
      etcdUrl: etcd.clientUrl,
      caPem: pki.caPem,
      version,
      serviceAccountKubeconfig: (namespace, name, tokenOptions) =>
        serviceAccountKubeconfig(loadKubeconfig(kubeconfigPath), { server, caPem: pki.caPem }, tokenDir, namespace, name, tokenOptions),
      compactEtcd: () => compactEtcd(etcd.clientUrl),
      logs: () => Object.fromEntries(processes.map((p) => [p.name, p.logTail()])),
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopAll();
      },
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

