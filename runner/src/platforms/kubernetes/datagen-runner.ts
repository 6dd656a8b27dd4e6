// Datagen on the cluster: the task ConfigMap and the Indexed Job from the run plan, watched (not
// polled) until the Job completes or fails, then the manifest assembled from what the pods wrote.
import type { V1ConfigMap } from '@kubernetes/client-node';
import type { LakebenchConfig } from '../../config/schema.js';
import type { Manifest } from '../../datagen/manifest.js';
import type { DatagenProgress } from '../../datagen/generate-dataset.js';
import { datagenTaskSchema } from '../../datagen/datagen-task.js';
import { finalizeBronze, prepareBronze } from '../../datagen/bronze-finalize.js';
import { newRunId } from '../../model/run-id.js';
import type { KubeClient } from './client.js';
import { hasStatus } from './client.js';
import { watchUntil } from './watch.js';
import { jobSchema, listed, safe, type Job } from './objects.js';
import { runPlan } from './manifests/plan.js';
import { DATAGEN_JOB_NAME, datagenTaskConfigMapName } from './manifests/labels.js';
import { TASK_FILE, type JobManifest } from './manifests/datagen-job.js';
import { deleteConfigMap } from './stage-runner.js';

/** `runId`: the run this datagen belongs to (its Job's labels carry it); a standalone `generate` gets a fresh one. */
export type DatagenRunOptions = { runId?: string; timeoutSeconds: number; log: (line: string) => void; onProgress: (p: DatagenProgress) => void; signal?: AbortSignal };

const condition = (job: Job, type: string) => job.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;

export async function runDatagenJob(client: KubeClient, config: LakebenchConfig, opts: DatagenRunOptions): Promise<Manifest> {
  const ns = client.namespace;
  const runId = opts.runId ?? newRunId();
  const plan = runPlan(config, { runId });
  const cm = plan.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === datagenTaskConfigMapName(runId)) as V1ConfigMap | undefined;
  const job = plan.objects.find((o) => o.kind === 'Job') as JobManifest | undefined;
  if (!cm || !job) throw new Error('the run plan has no datagen Job');
  const task = datagenTaskSchema.parse(JSON.parse(cm.data?.[TASK_FILE] ?? 'null'));
  const total = job.spec?.completions ?? 1;

  const { removed } = await prepareBronze(task);
  if (removed > 0) opts.log(`datagen: removed ${removed} leftover objects from bronze`);
  await deleteJob(client);
  await client.call('configmap create', () => client.core.createNamespacedConfigMap({ namespace: ns, body: cm }));
  await client.call('job create', () => client.batch.createNamespacedJob({ namespace: ns, body: job }));
  opts.log(`datagen: Indexed Job ${DATAGEN_JOB_NAME} with ${total} pods for ${task.dataset.file_count} files`);

  let last: Job | undefined;
  let reported = -1;
  const signal = AbortSignal.any([AbortSignal.timeout(opts.timeoutSeconds * 1000), ...(opts.signal ? [opts.signal] : [])]);
  try {
    await watchUntil<Job>(client, {
      what: 'job',
      path: `/apis/batch/v1/namespaces/${ns}/jobs`,
      fieldSelector: `metadata.name=${DATAGEN_JOB_NAME}`,
      list: async () => listed(await client.batch.listNamespacedJob({ namespace: ns, fieldSelector: `metadata.name=${DATAGEN_JOB_NAME}` })),
      parse: safe(jobSchema),
      onObject: (type, j) => {
        if (type === 'DELETED') throw new Error(`the datagen Job ${DATAGEN_JOB_NAME} was deleted while running`);
        last = j;
        const done = j.status?.succeeded ?? 0;
        if (done !== reported) opts.onProgress({ done: (reported = done), total, skipped: 0, bytes: 0, index: done });
        return condition(j, 'Complete') || condition(j, 'Failed');
      },
      signal,
      log: opts.log,
    });
  } catch (e) {
    if (signal.aborted) {
      await deleteJob(client);
      throw new Error(`datagen did not finish in ${opts.timeoutSeconds} s; the Job was deleted`);
    }
    throw e;
  }
  if (!last || condition(last, 'Failed')) {
    const c = last?.status?.conditions?.find((x) => x.type === 'Failed');
    throw new Error(`the datagen Job failed: ${c?.reason ?? '?'} ${c?.message ?? ''} (failed indexes: ${last?.status?.failedIndexes ?? '?'})`.trim());
  }
  const manifest = await finalizeBronze(task);
  await deleteConfigMap(client, cm.metadata?.name ?? '');
  return manifest;
}

async function deleteJob(client: KubeClient): Promise<void> {
  try {
    await client.call('job delete', () => client.batch.deleteNamespacedJob({ namespace: client.namespace, name: DATAGEN_JOB_NAME, propagationPolicy: 'Background' }));
  } catch (e) {
    if (!hasStatus(e, 404)) throw e;
    return;
  }
  await watchUntil<Job>(client, {
    what: 'job',
    path: `/apis/batch/v1/namespaces/${client.namespace}/jobs`,
    fieldSelector: `metadata.name=${DATAGEN_JOB_NAME}`,
    list: async () => listed(await client.batch.listNamespacedJob({ namespace: client.namespace, fieldSelector: `metadata.name=${DATAGEN_JOB_NAME}` })),
    parse: safe(jobSchema),
    onListed: (items) => items.length === 0,
    onObject: (type) => type === 'DELETED',
    signal: AbortSignal.timeout(120_000),
  });
}
