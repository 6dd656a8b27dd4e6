// Driver and executor pod templates. Spark (≥ 3.0) merges them itself, so the scripts, the job's
// configuration, the scratch volumes, the Secret-backed environment and the security context reach
// the pods whether or not the Spark Operator's mutating webhook is installed.
import type { V1Container, V1EnvVar, V1PodTemplateSpec, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { ClusterSettings } from './cluster-settings.js';
import { catalogEnv, s3Env } from './credentials-env.js';
import { containerSecurityContext, podSecurityContext, SPARK_UID } from './pod-security.js';

export const SCRIPTS_DIR = '/opt/spark/scripts';
export const JOB_CONFIG_DIR = '/etc/lakebench/job';
export const JOB_CONFIG_FILE = 'job.json';
/** Spark uses volumes named spark-local-dir-* as its local (shuffle and spill) directories. */
export const SCRATCH_VOLUME = 'spark-local-dir-1';
export const SCRATCH_DIR = `/var/data/${SCRATCH_VOLUME}`;
// Container names the Spark Operator tells Spark to take from the templates.
const DRIVER_CONTAINER = 'spark-kubernetes-driver';
const EXECUTOR_CONTAINER = 'spark-kubernetes-executor';

export type TemplateInput = { settings: ClusterSettings; labels: Record<string, string>; scriptsConfigMap: string; jobConfigMap: string; scratchGi: number };

const commonEnv: V1EnvVar[] = [
  { name: 'HOME', value: '/tmp' },
  { name: 'PYTHONPATH', value: SCRIPTS_DIR },
  { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
];

// The root file system is read-only: Spark's working directory and /tmp are emptyDirs.
const writable: { volumes: V1Volume[]; mounts: V1VolumeMount[] } = {
  volumes: [
    { name: 'tmp', emptyDir: {} },
    { name: 'work-dir', emptyDir: {} },
  ],
  mounts: [
    { name: 'tmp', mountPath: '/tmp' },
    { name: 'work-dir', mountPath: '/opt/spark/work-dir' },
  ],
};

const scripts = (configMap: string): { volume: V1Volume; mount: V1VolumeMount } => ({
  volume: { name: 'scripts', configMap: { name: configMap } },
  mount: { name: 'scripts', mountPath: SCRIPTS_DIR, readOnly: true },
});

function template(labels: Record<string, string>, container: V1Container, volumes: V1Volume[]): V1PodTemplateSpec {
  return {
    metadata: { labels },
    spec: {
      securityContext: podSecurityContext(SPARK_UID),
      containers: [{ ...container, securityContext: containerSecurityContext() }],
      volumes,
    },
  };
}

/**
 * The driver resolves spark.jars.packages with Ivy (Spark's MavenUtils), whose "central" and
 * "spark-packages" resolvers take their root from this variable instead of Maven Central: an
 * air-gapped cluster names its mirror (cluster.spark.mavenRepository).
 */
export const MAVEN_REPOSITORY_ENV = 'DEFAULT_ARTIFACT_REPOSITORY';

export function driverTemplate(t: TemplateInput): V1PodTemplateSpec {
  const s = scripts(t.scriptsConfigMap);
  const mirror = t.settings.spark.mavenRepository;
  return template(
    t.labels,
    {
      name: DRIVER_CONTAINER,
      env: [...s3Env(t.settings), ...catalogEnv(t.settings), ...commonEnv, ...(mirror ? [{ name: MAVEN_REPOSITORY_ENV, value: mirror }] : [])],
      volumeMounts: [s.mount, { name: 'job-config', mountPath: JOB_CONFIG_DIR, readOnly: true }, ...writable.mounts],
    },
    [s.volume, { name: 'job-config', configMap: { name: t.jobConfigMap } }, ...writable.volumes],
  );
}

/** Each executor gets its own scratch PVC from a claim template, deleted with the pod. */
export function executorTemplate(t: TemplateInput): V1PodTemplateSpec {
  const s = scripts(t.scriptsConfigMap);
  const storageClassName = t.settings.spark.scratchStorageClass;
  const scratch: V1Volume = {
    name: SCRATCH_VOLUME,
    ephemeral: {
      volumeClaimTemplate: {
        metadata: { labels: t.labels },
        spec: { accessModes: ['ReadWriteOnce'], ...(storageClassName ? { storageClassName } : {}), resources: { requests: { storage: `${t.scratchGi}Gi` } } },
      },
    },
  };
  return template(
    t.labels,
    { name: EXECUTOR_CONTAINER, env: [...s3Env(t.settings), ...commonEnv], volumeMounts: [s.mount, { name: SCRATCH_VOLUME, mountPath: SCRATCH_DIR }, ...writable.mounts] },
    [s.volume, scratch, ...writable.volumes],
  );
}
