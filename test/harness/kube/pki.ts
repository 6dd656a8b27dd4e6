// Throwaway PKI for one test control plane: a CA, the API server's serving certificate, client
// certificates for the admin and the controller manager, and the service-account signing key pair.
// X.509 issuing goes through the openssl CLI because node:crypto cannot create certificates.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type CertPair = { certPath: string; keyPath: string; certPem: string; keyPem: string };

export type ControlPlanePki = {
  caPath: string;
  caPem: string;
  serving: CertPair;
  admin: CertPair;
  controllerManager: CertPair;
  serviceAccountKeyPath: string;
  serviceAccountPublicKeyPath: string;
};

/** The identity the admin kubeconfig acts as; system:masters bypasses RBAC, as cluster-admin would. */
export const adminUser = { name: 'lakebench-admin', group: 'system:masters' } as const;

// Short-lived on purpose: these certificates only live as long as a test file.
const validDays = '2';
const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Issues a certificate signed by the CA in `dir` (ca.crt, ca.key); `extensions` in openssl's -extfile syntax. */
export async function issue(dir: string, name: string, subject: string, extensions: string): Promise<CertPair> {
  const keyPath = path.join(dir, `${name}.key`);
  const csrPath = path.join(dir, `${name}.csr`);
  const certPath = path.join(dir, `${name}.crt`);
  const extPath = path.join(dir, `${name}.ext`);
  writeFileSync(extPath, extensions);
  await run('openssl', ['req', '-new', ...ecKey, '-keyout', keyPath, '-out', csrPath, '-subj', subject]);
  await run('openssl', [
    'x509', '-req', '-in', csrPath, '-CA', path.join(dir, 'ca.crt'), '-CAkey', path.join(dir, 'ca.key'),
    '-CAcreateserial', '-days', validDays, '-out', certPath, '-extfile', extPath,
  ]);
  return { certPath, keyPath, certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
}

export const clientExtensions = 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n';

/** `extraServingSans` (e.g. ['IP:10.244.0.1']): more names for the API server's serving certificate. */
export async function createControlPlanePki(dir: string, serviceClusterIp: string, extraServingSans: string[] = []): Promise<ControlPlanePki> {
  const caPath = path.join(dir, 'ca.crt');
  await run('openssl', [
    'req', '-x509', ...ecKey, '-keyout', path.join(dir, 'ca.key'), '-out', caPath, '-days', validDays,
    '-subj', '/CN=lakebench-test-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  // In-cluster clients reach the API server by these names; 127.0.0.1 is how the tests reach it.
  const sans = [
    'IP:127.0.0.1', `IP:${serviceClusterIp}`, 'DNS:localhost', 'DNS:kubernetes', 'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc', 'DNS:kubernetes.default.svc.cluster.local', ...extraServingSans,
  ];
  const serving = await issue(dir, 'apiserver', '/CN=kube-apiserver',
    `keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans.join(',')}\n`);
  const admin = await issue(dir, 'admin', `/O=${adminUser.group}/CN=${adminUser.name}`, clientExtensions);
  const controllerManager = await issue(dir, 'controller-manager', '/CN=system:kube-controller-manager', clientExtensions);

  // Service-account tokens are signed with this key (RS256, as on real clusters).
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const serviceAccountKeyPath = path.join(dir, 'sa.key');
  const serviceAccountPublicKeyPath = path.join(dir, 'sa.pub');
  writeFileSync(serviceAccountKeyPath, privateKey, { mode: 0o600 });
  writeFileSync(serviceAccountPublicKeyPath, publicKey);

  return {
    caPath, caPem: readFileSync(caPath, 'utf8'), serving, admin, controllerManager,
    serviceAccountKeyPath, serviceAccountPublicKeyPath,
  };
}
