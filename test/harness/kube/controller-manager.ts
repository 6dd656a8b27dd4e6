// kube-controller-manager against the test API server (opt-in): with it, Jobs create Pods,
// ownerReferences are garbage-collected, namespaces finish terminating and every namespace gets
// its `default` ServiceAccount, as on a real cluster. Pods still never run: there is no scheduler
// and no kubelet.
import path from 'node:path';
import { kubeBinaries } from './binaries.js';
import { httpsGet, type TlsIdentity } from './https-get.js';
import { writeKubeconfig } from './kubeconfig.js';
import type { ControlPlanePki } from './pki.js';
import { startProcess, type ManagedProcess } from './process.js';
import { waitUntil } from './wait.js';

/** "*" is kube-controller-manager's own default set (everything not off by default). */
export type ControllerSelection = true | string[];

export async function startControllerManager(
  dir: string,
  server: string,
  pki: ControlPlanePki,
  selection: ControllerSelection,
): Promise<ManagedProcess> {
  const kubeconfigPath = path.join(dir, 'controller-manager.kubeconfig');
  writeKubeconfig(kubeconfigPath, { server, caPem: pki.caPem }, {
    name: 'system:kube-controller-manager',
    clientCertificatePem: pki.controllerManager.certPem,
    clientKeyPem: pki.controllerManager.keyPem,
  });
  const controllers = selection === true ? ['*'] : selection;
  const kcm = startProcess('kube-controller-manager', kubeBinaries.kubeControllerManager, [
    `--kubeconfig=${kubeconfigPath}`,
    `--controllers=${controllers.join(',')}`,
    // As kubeadm does: each controller acts as its own ServiceAccount, so RBAC applies to it too.
    '--use-service-account-credentials=true',
    `--service-account-private-key-file=${pki.serviceAccountKeyPath}`,
    `--root-ca-file=${pki.caPath}`,
    `--cluster-signing-cert-file=${pki.caPath}`,
    `--cluster-signing-key-file=${path.join(path.dirname(pki.caPath), 'ca.key')}`,
    '--leader-elect=false',
    // No metrics/health endpoint: nothing scrapes it and it would need another port.
    '--secure-port=0',
    '--v=0',
  ]);
  return kcm;
}

/**
 * With --use-service-account-credentials the manager creates one ServiceAccount per controller in
 * kube-system before starting it; when the ServiceAccount controller runs, it also creates
 * `default` in `default`. Seeing those shows the manager is connected, authorized and running.
 */
export async function waitForControllers(
  server: string,
  admin: TlsIdentity,
  kcm: ManagedProcess,
  selection: ControllerSelection,
): Promise<void> {
  const runsServiceAccountController = selection === true || selection.includes('*') || selection.includes('serviceaccount');
  await waitUntil('kube-controller-manager', 120_000, kcm, async () => {
    const perController = await httpsGet(`${server}/api/v1/namespaces/kube-system/serviceaccounts`, admin);
    if (perController.status !== 200 || (JSON.parse(perController.body) as { items: unknown[] }).items.length === 0) return false;
    if (!runsServiceAccountController) return true;
    const defaultSa = await httpsGet(`${server}/api/v1/namespaces/default/serviceaccounts/default`, admin);
    return defaultSa.status === 200;
  });
}
