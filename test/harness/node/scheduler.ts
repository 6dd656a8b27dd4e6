// kube-scheduler with its own client certificate (bootstrap RBAC binds system:kube-scheduler).
// No serving port: nothing scrapes it, and a fixed port would be one more to collide; that it
// works shows when CoreDNS's pod gets a node.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { writeKubeconfig } from '../kube/kubeconfig.js';
import { startProcess, type ManagedProcess } from '../kube/process.js';
import { nodeBinaries } from './binaries.js';
import { apiServerUrl, nodePaths } from './layout.js';
import type { NodePki } from './pki.js';

export function startScheduler(pki: NodePki): ManagedProcess {
  const kubeconfig = path.join(nodePaths.config, 'kube-scheduler.kubeconfig');
  writeKubeconfig(kubeconfig, { server: apiServerUrl, caPem: pki.caPem }, {
    name: 'system:kube-scheduler',
    clientCertificatePem: pki.scheduler.certPem,
    clientKeyPem: pki.scheduler.keyPem,
  });
  const config = path.join(nodePaths.config, 'kube-scheduler.yaml');
  writeFileSync(config, stringify({
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    clientConnection: { kubeconfig },
    leaderElection: { leaderElect: false },
  }));
  return startProcess('kube-scheduler', nodeBinaries.kubeScheduler, [`--config=${config}`, '--secure-port=0'], {
    logFile: path.join(nodePaths.logs, 'kube-scheduler.log'),
  });
}
