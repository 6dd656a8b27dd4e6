// The node's certificates: the control plane's (test/harness/kube/pki.ts, with the node's IP added
// to the API server's names) plus one identity per node component, each the one Kubernetes'
// bootstrap RBAC and the Node authorizer expect, and a serving certificate for the kubelet that
// the API server verifies when it proxies logs and exec.
import { clientExtensions, createControlPlanePki, issue, type CertPair, type ControlPlanePki } from '../kube/pki.js';
import { nodeNetwork } from './layout.js';

export type NodePki = ControlPlanePki & {
  /** system:node:<name> in system:nodes: the Node authorizer and NodeRestriction admit it for its own node. */
  kubeletClient: CertPair;
  kubeletServing: CertPair;
  /** How the API server authenticates to the kubelet (logs, exec): system:masters passes the kubelet's webhook authorization. */
  apiserverKubeletClient: CertPair;
  /** system:kube-scheduler and system:kube-proxy: bound by bootstrap RBAC (system:kube-scheduler, system:node-proxier). */
  scheduler: CertPair;
  proxy: CertPair;
};

export async function createNodePki(dir: string): Promise<NodePki> {
  const { nodeName, nodeIp } = nodeNetwork;
  const base = await createControlPlanePki(dir, nodeNetwork.kubernetesServiceIp, [`IP:${nodeIp}`]);
  const node = `/O=system:nodes/CN=system:node:${nodeName}`;
  return {
    ...base,
    kubeletClient: await issue(dir, 'kubelet-client', node, clientExtensions),
    kubeletServing: await issue(dir, 'kubelet-serving', node,
      `keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:${nodeIp},DNS:${nodeName}\n`),
    apiserverKubeletClient: await issue(dir, 'apiserver-kubelet-client', '/O=system:masters/CN=kube-apiserver-kubelet-client', clientExtensions),
    scheduler: await issue(dir, 'kube-scheduler', '/CN=system:kube-scheduler', clientExtensions),
    proxy: await issue(dir, 'kube-proxy', '/CN=system:kube-proxy', clientExtensions),
  };
}
