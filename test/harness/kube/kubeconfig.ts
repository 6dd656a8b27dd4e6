// Kubeconfig files for the test API server: one for the admin (client certificate) and one per
// ServiceAccount (bearer token), so code under test loads credentials exactly as it would from a
// user's ~/.kube/config.
import { KubeConfig } from '@kubernetes/client-node';
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export type KubeconfigUser =
  | { name: string; clientCertificatePem: string; clientKeyPem: string }
  | { name: string; token: string };

export type KubeconfigTarget = { server: string; caPem: string; clusterName?: string; namespace?: string };

const b64 = (pem: string) => Buffer.from(pem).toString('base64');

export function writeKubeconfig(filePath: string, target: KubeconfigTarget, user: KubeconfigUser): void {
  const cluster = target.clusterName ?? 'lakebench-test';
  const credentials =
    'token' in user
      ? { token: user.token }
      : { 'client-certificate-data': b64(user.clientCertificatePem), 'client-key-data': b64(user.clientKeyPem) };
  const context = `${user.name}@${cluster}`;
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: target.server, 'certificate-authority-data': b64(target.caPem) } }],
    users: [{ name: user.name, user: credentials }],
    contexts: [{ name: context, context: { cluster, user: user.name, ...(target.namespace ? { namespace: target.namespace } : {}) } }],
    'current-context': context,
  };
  writeFileSync(filePath, stringify(doc), { mode: 0o600 });
}

export function loadKubeconfig(filePath: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(filePath);
  return kc;
}
