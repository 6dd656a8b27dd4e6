// The KubernetesPlatform end to end through the real orchestrator (runBatch): datagen as an Indexed
// Job (the real Job controller creates the pods; the test plays the kubelet by running the real
// datagen worker code for each pod's index in-process, against MinIO, then reporting the pod
// Succeeded), and the three stages as SparkApplications (the test plays the Spark Operator and the
// Spark job: status transitions, driver pod times, and the stage's metrics document written to
// MinIO where the job document says). Then an interruption: SIGTERM handling deletes the running
// application, marks run.json incomplete in the bucket and locally, and releases the Lease.
import { CoordinationV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Operator } from './runtime-env.js';
import { useMinio, useRuntimeEnv } from './fixtures/suite-servers.js';
import { configSchema, type LakebenchConfig } from '../../runner/src/config/schema.js';
import { KubernetesPlatform } from '../../runner/src/platforms/kubernetes/kubernetes-platform.js';
import { runBatch } from '../../runner/src/pipeline/run-batch.js';
import { BATCH_STAGES, stageReport, type BatchStage } from '../../runner/src/model/stage-report.js';
import { LocalStore } from '../../runner/src/storage/local-store.js';
import { S3Store } from '../../runner/src/storage/s3-store.js';
import { runDatagenWorker } from '../../runner/src/datagen/upload-worker.js';
import { datagenTaskSchema, MANIFEST_KEY } from '../../runner/src/datagen/datagen-task.js';
import { manifestSchema, type Manifest } from '../../runner/src/datagen/manifest.js';
import { BRONZE_COLUMNS } from '../../runner/src/datagen/columns.js';
import { SPARK_BRONZE_TYPES } from '../../runner/src/spark-jobs/bronze-judge.js';
import { sparkJobConfigSchema } from '../../runner/src/spark-jobs/job-config.js';
import { jobConfigMapName, RUN_ID_LABEL } from '../../runner/src/platforms/kubernetes/manifests/labels.js';
import { TASK_FILE } from '../../runner/src/platforms/kubernetes/manifests/datagen-job.js';
import { JOB_CONFIG_FILE } from '../../runner/src/platforms/kubernetes/manifests/spark-pod-templates.js';
import { RunLease, LEASE_NAME } from '../../runner/src/platforms/kubernetes/lease.js';
import { RunGuard, markStaleRuns } from '../../runner/src/platforms/kubernetes/run-guard.js';
import { runRecordSchema, writeRunRecord } from '../../runner/src/storage/results.js';
import type { Progress } from '../../runner/src/pipeline/progress.js';

const NS = 'lakebench';
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quiet: Progress = { line: () => {}, datagen: () => {}, stage: () => ({ done: () => {} }), query: () => {} };

const { minio, s3 } = useMinio(['lakebench-bronze', 'lakebench-silver', 'lakebench-gold', 'lakebench-results']);
const env = useRuntimeEnv({ controllers: ['job', 'serviceaccount'], noOpenWatches: true });

function configFor(output: string): LakebenchConfig {
  return configSchema.parse({
    scale: 0.01,
    seed: 11,
    platform: 'kubernetes',
    output,
    datagen: { fileSizeMb: 16, parallelism: 2, workers: 1 },
    results: { bucket: { endpoint: minio.endpoint, bucket: 'lakebench-results' } },
    cluster: { namespace: NS, release: 'lakebench', storage: { endpoint: minio.endpoint }, catalog: { type: 'hive', uri: 'thrift://hive-metastore:9083' } },
  });
}

/** The run ids the datagen pods were labelled with. */
const datagenRunIds = new Set<string>();

/** The kubelet for the datagen Job: each pod's real worker code, then phase Succeeded. */
async function playDatagenPods(done: () => boolean): Promise<number> {
  const core = env.admin.makeApiClient(CoreV1Api);
  const finished = new Set<string>();
  while (!done()) {
    const pods = (await core.listNamespacedPod({ namespace: NS, labelSelector: 'job-name=lakebench-datagen' })).items;
    for (const pod of pods) {
      const name = pod.metadata?.name ?? '';
      if (finished.has(name)) continue;
      const runId = pod.metadata?.labels?.[RUN_ID_LABEL] ?? '';
      datagenRunIds.add(runId);
      const cm = await core.readNamespacedConfigMap({ namespace: NS, name: `lakebench-datagen-${runId}` });
      const task = datagenTaskSchema.parse(JSON.parse(cm.data?.[TASK_FILE] ?? 'null'));
      const index = Number(pod.metadata?.annotations?.['batch.kubernetes.io/job-completion-index']);
      await runDatagenWorker(task, { index, pods: 2 });
      await core.patchNamespacedPodStatus({ namespace: NS, name, body: { status: { phase: 'Succeeded' } } }, merge);
      finished.add(name);
    }
    await sleep(200);
  }
  return finished.size;
}

async function bronzeManifest(): Promise<Manifest> {
  const res = await s3.send(new GetObjectCommand({ Bucket: 'lakebench-bronze', Key: MANIFEST_KEY }));
  return manifestSchema.parse(JSON.parse((await res.Body?.transformToString()) ?? 'null'));
}

/** What a Spark job writes about itself (docs/results.md §3.4); bronze-verify's raw observations. */
function jobReport(stage: BatchStage, runId: string, m: Manifest) {
  const extras: Record<string, unknown> = {};
  if (stage === 'bronze-verify') {
    extras.observations = {
      objects: m.files.length, unexpected: [], unexpected_count: 0, size_mismatch: [], size_mismatch_count: 0, missing: [], missing_count: 0,
      schema: BRONZE_COLUMNS.map((c) => ({ name: c.name, type: SPARK_BRONZE_TYPES[c.type] })),
      counts: {
        rows: m.totals.total_rows, not_null_violations: 0, structural_violations: 0, domain_violations: 0, payload_violations: 0,
        email_malformed: 0, phone_unnormalizable: 0, duplicate_suspected: m.aggregates.rows_by_data_quality_flag.duplicate_suspected ?? 0,
        event_ts_min: `${m.totals.event_date_min}T00:00:00Z`, event_ts_max: `${m.totals.event_date_max}T00:00:00Z`,
      },
    };
  }
  return stageReport(stage, runId, 'spark', new Date('2026-01-01T00:00:30Z'), { end_time: '2026-01-01T00:02:50Z', engine_elapsed_seconds: 140, input_rows: m.totals.total_rows, input_bytes: m.totals.total_bytes, extras });
}

/** The Spark Operator and the Spark job for one stage. */
async function playStage(op: Operator, stage: BatchStage, opts: { writeReport: boolean; finish: boolean }): Promise<void> {
  const app = `lakebench-${stage}`;
  await op.waitForApp(app, 120_000);
  const runId = await op.appLabel(app, RUN_ID_LABEL);
  const cm = await env.admin.makeApiClient(CoreV1Api).readNamespacedConfigMap({ namespace: NS, name: jobConfigMapName(stage, runId) });
  const job = sparkJobConfigSchema.parse(JSON.parse(cm.data?.[JOB_CONFIG_FILE] ?? 'null'));
  await op.setState(app, 'SUBMITTED');
  const driver = await op.createPod(app, 'driver');
  await op.podRunning(driver, '2026-01-01T00:00:20Z');
  await op.setState(app, 'RUNNING');
  if (!opts.finish) return;
  if (opts.writeReport) {
    const [, bucket, key] = /^s3a:\/\/([^/]+)\/(.+)$/.exec(job.metrics_uri)!;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(jobReport(stage, runId, await bronzeManifest())) }));
  }
  await op.podTerminated(driver, { startedAt: '2026-01-01T00:00:20Z', finishedAt: '2026-01-01T00:03:20Z', exitCode: 0, reason: 'Completed' });
  await op.setState(app, 'COMPLETED');
}

describe('kubernetes platform', () => {
  it('runs datagen (Indexed Job) and all three stages through runBatch, with driver-container stage times', async () => {
    const { client, op } = await env.namespace(NS);
    const output = mkdtempSync(path.join(os.tmpdir(), 'lakebench-k8s-run-'));
    const config = configFor(output);
    const platform = new KubernetesPlatform(client, config, { timeoutSeconds: 600 });
    let ended = false;
    const kubelet = playDatagenPods(() => ended);
    const operator = (async () => {
      for (const stage of BATCH_STAGES) await playStage(op, stage, { writeReport: true, finish: true });
    })();
    const local = new LocalStore(output);
    const remote = new S3Store(config.results.bucket!);
    let result;
    try {
      result = await runBatch({ config, platform, local, remote, options: { stages: BATCH_STAGES, benchmark: false, generate: true, generateIfMissing: true, timeoutSeconds: 600 }, progress: quiet });
    } finally {
      ended = true;
    }
    expect(await kubelet).toBe(2);
    await operator;
    const m = result.metrics;
    // The datagen Job belongs to this run: its pods carry the run's id, not one of their own.
    expect([...datagenRunIds]).toEqual([m.run_id]);
    expect(m.stages.map((s) => [s.name, s.status])).toEqual([['datagen', 'succeeded'], ['bronze-verify', 'succeeded'], ['silver-build', 'succeeded'], ['gold-finalize', 'succeeded']]);
    const silver = m.stages.find((s) => s.name === 'silver-build')!;
    // From the driver container's start to its termination, not the job's nor the runner's clock.
    expect(silver.start_time).toBe('2026-01-01T00:00:20Z');
    expect(silver.elapsed_seconds).toBe(180);
    expect((silver.extras.kubernetes as { driver_pod: string }).driver_pod).toBe('lakebench-silver-build-driver');
    expect(m.stages.find((s) => s.name === 'bronze-verify')!.validation).not.toBeNull();
    expect(['PASSED', 'WARNING']).toContain(m.verdict.status);
    // metrics.json and the run record landed in the results bucket.
    const run = await remote.get(`runs/${m.run_id}/run.json`);
    expect(runRecordSchema.parse(JSON.parse(run!)).state).toBe('complete');
    expect(await remote.get(`index/runs/${m.run_id}.json`)).toBeDefined();
  });

  it('a stage whose job left no metrics document fails as runner-observed', async () => {
    const { client, op } = await env.clientFor(NS);
    const output = mkdtempSync(path.join(os.tmpdir(), 'lakebench-k8s-nodoc-'));
    const config = configFor(output);
    const platform = new KubernetesPlatform(client, config, { timeoutSeconds: 600 });
    const operator = playStage(op, 'gold-finalize', { writeReport: false, finish: true });
    const from = env.proxy.requests.length;
    const result = await runBatch({ config, platform, local: new LocalStore(output), options: { stages: ['gold-finalize'], benchmark: false, generate: false, generateIfMissing: false, timeoutSeconds: 600 }, progress: quiet });
    await operator;
    const requests = env.proxy.requests.slice(from);
    console.info(`API requests for one whole stage through runBatch: ${requests.length} (${requests.map((r) => `${r.method} ${r.path.split('?')[0]!.split('/').slice(-2).join('/')}${r.watch ? ' (watch)' : ''}`).join(', ')})`);
    // ConfigMaps, delete-then-create of the app, list+watch of app and pods, a driver read, the version.
    expect(requests.length).toBeLessThanOrEqual(14);
    const gold = result.metrics.stages.find((s) => s.name === 'gold-finalize')!;
    expect(gold.status).toBe('failed');
    expect(gold.error?.reason).toBe('STAGE_NO_METRICS');
    expect(gold.extras.metrics_source).toBe('runner-observed');
    expect(result.metrics.verdict.status).toBe('FAILED');
  });

  it('interruption: deletes the running application, marks run.json incomplete everywhere, releases the Lease; a later runner marks a dead run incomplete', async () => {
    const { client, op } = await env.clientFor(NS);
    const output = mkdtempSync(path.join(os.tmpdir(), 'lakebench-k8s-int-'));
    const config = configFor(output);
    const platform = new KubernetesPlatform(client, config, { timeoutSeconds: 600 });
    const lease = new RunLease(client, { holder: 'runner-pod-1' });
    await lease.acquire();
    const local = new LocalStore(output);
    const remote = new S3Store(config.results.bucket!);
    const guard = new RunGuard({ stores: [local, remote], stopWork: () => platform.stopRunning(), release: () => lease.release(), log: () => {}, heartbeatSeconds: 0.2 });
    const record = { run_id: '20260101-000000-abcdef', state: 'running' as const, started_at: new Date().toISOString(), heartbeat_at: new Date().toISOString(), ended_at: null, reason: null };
    await writeRunRecord(remote, record);
    guard.started(record);
    const manifest = await bronzeManifest();
    const stage = platform.runStage('silver-build', { config, runId: record.run_id, referenceDate: manifest.totals.event_date_max, manifest, log: () => {} }).catch((e: unknown) => e);
    await playStage(op, 'silver-build', { writeReport: false, finish: false });
    // A heartbeat (every 0.2 s here) reaches the bucket's run.json: awaited with a deadline, not a fixed sleep.
    const beatDeadline = Date.now() + 30_000;
    let beat = runRecordSchema.parse(JSON.parse((await remote.get(`runs/${record.run_id}/run.json`))!));
    while (Date.parse(beat.heartbeat_at) <= Date.parse(record.heartbeat_at)) {
      if (Date.now() > beatDeadline) throw new Error(`no heartbeat reached run.json within 30 s (heartbeat_at still ${beat.heartbeat_at})`);
      await sleep(50);
      beat = runRecordSchema.parse(JSON.parse((await remote.get(`runs/${record.run_id}/run.json`))!));
    }
    expect(beat.state).toBe('running');

    await guard.interrupt('interrupted by SIGTERM');
    expect(await op.appExists('lakebench-silver-build')).toBe(false);
    for (const store of [local, remote]) {
      const r = runRecordSchema.parse(JSON.parse((await store.get(`runs/${record.run_id}/run.json`))!));
      expect(r).toMatchObject({ state: 'incomplete', reason: 'interrupted by SIGTERM' });
    }
    const held = await env.admin.makeApiClient(CoordinationV1Api).readNamespacedLease({ namespace: NS, name: LEASE_NAME });
    expect(held.spec?.holderIdentity).toBeUndefined();
    expect(await stage).toBeInstanceOf(Error);

    // A runner killed without a word (no SIGTERM handler ran): its record says running, heartbeat old.
    const dead = { ...record, run_id: '20260101-000001-badbad', heartbeat_at: new Date(Date.now() - 3600_000).toISOString() };
    const alive = { ...record, run_id: '20260101-000002-c0ffee', heartbeat_at: new Date().toISOString() };
    await writeRunRecord(remote, dead);
    await writeRunRecord(remote, alive);
    expect(await markStaleRuns(remote, { by: 'run 20260101-010000-000000' })).toEqual([dead.run_id]);
    const marked = runRecordSchema.parse(JSON.parse((await remote.get(`runs/${dead.run_id}/run.json`))!));
    expect(marked.state).toBe('incomplete');
    expect(marked.reason).toContain('no heartbeat since');
    expect(runRecordSchema.parse(JSON.parse((await remote.get(`runs/${alive.run_id}/run.json`))!)).state).toBe('running');
  });
});
