// The kubelet, registered as the node `lakebench-node` with the bridge's address as its IP, talking
// to the node's containerd over CRI. Workarounds for this kind of machine:
// - failCgroupV1: false: the host is cgroup v1 (hybrid), which kubelet >= 1.35 refuses by default.
// - failSwapOn: false, and image garbage collection off (high threshold 100, no max age): images
//   are imported locally and cannot be pulled back if collected.
// - hard eviction thresholds near zero on disk: the disk is shared with the rest of the suite, whose
//   use must not evict the tier's pods; memory keeps the kubelet's default.
// Its serving certificate comes from the node's CA (the API server verifies it for logs and exec).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { writeKubeconfig } from '../kube/kubeconfig.js';
import { startProcess, type ManagedProcess } from '../kube/process.js';
import { nodeBinaries } from './binaries.js';
import { httpGetStatus } from './http.js';
import { apiServerUrl, nodeNetwork, nodePaths, nodePorts } from './layout.js';
import type { NodePki } from './pki.js';
import { waitFor } from './wait.js';

export function kubeletConfiguration(pki: NodePki): object {
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    containerRuntimeEndpoint: `unix://${nodePaths.containerdSocket}`,
    address: nodeNetwork.nodeIp,
    port: nodePorts.kubelet,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: nodePorts.kubeletHealthz,
    tlsCertFile: pki.kubeletServing.certPath,
    tlsPrivateKeyFile: pki.kubeletServing.keyPath,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: pki.caPath } },
    authorization: { mode: 'Webhook' },
    clusterDNS: [nodeNetwork.dnsServiceIp],
    clusterDomain: nodeNetwork.clusterDomain,
    resolvConf: '/etc/resolv.conf',
    failSwapOn: false,
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    imageMaximumGCAge: '0s',
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '1%', 'imagefs.available': '1%', 'nodefs.inodesFree': '1%' },
    podLogsDir: nodePaths.podLogs,
    rotateCertificates: false,
    serverTLSBootstrap: false,
    registerNode: true,
    maxPods: 110,
  };
}

export async function startKubelet(pki: NodePki): Promise<ManagedProcess> {
  const kubeconfig = path.join(nodePaths.config, 'kubelet.kubeconfig');
  writeKubeconfig(kubeconfig, { server: apiServerUrl, caPem: pki.caPem }, {
    name: `system:node:${nodeNetwork.nodeName}`,
    clientCertificatePem: pki.kubeletClient.certPem,
    clientKeyPem: pki.kubeletClient.keyPem,
  });
  const config = path.join(nodePaths.config, 'kubelet.yaml');
  writeFileSync(config, stringify(kubeletConfiguration(pki)));
  const kubelet = startProcess('kubelet', nodeBinaries.kubelet, [
    `--config=${config}`,
    `--kubeconfig=${kubeconfig}`,
    `--node-ip=${nodeNetwork.nodeIp}`,
    `--hostname-override=${nodeNetwork.nodeName}`,
    `--root-dir=${nodePaths.kubeletRoot}`,
    `--cert-dir=${path.join(nodePaths.kubeletRoot, 'pki')}`,
  ], {
    logFile: path.join(nodePaths.logs, 'kubelet.log'),
    env: { ...process.env, PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
  });
  await waitFor('kubelet /healthz', 120_000, [kubelet], async () => (await httpGetStatus(`http://127.0.0.1:${nodePorts.kubeletHealthz}/healthz`)) === 200);
  return kubelet;
}
