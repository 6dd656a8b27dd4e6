// A GET against the API server with the admin's client certificate, for readiness probes that
// must not depend on the client library under test.
import https from 'node:https';

export type TlsIdentity = { caPem: string; certPem: string; keyPem: string };

export function httpsGet(url: string, tls: TlsIdentity): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca: tls.caPem, cert: tls.certPem, key: tls.keyPem, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}
