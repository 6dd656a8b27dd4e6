// Credentials reach pods only as environment variables backed by Secrets: the manifests carry the
// Secret's name and key, never a value.
import type { V1EnvVar } from '@kubernetes/client-node';
import { CATALOG_CREDENTIAL_ENV, type ClusterSettings, type SecretKeyRef } from './cluster-settings.js';

const fromSecret = (name: string, ref: SecretKeyRef): V1EnvVar => ({ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } });

/** AWS_* variables: the SDK's and S3A's default credential chains read them. */
export function s3Env(s: ClusterSettings): V1EnvVar[] {
  return [
    fromSecret('AWS_ACCESS_KEY_ID', s.secrets.s3.accessKeyId),
    fromSecret('AWS_SECRET_ACCESS_KEY', s.secrets.s3.secretAccessKey),
    { name: 'AWS_REGION', value: s.storage.region },
  ];
}

/**
 * Polaris: the client id and secret from the bootstrap Job's Secret, and the `id:secret` pair the
 * jobs expect, composed by the kubelet's $(VAR) expansion (which only sees variables listed before it).
 */
export function catalogEnv(s: ClusterSettings): V1EnvVar[] {
  if (!s.secrets.polaris) return [];
  return [
    fromSecret('POLARIS_CLIENT_ID', s.secrets.polaris.clientId),
    fromSecret('POLARIS_CLIENT_SECRET', s.secrets.polaris.clientSecret),
    { name: CATALOG_CREDENTIAL_ENV, value: '$(POLARIS_CLIENT_ID):$(POLARIS_CLIENT_SECRET)' },
  ];
}
