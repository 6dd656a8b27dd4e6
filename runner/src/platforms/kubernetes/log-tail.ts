// The last lines of a failed driver's log, for the stage entry and logs/. Spark prints its
// configuration and Hadoop prints S3 settings on failure, so anything that looks like a credential
// is masked before the text leaves this file.
import type { KubeClient } from './client.js';
import { describeApiError } from './client.js';

export const DRIVER_CONTAINER = 'spark-kubernetes-driver';
export const LOG_TAIL_LINES = 80;

const MASK = '***';
const SECRET_KEY = '(?:secret|password|passwd|pwd|token|credential|access[._-]?key|secret[._-]?key|session[._-]?key|api[._-]?key|auth)';
const PATTERNS: RegExp[] = [
  // key=value, key: value, "key": "value" where the key names a secret
  new RegExp(`(${SECRET_KEY}[A-Za-z0-9_.-]*"?\\s*[=:]\\s*"?)([^\\s",;]+)`, 'gi'),
  /(Authorization:\s*(?:Bearer|Basic)\s+)(\S+)/gi,
  /(\/\/[^/\s:@]+:)([^@\s/]+)(@)/g,
];
const AWS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g;

/** Masks credentials: secret-named settings, auth headers, URL passwords, AWS key ids, and the values of secret env vars. */
export function redact(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= 6 && new RegExp(SECRET_KEY, 'i').test(name)) out = out.split(value).join(MASK);
  }
  // Authorization headers first: the secret-named-setting pattern also matches `Authorization:` and
  // would mask only the scheme word (`Bearer`), leaving the token itself in the text.
  out = out.replace(PATTERNS[1]!, (_m, k: string) => `${k}${MASK}`);
  out = out.replace(PATTERNS[0]!, (_m, k: string) => `${k}${MASK}`);
  out = out.replace(PATTERNS[2]!, (_m, a: string, _p: string, b: string) => `${a}${MASK}${b}`);
  return out.replace(AWS_KEY_ID, `$1${MASK}`);
}

/** The redacted tail of a pod's log, or a note saying why there is none (never throws). */
export async function podLogTail(client: KubeClient, pod: string, container: string | undefined, lines = LOG_TAIL_LINES): Promise<string> {
  try {
    const text = await client.call('pod log', () =>
      client.core.readNamespacedPodLog({ namespace: client.namespace, name: pod, ...(container ? { container } : {}), tailLines: lines }),
    );
    return redact(String(text));
  } catch (e) {
    return `(no log for pod ${pod}: ${describeApiError(e)})`;
  }
}
