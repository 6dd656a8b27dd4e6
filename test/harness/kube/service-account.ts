// Credentials for a ServiceAccount, minted the way kubelets mint them for pods (TokenRequest), so
// a test can act with exactly the RBAC the runner's ServiceAccount gets from the chart.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import path from 'node:path';
import { loadKubeconfig, writeKubeconfig, type KubeconfigTarget } from './kubeconfig.js';

export type ServiceAccountTokenOptions = {
  /** Token lifetime; the API server's minimum is 600 s. */
  expirationSeconds?: number;
  /** Namespace written into the kubeconfig context (defaults to the ServiceAccount's). */
  contextNamespace?: string;
};

export type ServiceAccountAccess = {
  kubeconfigPath: string;
  kubeConfig: KubeConfig;
  token: string;
  /** The user name the API server sees: system:serviceaccount:<namespace>:<name>. */
  username: string;
};

export async function serviceAccountKubeconfig(
  admin: KubeConfig,
  target: KubeconfigTarget,
  dir: string,
  namespace: string,
  name: string,
  options: ServiceAccountTokenOptions = {},
): Promise<ServiceAccountAccess> {
  const core = admin.makeApiClient(CoreV1Api);
  const request = await core.createNamespacedServiceAccountToken({
    namespace,
    name,
    // No audiences: the token is for the API server itself.
    body: { spec: { audiences: [], expirationSeconds: options.expirationSeconds ?? 3600 } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`TokenRequest for ${namespace}/${name} returned no token`);
  const username = `system:serviceaccount:${namespace}:${name}`;
  const kubeconfigPath = path.join(dir, `${namespace}.${name}.kubeconfig`);
  writeKubeconfig(kubeconfigPath, { ...target, namespace: options.contextNamespace ?? namespace }, { name: username, token });
  return { kubeconfigPath, kubeConfig: loadKubeconfig(kubeconfigPath), token, username };
}
