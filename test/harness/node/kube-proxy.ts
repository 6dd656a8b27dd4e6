// kube-proxy in iptables mode (Service ClusterIPs as KUBE-* NAT chains). Its conntrack settings are
// set to "leave as is" (0) so it changes no host-wide conntrack sysctl, and localhost NodePorts are
// off so it does not set net.ipv4.conf.all.route_localnet; what it does create is removed by the
// host clean-up (host/iptables.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { httpGetStatus } from './http.js';
import { writeKubeconfig } from '../kube/kubeconfig.js';
import { startProcess, type ManagedProcess } from '../kube/process.js';
import { nodeBinaries } from './binaries.js';
import { apiServerUrl, nodeNetwork, nodePaths, nodePorts } from './layout.js';
import type { NodePki } from './pki.js';
import { waitFor } from './wait.js';

export async function startKubeProxy(pki: NodePki): Promise<ManagedProcess> {
  const kubeconfig = path.join(nodePaths.config, 'kube-proxy.kubeconfig');
  writeKubeconfig(kubeconfig, { server: apiServerUrl, caPem: pki.caPem }, {
    name: 'system:kube-proxy',
    clientCertificatePem: pki.proxy.certPem,
    clientKeyPem: pki.proxy.keyPem,
  });
  const config = path.join(nodePaths.config, 'kube-proxy.yaml');
  writeFileSync(config, stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: 'iptables',
    clientConnection: { kubeconfig },
    hostnameOverride: nodeNetwork.nodeName,
    clusterCIDR: nodeNetwork.clusterCidr,
    healthzBindAddress: `127.0.0.1:${nodePorts.kubeProxyHealthz}`,
    metricsBindAddress: `127.0.0.1:${nodePorts.kubeProxyMetrics}`,
    syncPeriod: '30s',
    minSyncPeriod: '1s',
    iptables: { localhostNodePorts: false },
    // NodePorts answer on the node's IP only, not on every host address.
    nodePortAddresses: [`${nodeNetwork.nodeIp}/32`],
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s', udpTimeout: '0s', udpStreamTimeout: '0s' },
  }));
  const proxy = startProcess('kube-proxy', nodeBinaries.kubeProxy, [`--config=${config}`], {
    logFile: path.join(nodePaths.logs, 'kube-proxy.log'),
  });
  // /healthz answers 200 once the first full sync of the rules is done.
  await waitFor('kube-proxy /healthz', 120_000, [proxy], async () => (await httpGetStatus(`http://127.0.0.1:${nodePorts.kubeProxyHealthz}/healthz`)) === 200);
  return proxy;
}
