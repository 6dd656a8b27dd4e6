// The PySpark jobs (spark-scripts/*.py) as one ConfigMap named by a hash of their content: a new
// runner version never mounts an older runner's scripts, and an unchanged set is reused as is.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { V1ConfigMap } from '@kubernetes/client-node';

/** spark-scripts/ next to runner/ (in the repository and in the runner image alike). */
export const DEFAULT_SCRIPTS_DIR = process.env.LAKEBENCH_SPARK_SCRIPTS ?? fileURLToPath(new URL('../../../../../spark-scripts/', import.meta.url));
/** A ConfigMap holds at most 1 MiB in total. */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;

export type ConfigMapManifest = V1ConfigMap & { apiVersion: 'v1'; kind: 'ConfigMap'; metadata: { name: string; namespace: string; labels: Record<string, string> }; data: Record<string, string> };

export function readScripts(dir: string = DEFAULT_SCRIPTS_DIR): Record<string, string> {
  const names = readdirSync(dir).filter((f) => f.endsWith('.py')).sort();
  if (names.length === 0) throw new Error(`no Spark scripts (*.py) in ${dir}`);
  return Object.fromEntries(names.map((n) => [n, readFileSync(path.join(dir, n), 'utf8')]));
}

/** SHA-256 over every (name, content) pair in name order; the name carries its first 8 hex digits. */
export function scriptsHash(scripts: Record<string, string>): string {
  const h = createHash('sha256');
  for (const name of Object.keys(scripts).sort()) h.update(name).update('\0').update(scripts[name]!).update('\0');
  return h.digest('hex');
}

export function scriptsConfigMap(namespace: string, labels: Record<string, string>, scripts: Record<string, string> = readScripts()): ConfigMapManifest {
  const hash = scriptsHash(scripts);
  const cm: ConfigMapManifest = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `lakebench-spark-scripts-${hash.slice(0, 8)}`, namespace, labels: { ...labels, 'lakebench.io/scripts-sha256': hash.slice(0, 63) } },
    data: scripts,
  };
  return checkSize(cm);
}

export function checkSize<T extends ConfigMapManifest>(cm: T): T {
  const bytes = Object.entries(cm.data).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (bytes > CONFIGMAP_MAX_BYTES) throw new Error(`ConfigMap ${cm.metadata.name} would hold ${bytes} bytes, above the API server's limit of ${CONFIGMAP_MAX_BYTES}`);
  return cm;
}
