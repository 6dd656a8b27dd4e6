// Every object a continuous run submits, built without a cluster: the scripts ConfigMap, per streaming
// job its document ConfigMap and SparkApplication, and the landing datagen's task ConfigMap and Job.
// `lakebench plan` prints them for a continuous config; the streaming run submits the same objects.
import type { LakebenchConfig } from '../../../config/schema.js';
import { clusterDatasetParams, DATA_PREFIX, datagenTask } from '../../../datagen/datagen-task.js';
import { landingIntervalMs } from '../../../datagen/landing.js';
import type { Manifest } from '../../../datagen/manifest.js';
import type { JobSizing } from '../../../model/sizing.js';
import type { StreamingJob } from '../../streaming.js';
import { clusterSettings, type ClusterSettings } from '../manifests/cluster-settings.js';
import { datagenJobManifest, TASK_DIR, WORK_DIR, type JobManifest } from '../manifests/datagen-job.js';
import { baseLabels, jobConfigMapName, runLabels } from '../manifests/labels.js';
import { checkSize, scriptsConfigMap, type ConfigMapManifest } from '../manifests/scripts-configmap.js';
import { sparkApplicationObject, type SparkApplication } from '../manifests/spark-application.js';
import { JOB_CONFIG_DIR, JOB_CONFIG_FILE } from '../manifests/spark-pod-templates.js';
import { landingTaskSchema, type LandingTask } from './cluster-landing.js';
import { landingEntriesPrefix, STREAMING_JOB_DEFINITIONS, STREAMING_RETRIES, STREAMING_RETRY_INTERVAL_S } from './streaming-jobs.js';
import { streamingJobDocument } from './streaming-job-document.js';
import { selfStopSeconds } from './streams-up.js';
import { declaredClusterCpu, streamingSizing, type ClusterCpu, type StreamingSizing } from './streaming-sizing.js';

export const LANDING_JOB_NAME = 'lakebench-landing';
/** A streaming driver's termination grace period: its clean stop's two minutes, plus writing the report. */
export const DRIVER_STOP_GRACE_S = 150;
/**
 * The driver's preStop hook. The kubelet's SIGTERM goes to the container's first process: tini, which
 * passes it to spark-submit's JVM only. The JVM's shutdown hook then stops the SparkContext under the
 * Python job, in the middle of its micro-batch, and the job's own clean stop (finish the batch, stop
 * the query, write the report with stopped_by "signal") never runs. So the hook signals the Python
 * process (the JVM's child, `python3` as PythonRunner starts it) first and holds the SIGTERM back
 * until it has exited. pkill and pgrep come with procps in Spark's image.
 */
export const PYTHON_CLEAN_STOP = ['/bin/sh', '-c', 'pkill -TERM -x python3 || exit 0; while pgrep -x python3 >/dev/null; do sleep 1; done'] as const;
export const LANDING_TASK_FILE = 'landing.json';
export const landingConfigMapName = (runId: string): string => `lakebench-landing-${runId}`;
// Spark 4.0.1's spark-submit takes its Ivy home from this property (SparkSubmitArguments.ivyRepoPath,
// read from config JAR_IVY_REPO_PATH; checked in the spark-core 4.0.1 jar).
const IVY_CACHE_CONF = 'spark.jars.ivy';
/** Each streaming job's own Ivy cache, under the batch jobs' /tmp/ivy (an emptyDir in the Spark pods). */
export const streamingIvyCache = (job: StreamingJob): string => `/tmp/ivy/${job}`;

export type StreamingObjects = {
  settings: ClusterSettings;
  scripts: ConfigMapManifest;
  jobs: { job: StreamingJob; document: ConfigMapManifest; app: SparkApplication; sizing: JobSizing }[];
  landingTask: ConfigMapManifest;
  landingJob: JobManifest;
  landing: LandingTask;
  sizing: StreamingSizing;
};

export type StreamingObjectsInput = {
  runId: string;
  /** The base set, in place before the run (its manifest in the bronze bucket). */
  manifest: Manifest;
  referenceDate: string;
  scale?: number;
  /** The cluster's CPU for the streaming budget; default the declared cluster.nodes. */
  cluster?: ClusterCpu;
};

/** Like the batch jobs, only the document's path: every streaming setting is in the document (streaming-job-document.ts). */
export const streamingArguments = (): string[] => ['--config', `${JOB_CONFIG_DIR}/${JOB_CONFIG_FILE}`];

export function streamingObjects(config: LakebenchConfig, input: StreamingObjectsInput): StreamingObjects {
  const s = clusterSettings(config);
  const scale = input.scale ?? config.scale;
  const sizing = streamingSizing(config, scale, input.cluster ?? declaredClusterCpu(config));
  const scripts = scriptsConfigMap(s.namespace, baseLabels(s.release, 'spark-scripts'));
  const c = config.continuous;
  const jobs = STREAMING_JOB_DEFINITIONS.map((def) => {
    const z = sizing.jobs.find((j) => j.job === def.job)!;
    const doc = streamingJobDocument(def, s, { config, scale, runId: input.runId, referenceDate: input.referenceDate, manifest: input.manifest, resources: { executors: z.executors, cores: z.executorCores } });
    const document = checkSize<ConfigMapManifest>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: jobConfigMapName(def.job, input.runId), namespace: s.namespace, labels: runLabels(s.release, input.runId, 'spark', def.job) },
      data: { [JOB_CONFIG_FILE]: JSON.stringify(doc) },
    });
    const app = sparkApplicationObject({
      settings: s,
      job: def.job,
      runId: input.runId,
      scale,
      sizing: z,
      script: def.script,
      arguments: streamingArguments(),
      restartPolicy: {
        type: 'OnFailure',
        onFailureRetries: STREAMING_RETRIES,
        onFailureRetryInterval: STREAMING_RETRY_INTERVAL_S,
        onSubmissionFailureRetries: STREAMING_RETRIES,
        onSubmissionFailureRetryInterval: STREAMING_RETRY_INTERVAL_S,
      },
      scriptsConfigMap: scripts.metadata.name,
      jobConfigMap: document.metadata.name,
    });
    // Stopped by deletion at the run's end, the driver lets its running micro-batch finish before it
    // writes its final report (up to two minutes, spark-scripts/lakebench_streaming.py): the pod's
    // grace period must outlast that, or the kubelet kills it after the default 30 s. Set in the pod
    // template, which Spark merges itself, so it holds without the operator's webhook.
    const driverSpec = app.spec.driver.template.spec;
    if (driverSpec) {
      driverSpec.terminationGracePeriodSeconds = DRIVER_STOP_GRACE_S;
      const driver = driverSpec.containers[0];
      if (driver) driver.lifecycle = { preStop: { exec: { command: [...PYTHON_CLEAN_STOP] } } };
    }
    // The three applications are submitted at once, and the operator's controller runs their
    // spark-submits side by side in one pod, each resolving the packages into spark.jars.ivy: in one
    // shared Ivy cache they overwrite each other's files (seen on the real node: "impossible to put
    // metadata file in cache", "Downloaded file size (0) doesn't match expected Content Length", every
    // submission failed and was retried). One cache per job keeps them apart, on the driver too.
    app.spec.sparkConf[IVY_CACHE_CONF] = streamingIvyCache(def.job);
    return { job: def.job, document, app, sizing: z };
  });

  const params = clusterDatasetParams(config, scale);
  const landing = landingTaskSchema.parse({
    landing_version: 1,
    datagen: datagenTask(input.runId, params, { ...s.storage, bucket: s.buckets.bronze }, s.runnerImage),
    first_index: input.manifest.totals.file_count,
    interval_ms: landingIntervalMs(c.landing, params.file_size_bytes),
    duration_seconds: selfStopSeconds(c),
    prefix: DATA_PREFIX,
    entries_prefix: landingEntriesPrefix(input.runId),
  });
  const labels = runLabels(s.release, input.runId, 'landing');
  const landingTask = checkSize<ConfigMapManifest>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: landingConfigMapName(input.runId), namespace: s.namespace, labels },
    data: { [LANDING_TASK_FILE]: JSON.stringify(landing) },
  });
  return { settings: s, scripts, jobs, landingTask, landingJob: landingJobManifest(s, landing, config), landing, sizing };
}

/**
 * The batch datagen Job's pod (image, security context, Secret-backed S3 environment, volumes) with
 * one pod running `lakebench datagen-land`. A pod the Job replaces starts landing again from the first
 * extra index: the files are deterministic, so it rewrites the same bytes under the same keys.
 */
function landingJobManifest(s: ClusterSettings, landing: LandingTask, config: LakebenchConfig): JobManifest {
  const job = datagenJobManifest({ settings: s, task: landing.datagen, pods: 1, pod: config.datagen.pod });
  const labels = runLabels(s.release, landing.datagen.run_id, 'landing');
  const pod = job.spec!.template.spec!;
  const container = pod.containers[0]!;
  return {
    ...job,
    metadata: { ...job.metadata, name: LANDING_JOB_NAME, labels },
    spec: {
      ...job.spec!,
      template: {
        metadata: { labels },
        spec: {
          ...pod,
          containers: [{ ...container, name: 'landing', args: ['datagen-land', '--task', `${TASK_DIR}/${LANDING_TASK_FILE}`, '--work-dir', WORK_DIR] }],
          volumes: (pod.volumes ?? []).map((v) => (v.name === 'task' ? { name: 'task', configMap: { name: landingConfigMapName(landing.datagen.run_id) } } : v)),
        },
      },
    },
  };
}
