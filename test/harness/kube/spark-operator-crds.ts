// The Kubeflow Spark Operator's own CRDs (from its Go module, cached by test/setup/40-kube.sh), so
// SparkApplication manifests are validated by the operator's real OpenAPI schema.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { applyManifests } from './apply.js';
import { sparkOperatorCrdDir, sparkOperatorVersion } from './binaries.js';

export const sparkOperatorCrdFiles = {
  SparkApplication: 'sparkoperator.k8s.io_sparkapplications.yaml',
  ScheduledSparkApplication: 'sparkoperator.k8s.io_scheduledsparkapplications.yaml',
  SparkConnect: 'sparkoperator.k8s.io_sparkconnects.yaml',
} as const;

export type SparkOperatorKind = keyof typeof sparkOperatorCrdFiles;

export function sparkOperatorCrdYaml(kind: SparkOperatorKind): string {
  return readFileSync(path.join(sparkOperatorCrdDir, sparkOperatorCrdFiles[kind]), 'utf8');
}

/** Installs the CRDs (default: SparkApplication and ScheduledSparkApplication) and waits until they are served. */
export async function installSparkOperatorCrds(
  kc: KubeConfig,
  kinds: SparkOperatorKind[] = ['SparkApplication', 'ScheduledSparkApplication'],
): Promise<{ operatorVersion: string; crdNames: string[] }> {
  const operatorVersion = sparkOperatorVersion();
  const crdNames: string[] = [];
  for (const kind of kinds) {
    const [crd] = await applyManifests(kc, sparkOperatorCrdYaml(kind), { fieldManager: 'lakebench-test-crds' });
    if (crd?.metadata?.name) crdNames.push(crd.metadata.name);
  }
  return { operatorVersion, crdNames };
}
