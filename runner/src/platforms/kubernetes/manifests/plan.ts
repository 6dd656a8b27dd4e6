// Every object a batch run submits, built without a cluster: the scripts ConfigMap, one job-document
// ConfigMap per stage, the datagen task ConfigMap and Indexed Job, and the three SparkApplications,
// with the sizing they were built from. `lakebench plan` prints it; the kubernetes platform submits
// the same objects (with the real datagen manifest instead of the projected one). The stage documents
// point at the datagen manifest in the bronze bucket and carry only its totals and fingerprint, so
// they are the same few kilobytes at every scale.
import { stringify } from 'yaml';
import type { LakebenchConfig } from '../../../config/schema.js';
import { clusterDatasetParams, datagenTask } from '../../../datagen/datagen-task.js';
import type { Manifest } from '../../../datagen/manifest.js';
import { alwaysOnFor, requirement, type Requirement } from '../../../model/sizing.js';
import { sizingOptions } from '../../../model/sizing-options.js';
import { BATCH_STAGES, type BatchStage } from '../../../model/stage-report.js';
import { bronzeManifestUri, buildSparkJobConfig } from '../../../spark-jobs/job-config.js';
import { clusterSettings, type ClusterSettings } from './cluster-settings.js';
import { datagenJobManifest, datagenTaskConfigMap, type JobManifest } from './datagen-job.js';
import { jobConfigConfigMap } from './job-config-configmap.js';
import { baseLabels } from './labels.js';
import { PROJECTED, projectedManifest } from './projected-manifest.js';
import { scriptsConfigMap, type ConfigMapManifest } from './scripts-configmap.js';
import { sparkApplicationManifest, stageSizing, type SparkApplication } from './spark-application.js';
import { DEFAULT_ENGINE, requirementLines, stageLines } from './sizing-table.js';

export type PlannedObject = ConfigMapManifest | JobManifest | SparkApplication;

export type Plan = {
  settings: ClusterSettings;
  scale: number;
  runId: string;
  /** False when the stage documents carry projected manifest totals (no manifest given). */
  realManifest: boolean;
  objects: PlannedObject[];
  requirement: Requirement;
};

export type PlanOptions = { scale?: number; runId: string; manifest?: Manifest };


/** Where a stage writes its report: the results bucket when there is one, else beside bronze. */
export function stageMetricsUri(config: LakebenchConfig, s: ClusterSettings, runId: string, stage: BatchStage): string {
  const r = config.results.bucket;
  if (!r) return `s3a://${s.buckets.bronze}/_lakebench/runs/${runId}/stages/${stage}.json`;
  const prefix = r.prefix.replace(/^\/+|\/+$/g, '');
  return `s3a://${r.bucket}/${prefix ? `${prefix}/` : ''}runs/${runId}/stages/${stage}.json`;
}

export function runPlan(config: LakebenchConfig, opts: PlanOptions): Plan {
  const s = clusterSettings(config);
  const scale = opts.scale ?? config.scale;
  const scaled: LakebenchConfig = { ...config, scale };
  const params = clusterDatasetParams(config, scale);
  const manifest = opts.manifest ?? projectedManifest(params);
  const engine = config.cluster?.queryEngine ?? DEFAULT_ENGINE;
  const req = requirement(scale, alwaysOnFor(engine), sizingOptions(config));
  const pods = req.datagen.pods;
  const task = datagenTask(opts.runId, params, { ...s.storage, bucket: s.buckets.bronze }, s.runnerImage);
  const scripts = scriptsConfigMap(s.namespace, baseLabels(s.release, 'spark-scripts'));
  const referenceDate = config.asOfDate?.slice(0, 10) ?? manifest.totals.event_date_max;

  const stageObjects = BATCH_STAGES.map((stage) => {
    const sizing = stageSizing(s, stage, scale);
    const doc = buildSparkJobConfig(stage, { config: scaled, runId: opts.runId, referenceDate, manifest }, {
      storage: { endpoint: s.storage.endpoint, region: s.storage.region, path_style: s.storage.pathStyle },
      buckets: s.buckets,
      catalog: s.catalog,
      tableFormat: s.tableFormat,
      metricsUri: stageMetricsUri(config, s, opts.runId, stage),
      manifestUri: bronzeManifestUri(s.buckets.bronze),
      resources: { executors: sizing.executors, cores: sizing.executorCores },
    });
    const cm = jobConfigConfigMap(s.namespace, s.release, doc);
    if (!opts.manifest) cm.metadata.annotations = { 'lakebench.io/bronze-manifest': PROJECTED };
    const { manifest: spark } = sparkApplicationManifest({ settings: s, job: stage, runId: opts.runId, scale, scriptsConfigMap: scripts.metadata.name, jobConfigMap: cm.metadata.name });
    return { cm, spark };
  });

  return {
    settings: s,
    scale,
    runId: opts.runId,
    realManifest: Boolean(opts.manifest),
    objects: [
      scripts,
      ...stageObjects.map((o) => o.cm),
      datagenTaskConfigMap(s, task),
      datagenJobManifest({ settings: s, task, pods, pod: config.datagen.pod }),
      ...stageObjects.map((o) => o.spark),
    ],
    requirement: req,
  };
}

/** Multi-document YAML, the sizing table as leading comments so the output can go to kubectl as is. */
export function planYaml(plan: Plan): string {
  const header = [
    `lakebench plan: scale ${plan.scale}, run ${plan.runId}, namespace ${plan.settings.namespace}`,
    ...(plan.realManifest ? [] : ['stage documents carry projected manifest totals (sizes nominal, fingerprint "projected", which a job refuses); a run uses the datagen manifest']),
    '',
    ...stageLines(plan.requirement),
    '',
    ...requirementLines(plan.requirement),
  ].map((l) => (l ? `# ${l}` : '#'));
  const docs = plan.objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }).trimEnd());
  return `${header.join('\n')}\n---\n${docs.join('\n---\n')}\n`;
}
