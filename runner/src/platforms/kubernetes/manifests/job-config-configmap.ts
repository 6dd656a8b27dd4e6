// One stage's job document (runner/src/spark-jobs/job-config.ts) as a ConfigMap the driver
// mounts read-only. The document holds no secrets: credentials are environment variables. Nor does
// it list bronze's files: it points at the datagen manifest in the bronze bucket, so it stays a few
// KiB at every scale, far below the 1 MiB a ConfigMap may hold (checkSize still guards the limit).
import { sparkJobConfigSchema, type SparkJobConfig } from '../../../spark-jobs/job-config.js';
import { jobConfigMapName, runLabels } from './labels.js';
import { checkSize, type ConfigMapManifest } from './scripts-configmap.js';
import { JOB_CONFIG_FILE } from './spark-pod-templates.js';

export function jobConfigConfigMap(namespace: string, release: string, doc: SparkJobConfig): ConfigMapManifest {
  const valid = sparkJobConfigSchema.parse(doc);
  return checkSize({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: jobConfigMapName(valid.stage, valid.run_id), namespace, labels: runLabels(release, valid.run_id, 'spark', valid.stage) },
    data: { [JOB_CONFIG_FILE]: JSON.stringify(valid) },
  });
}
