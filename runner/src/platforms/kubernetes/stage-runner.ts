// One batch stage on the cluster: the scripts ConfigMap (content-addressed, reused), the stage's
// job-document ConfigMap, the SparkApplication (an existing one of the same name is deleted first,
// docs/pipeline.md §9.3), monitored by watch, then the stage's own metrics document read from S3; the
// two make the stage's result (stage-result.ts), with what the runner saw in the report's extras.
import type { V1ConfigMap } from '@kubernetes/client-node';
import type { KubeClient } from './client.js';
import { hasStatus } from './client.js';
import { deleteSparkApplication, monitorSparkApplication, SPARK_GROUP, SPARK_PLURAL, SPARK_VERSION, type SparkApplicationEnd } from './spark-monitor.js';
import { clusterStageResult } from './stage-result.js';
import { readJobReport } from '../../spark-jobs/read-report.js';
import { sparkJobConfigSchema } from '../../spark-jobs/job-config.js';
import { judgeSparkBronze } from '../../spark-jobs/bronze-judge.js';
import type { BatchStage, StageReport } from '../../model/stage-report.js';
import type { RunContext } from '../platform.js';
import { runPlan, type PlannedObject } from './manifests/plan.js';
import { RUN_ID_LABEL, jobConfigMapName, sparkApplicationName } from './manifests/labels.js';
import { JOB_CONFIG_FILE } from './manifests/spark-pod-templates.js';

export type StageRunOptions = { timeoutSeconds: number; signal?: AbortSignal; onSubmitted?: (app: string) => void; onEnded?: (app: string) => void };

const byName = (objects: PlannedObject[], kind: string, test: (name: string) => boolean) => objects.find((o) => o.kind === kind && test(o.metadata.name));

export async function runSparkStage(client: KubeClient, stage: BatchStage, ctx: RunContext, opts: StageRunOptions): Promise<StageReport> {
  const plan = runPlan(ctx.config, { runId: ctx.runId, manifest: ctx.manifest });
  const scripts = byName(plan.objects, 'ConfigMap', (n) => n.startsWith('lakebench-spark-scripts-'));
  const jobCm = byName(plan.objects, 'ConfigMap', (n) => n === jobConfigMapName(stage, ctx.runId));
  const app = byName(plan.objects, 'SparkApplication', (n) => n === sparkApplicationName(stage));
  if (!scripts || !jobCm || !app) throw new Error(`the run plan has no objects for ${stage}`);
  const job = sparkJobConfigSchema.parse(JSON.parse((jobCm as V1ConfigMap).data?.[JOB_CONFIG_FILE] ?? 'null'));

  await ensureConfigMap(client, scripts as V1ConfigMap, false);
  await ensureConfigMap(client, jobCm as V1ConfigMap, true);
  const name = app.metadata.name;
  if (await deleteSparkApplication(client, name)) ctx.log(`${stage}: deleted the previous SparkApplication ${name}`);
  await createApp(client, app, ctx.runId);
  opts.onSubmitted?.(name);
  const submitted = new Date();
  let end: SparkApplicationEnd;
  try {
    end = await monitorSparkApplication(client, { name, timeoutSeconds: opts.timeoutSeconds, signal: opts.signal, log: ctx.log });
  } finally {
    opts.onEnded?.(name);
  }
  const read = await readJobReport(job, end.driver_exit_code ?? (end.succeeded ? 0 : null));
  await deleteConfigMap(client, jobCm.metadata.name);
  // bronze-verify's gates are the runner's to judge, the same as in the embedded mode.
  const report = stage === 'bronze-verify' && read.extras.metrics_source !== 'runner-observed' ? judgeSparkBronze(read, ctx.manifest, ctx.config.quality.thresholds) : read;
  return clusterStageResult(report, end, submitted, new Date());
}

/** Creates a ConfigMap; an existing one is kept (content-addressed scripts) or replaced (a rerun's document). */
async function ensureConfigMap(client: KubeClient, cm: V1ConfigMap, replace: boolean): Promise<void> {
  const ns = client.namespace;
  const name = cm.metadata?.name ?? '';
  try {
    await client.call('configmap create', () => client.core.createNamespacedConfigMap({ namespace: ns, body: cm }));
  } catch (e) {
    if (!hasStatus(e, 409)) throw e;
    if (!replace) return;
    const current = await client.call('configmap get', () => client.core.readNamespacedConfigMap({ namespace: ns, name }));
    await client.call('configmap update', () => client.core.replaceNamespacedConfigMap({ namespace: ns, name, body: { ...cm, metadata: { ...cm.metadata, resourceVersion: current.metadata?.resourceVersion } } }));
  }
}

export async function deleteConfigMap(client: KubeClient, name: string): Promise<void> {
  try {
    await client.call('configmap delete', () => client.core.deleteNamespacedConfigMap({ namespace: client.namespace, name }));
  } catch (e) {
    if (!hasStatus(e, 404)) throw e;
  }
}

/** A create retried after a 5xx may have succeeded the first time: a 409 on our own object is success. */
async function createApp(client: KubeClient, app: PlannedObject, runId: string): Promise<void> {
  const ns = client.namespace;
  try {
    await client.call('sparkapplication create', () => client.custom.createNamespacedCustomObject({ group: SPARK_GROUP, version: SPARK_VERSION, namespace: ns, plural: SPARK_PLURAL, body: app }));
  } catch (e) {
    if (!hasStatus(e, 409)) throw e;
    const existing = (await client.call('sparkapplication get', () =>
      client.custom.getNamespacedCustomObject({ group: SPARK_GROUP, version: SPARK_VERSION, namespace: ns, plural: SPARK_PLURAL, name: app.metadata.name }),
    )) as { metadata?: { labels?: Record<string, string> } };
    if (existing.metadata?.labels?.[RUN_ID_LABEL] !== runId) throw e;
  }
}
