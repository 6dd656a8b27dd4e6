// Datagen as an Indexed Job on the runner image (docs/data.md §7): completions = parallelism = the pod
// count of the sizing model (or datagen.parallelism); pod i runs `lakebench datagen-worker` for the
// files whose index mod P = i. Each index retries on its own (backoffLimitPerIndex); one index out of
// retries fails the Job at once (maxFailedIndexes 0) instead of letting the others finish in vain.
import type { V1Job } from '@kubernetes/client-node';
import { DATAGEN_POD, type PodSize } from '../../../model/sizing.js';
import { datagenTaskSchema, type DatagenTask } from '../../../datagen/datagen-task.js';
import type { ClusterSettings } from './cluster-settings.js';
import { s3Env } from './credentials-env.js';
import { DATAGEN_JOB_NAME, datagenTaskConfigMapName, runLabels } from './labels.js';
import { containerSecurityContext, podSecurityContext, RUNNER_UID } from './pod-security.js';
import { checkSize, type ConfigMapManifest } from './scripts-configmap.js';

export const TASK_DIR = '/etc/lakebench/datagen';
export const TASK_FILE = 'task.json';
export const WORK_DIR = '/var/lib/lakebench-datagen';
export const RETRIES_PER_INDEX = 3;

export type JobManifest = V1Job & { apiVersion: 'batch/v1'; kind: 'Job'; metadata: { name: string; namespace: string; labels: Record<string, string> } };

export type DatagenJobInput = { settings: ClusterSettings; task: DatagenTask; pods: number; pod?: PodSize };

export function datagenTaskConfigMap(s: ClusterSettings, task: DatagenTask): ConfigMapManifest {
  const valid = datagenTaskSchema.parse(task);
  return checkSize({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: datagenTaskConfigMapName(valid.run_id), namespace: s.namespace, labels: runLabels(s.release, valid.run_id, 'datagen') },
    data: { [TASK_FILE]: JSON.stringify(valid) },
  });
}

export function datagenJobManifest(input: DatagenJobInput): JobManifest {
  const { settings: s, task, pods } = input;
  const size = input.pod ?? DATAGEN_POD;
  if (!Number.isInteger(pods) || pods < 1) throw new Error(`datagen pods must be a positive integer, got ${pods}`);
  const labels = runLabels(s.release, task.run_id, 'datagen');
  // Two files on local disk at most (one generating, one uploading), plus slack.
  const workGi = Math.ceil((2 * task.dataset.file_size_bytes) / 2 ** 30) + 1;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: DATAGEN_JOB_NAME, namespace: s.namespace, labels },
    spec: {
      completionMode: 'Indexed',
      completions: pods,
      parallelism: pods,
      backoffLimitPerIndex: RETRIES_PER_INDEX,
      maxFailedIndexes: 0,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          // The workers talk to S3 only, never to the Kubernetes API.
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurityContext(RUNNER_UID),
          containers: [
            {
              name: 'datagen',
              image: s.runnerImage,
              imagePullPolicy: 'IfNotPresent',
              args: ['datagen-worker', '--index', '$(JOB_COMPLETION_INDEX)', '--pods', String(pods), '--task', `${TASK_DIR}/${TASK_FILE}`, '--work-dir', WORK_DIR],
              env: [...s3Env(s), { name: 'HOME', value: '/tmp' }],
              resources: {
                requests: { cpu: String(size.cpu), memory: `${size.memoryGb}Gi` },
                limits: { memory: `${size.memoryGb}Gi` },
              },
              securityContext: containerSecurityContext(),
              volumeMounts: [
                { name: 'task', mountPath: TASK_DIR, readOnly: true },
                { name: 'work', mountPath: WORK_DIR },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'task', configMap: { name: datagenTaskConfigMapName(task.run_id) } },
            { name: 'work', emptyDir: { sizeLimit: `${workGi}Gi` } },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      },
    },
  };
}
