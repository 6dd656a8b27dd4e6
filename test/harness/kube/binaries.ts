// Where test/setup/40-kube.sh leaves the control-plane binaries and the Spark Operator CRDs.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cacheBin, cacheDir } from '../cache.js';

export const kubeBinaries = {
  etcd: cacheBin('etcd'),
  kubeApiServer: cacheBin('kube-apiserver'),
  kubeControllerManager: cacheBin('kube-controller-manager'),
} as const;

export const sparkOperatorCrdDir = path.join(cacheDir, 'crds', 'spark-operator');

/** The Spark Operator version whose CRDs were cached (written by the setup script). */
export function sparkOperatorVersion(): string {
  const stamp = path.join(sparkOperatorCrdDir, 'version');
  if (!existsSync(stamp)) throw new Error(`${stamp} is missing: run bash test/setup/install.sh first`);
  return readFileSync(stamp, 'utf8').trim();
}
