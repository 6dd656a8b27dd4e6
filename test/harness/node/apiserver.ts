// kube-apiserver for the node: as test/harness/kube/apiserver.ts, but reachable from pods (bound to
// the node's IP, which is also the endpoint of the `kubernetes` Service), with the Node authorizer
// and NodeRestriction for the kubelet, PodSecurity admission, and a client certificate for the
// kubelet's API (logs, exec) that names the node by its InternalIP, as there is no DNS for it.
import path from 'node:path';
import { httpsGet, type TlsIdentity } from '../kube/https-get.js';
import { startProcess, type ManagedProcess } from '../kube/process.js';
import { nodeBinaries } from './binaries.js';
import { apiServerUrl, nodeNetwork, nodePaths, nodePorts } from './layout.js';
import type { NodePki } from './pki.js';
import { waitFor } from './wait.js';

export async function startNodeApiServer(pki: NodePki, etcdUrl: string, admin: TlsIdentity): Promise<ManagedProcess> {
  const apiserver = startProcess('kube-apiserver', nodeBinaries.kubeApiServer, [
    `--etcd-servers=${etcdUrl}`,
    `--bind-address=${nodeNetwork.nodeIp}`,
    `--advertise-address=${nodeNetwork.nodeIp}`,
    `--secure-port=${nodePorts.apiserver}`,
    `--cert-dir=${nodePaths.pki}`,
    `--tls-cert-file=${pki.serving.certPath}`,
    `--tls-private-key-file=${pki.serving.keyPath}`,
    `--client-ca-file=${pki.caPath}`,
    '--authorization-mode=Node,RBAC',
    // PodSecurity is in the default set already; named so the tier's restricted namespaces are enforced by intent.
    '--enable-admission-plugins=NodeRestriction,PodSecurity',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.serviceAccountPublicKeyPath}`,
    `--service-account-signing-key-file=${pki.serviceAccountKeyPath}`,
    `--service-cluster-ip-range=${nodeNetwork.serviceCidr}`,
    `--kubelet-client-certificate=${pki.apiserverKubeletClient.certPath}`,
    `--kubelet-client-key=${pki.apiserverKubeletClient.keyPath}`,
    `--kubelet-certificate-authority=${pki.caPath}`,
    // The node's hostname resolves nowhere here; its InternalIP (the --node-ip) does.
    '--kubelet-preferred-address-types=InternalIP',
    '--profiling=false',
  ], { logFile: path.join(nodePaths.logs, 'kube-apiserver.log') });
  await waitFor('kube-apiserver /readyz', 180_000, [apiserver], async () => (await httpsGet(`${apiServerUrl}/readyz`, admin)).status === 200);
  return apiserver;
}
