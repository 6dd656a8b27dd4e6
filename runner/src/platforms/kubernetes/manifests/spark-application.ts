// A batch stage as a Spark Operator SparkApplication (sparkoperator.k8s.io/v1beta2). Every number
// comes from the one sizing model (runner/src/model/sizing.ts): executor count, cores, heap and
// overhead, driver memory, result size, shuffle partitions. Field names follow the operator's CRD
// (v2.5.2), which the kubernetes tests check by creating these objects on a real API server.
import type { V1PodSecurityContext, V1PodTemplateSpec, V1SecurityContext } from '@kubernetes/client-node';
import { EXECUTOR_CEILING, jobSizing, type JobSizing, type SparkJob } from '../../../model/sizing.js';
import { stageOverride } from '../../../model/sizing-options.js';
import type { BatchStage } from '../../../model/stage-report.js';
import { BadInputError } from '../../../util/errors.js';
import type { ClusterSettings } from './cluster-settings.js';
import { runLabels, sparkApplicationName } from './labels.js';
import { containerSecurityContext, podSecurityContext, SPARK_UID } from './pod-security.js';
import { sparkConf } from './spark-conf.js';
import { sparkPackages } from './spark-packages.js';
import { driverTemplate, executorTemplate, JOB_CONFIG_DIR, JOB_CONFIG_FILE, SCRIPTS_DIR } from './spark-pod-templates.js';
import { stageDefinition } from '../../stage-registry.js';

type PodSpecCommon = {
  cores: number;
  memory: string;
  memoryOverhead: string;
  labels: Record<string, string>;
  podSecurityContext: V1PodSecurityContext;
  securityContext: V1SecurityContext;
  template: V1PodTemplateSpec;
};

export type SparkApplication = {
  apiVersion: 'sparkoperator.k8s.io/v1beta2';
  kind: 'SparkApplication';
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: {
    type: 'Python';
    mode: 'cluster';
    pythonVersion: '3';
    sparkVersion: string;
    image: string;
    imagePullPolicy: 'IfNotPresent';
    mainApplicationFile: string;
    arguments: string[];
    sparkConf: Record<string, string>;
    deps: { packages: string[]; excludePackages?: string[] };
    restartPolicy: RestartPolicy;
    driver: PodSpecCommon & { coreRequest: string; serviceAccount: string };
    executor: PodSpecCommon & { instances: number; coreRequest: string; deleteOnTermination: boolean };
  };
};

/** The operator's restart policy (v2.5.2): OnFailure retries a failed run up to onFailureRetries times, then gives up (FAILED). */
export type RestartPolicy = { type: 'OnFailure'; onFailureRetries: number; onFailureRetryInterval: number; onSubmissionFailureRetries: number; onSubmissionFailureRetryInterval: number };

export type SparkApplicationInput = {
  settings: ClusterSettings;
  job: BatchStage;
  runId: string;
  scale: number;
  /** ConfigMap holding spark-scripts/*.py (scripts-configmap.ts). */
  scriptsConfigMap: string;
  /** ConfigMap holding this stage's job document (job-config-configmap.ts). */
  jobConfigMap: string;
};

/** docs/pipeline.md §9.3: batch jobs restart on failure twice, 30 s apart. */
export const BATCH_RETRIES = 2;
export const BATCH_RETRY_INTERVAL_S = 30;

/** The full version the operator needs (≥ 3.0.0 for pod templates), read from the image tag when it has one. */
export function sparkVersionOf(image: string, major: '3' | '4'): string {
  const tag = /:(\d+\.\d+\.\d+)/.exec(image)?.[1];
  return tag && tag.startsWith(`${major}.`) ? tag : major === '4' ? '4.0.1' : '3.5.6';
}

/** A CPU amount in cores as a Kubernetes quantity: whole cores as they are, fractions in millicores (0.25 → "250m"). */
export function cpuQuantity(cores: number): string {
  return Number.isInteger(cores) ? String(cores) : `${Math.max(1, Math.round(cores * 1000))}m`;
}

/** The stage's sizing with the config's per-stage overrides; an executor count above the ceiling needs an acknowledgement. */
export function stageSizing(settings: ClusterSettings, job: BatchStage, scale: number): JobSizing {
  const override = stageOverride(settings.spark, job);
  if (override.executors !== undefined && override.executors > EXECUTOR_CEILING && !settings.spark.allowOverCeiling) {
    throw new BadInputError(
      `${override.executors} executors is above the ceiling of ${EXECUTOR_CEILING} (Spark's Kubernetes client floods the API server); set cluster.spark.allowOverCeiling: true to run it anyway`,
      `cluster.spark.executors.${job}`,
    );
  }
  return jobSizing(stageDefinition(job).profile, scale, { sparkVersion: settings.spark.version, override });
}

export function sparkApplicationManifest(input: SparkApplicationInput): { manifest: SparkApplication; sizing: JobSizing } {
  const { settings: s, job, runId, scale } = input;
  const sizing = stageSizing(s, job, scale);
  const manifest = sparkApplicationObject({
    settings: s,
    job,
    runId,
    scale,
    sizing,
    script: stageDefinition(job).spark.script,
    arguments: ['--config', `${JOB_CONFIG_DIR}/${JOB_CONFIG_FILE}`],
    restartPolicy: {
      type: 'OnFailure',
      onFailureRetries: BATCH_RETRIES,
      onFailureRetryInterval: BATCH_RETRY_INTERVAL_S,
      onSubmissionFailureRetries: BATCH_RETRIES,
      onSubmissionFailureRetryInterval: BATCH_RETRY_INTERVAL_S,
    },
    scriptsConfigMap: input.scriptsConfigMap,
    jobConfigMap: input.jobConfigMap,
  });
  return { manifest, sizing };
}

/** What differs between SparkApplications: the job, its sizing, script, arguments and restart policy. */
export type SparkApplicationParts = {
  settings: ClusterSettings;
  /** Names the application (`lakebench-<job>`) and labels its pods. */
  job: SparkJob;
  runId: string;
  scale: number;
  sizing: JobSizing;
  /** A file of spark-scripts/. */
  script: string;
  arguments: string[];
  restartPolicy: RestartPolicy;
  scriptsConfigMap: string;
  jobConfigMap: string;
};

/** One SparkApplication: the same packages, Spark settings, pod templates and security context for every job. */
export function sparkApplicationObject(input: SparkApplicationParts): SparkApplication {
  const { settings: s, job, runId, scale, sizing } = input;
  const labels = runLabels(s.release, runId, 'spark', job);
  const templateInput = { settings: s, labels, scriptsConfigMap: input.scriptsConfigMap, jobConfigMap: input.jobConfigMap, scratchGi: sizing.scratchGiPerExecutor };
  const deps = sparkPackages(s);
  const security = { podSecurityContext: podSecurityContext(SPARK_UID), securityContext: containerSecurityContext() };
  const manifest: SparkApplication = {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: {
      name: sparkApplicationName(job),
      namespace: s.namespace,
      labels,
      annotations: { 'lakebench.io/executors-over-ceiling': String(sizing.overCeiling) },
    },
    spec: {
      type: 'Python',
      mode: 'cluster',
      pythonVersion: '3',
      sparkVersion: sparkVersionOf(s.spark.image, s.spark.version),
      image: s.spark.image,
      imagePullPolicy: 'IfNotPresent',
      mainApplicationFile: `local://${SCRIPTS_DIR}/${input.script}`,
      arguments: input.arguments,
      sparkConf: sparkConf(s, sizing, scale),
      deps: { packages: deps.packages, ...(deps.excludePackages.length ? { excludePackages: deps.excludePackages } : {}) },
      restartPolicy: input.restartPolicy,
      driver: {
        cores: sizing.driverCores,
        coreRequest: cpuQuantity(sizing.driverCoreRequest),
        memory: `${sizing.driverMemoryGb}g`,
        memoryOverhead: `${sizing.driverOverheadGb}g`,
        serviceAccount: s.spark.serviceAccount,
        labels,
        ...security,
        template: driverTemplate(templateInput),
      },
      executor: {
        instances: sizing.executors,
        cores: sizing.executorCores,
        coreRequest: cpuQuantity(sizing.executorCoreRequest),
        memory: `${sizing.executorHeapGb}g`,
        memoryOverhead: `${sizing.executorOverheadGb}g`,
        deleteOnTermination: true,
        labels,
        ...security,
        template: executorTemplate(templateInput),
      },
    },
  };
  return manifest;
}
