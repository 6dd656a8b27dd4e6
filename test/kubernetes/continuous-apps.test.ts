// Continuous mode on the kubernetes platform against the real kube-apiserver (with the Spark Operator
// v2.5.2 CRDs), acting under the chart's runner Role through the fault proxy, and a real MinIO. The
// test plays the Spark Operator (status of the applications, as the operator writes it), the streaming
// jobs (their reports, written where the job document says) and the kubelet of the landing pod (the
// pod's own code, `runClusterLanding`, run in-process against MinIO with the task the runner put in
// its ConfigMap). The job documents are also parsed by the PySpark jobs' own parser. `lakebench
// cleanup` after a killed runner is run here too, with its query engine unreachable.
import { CoreV1Api, BatchV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useMinio, useRuntimeEnv } from './fixtures/suite-servers.js';
import { configSchema, type LakebenchConfig } from '../../runner/src/config/schema.js';
import { clusterDatasetParams, dataKey } from '../../runner/src/datagen/datagen-task.js';
import { manifestEntryName } from '../../runner/src/datagen/dataset.js';
import { projectedManifest } from '../../runner/src/platforms/kubernetes/manifests/projected-manifest.js';
import { KubernetesPlatform } from '../../runner/src/platforms/kubernetes/kubernetes-platform.js';
import { cleanup } from '../../runner/src/platforms/kubernetes/cleanup.js';
import { clusterSettings } from '../../runner/src/platforms/kubernetes/manifests/cluster-settings.js';
import type { SparkApplication } from '../../runner/src/platforms/kubernetes/manifests/spark-application.js';
import { landingTaskSchema, runClusterLanding } from '../../runner/src/platforms/kubernetes/streaming/cluster-landing.js';
import type { KubernetesStreamingRun } from '../../runner/src/platforms/kubernetes/streaming/kubernetes-streaming-run.js';
import { DRIVER_STOP_GRACE_S, LANDING_JOB_NAME, LANDING_TASK_FILE, landingConfigMapName, PYTHON_CLEAN_STOP, streamingObjects } from '../../runner/src/platforms/kubernetes/streaming/streaming-plan.js';
import { STREAMS_UP_TIMEOUT_S, StreamsNotUpError } from '../../runner/src/platforms/kubernetes/streaming/streams-up.js';
import { STREAMING_RETRIES, STREAMING_RETRY_INTERVAL_S } from '../../runner/src/platforms/kubernetes/streaming/streaming-jobs.js';
import { STREAMING_JOBS, type StreamingJob, type StreamingPlan, type StreamingRun } from '../../runner/src/platforms/streaming.js';

const NS = 'lakebench';
const RUN = '20261203-140000-c0ffee';
const group = 'sparkoperator.k8s.io';
const version = 'v1beta2';
const plural = 'sparkapplications';
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SCRIPTS = path.resolve(__dirname, '../../spark-scripts');

const { minio, s3 } = useMinio(['lakebench-bronze', 'lakebench-silver', 'lakebench-gold']);
const env = useRuntimeEnv({ noOpenWatches: true });
/** The run a test opened: a failed test still closes its watch before the open-watch check (vitest runs after-hooks last registered first). */
let current: KubernetesStreamingRun | undefined;
afterEach(async () => {
  await current?.abort();
  current = undefined;
});

function configFor(): LakebenchConfig {
  return configSchema.parse({
    scale: 0.01,
    seed: 13,
    platform: 'kubernetes',
    pipeline: { mode: 'continuous' },
    datagen: { fileSizeMb: 1 },
    continuous: { durationSeconds: 90, landing: { filesPerMinute: 60 }, triggers: { bronzeSeconds: 5, silverSeconds: 10, goldRefreshSeconds: 20 }, maxFilesPerTrigger: 3, checkpointBase: 'ckpt' },
    cluster: {
      namespace: NS,
      release: 'lakebench',
      storage: { endpoint: minio.endpoint },
      catalog: { type: 'hive', uri: 'thrift://hive-metastore:9083' },
      // Nothing listens here: the table probe fails, and observe() must carry on without it.
      queryEngine: { type: 'trino', endpoint: 'http://127.0.0.1:9', workers: 1, workerCpu: 1, workerMemoryGb: 2 },
    },
  });
}

function planFor(config: LakebenchConfig, log: string[]): StreamingPlan {
  const base = projectedManifest(clusterDatasetParams(config));
  return { config, continuous: config.continuous, runId: RUN, referenceDate: base.totals.event_date_max, base, log: (l) => log.push(l) };
}

const custom = () => env.admin.makeApiClient(CustomObjectsApi);
const core = () => env.admin.makeApiClient(CoreV1Api);
const appName = (job: StreamingJob) => `lakebench-${job}`;

async function readApp(name: string): Promise<SparkApplication> {
  return (await custom().getNamespacedCustomObject({ group, version, namespace: NS, plural, name })) as SparkApplication;
}

/** What the operator writes: the state and its count of runs. */
async function operatorStatus(job: StreamingJob, state: string, executionAttempts: number, errorMessage?: string): Promise<void> {
  await custom().patchNamespacedCustomObjectStatus(
    { group, version, namespace: NS, plural, name: appName(job), body: { status: { applicationState: { state, ...(errorMessage ? { errorMessage } : {}) }, driverInfo: {}, executionAttempts, submissionAttempts: executionAttempts } } },
    merge,
  );
}

/** What a streaming job leaves next to its checkpoint (the contract's job report). */
async function jobReport(bucket: string, job: StreamingJob, batches: number, stoppedBy: string | null, lastBatchRows?: number): Promise<void> {
  const rows = Array.from({ length: batches }, (_, i) => 100 * (i + 1));
  if (lastBatchRows !== undefined) rows.push(lastBatchRows);
  const report = {
    job,
    run_id: RUN,
    batches: rows.map((n, i) => ({ batch_id: i, started_at: `2026-12-03T14:00:0${i}Z`, committed_at: `2026-12-03T14:00:1${i}Z`, rows: n })),
    stopped_by: stoppedBy,
  };
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `ckpt/${RUN}/${job}/report.json`, Body: JSON.stringify(report) }));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting ${what}`);
    await sleep(100);
  }
}

async function exists(bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}

async function openRun(log: string[]): Promise<{ run: StreamingRun; platform: KubernetesPlatform; config: LakebenchConfig }> {
  const { client } = await env.clientFor(NS);
  const config = configFor();
  const platform = new KubernetesPlatform(client, config, { timeoutSeconds: 600 });
  platform.checkContinuous(config);
  const run = await platform.openStreaming(planFor(config, log));
  current = run as KubernetesStreamingRun;
  return { run, platform, config };
}

const WRITER: Record<StreamingJob, string> = { 'bronze-ingest': 'lakebench-bronze', 'silver-stream': 'lakebench-silver', 'gold-refresh': 'lakebench-gold' };

/**
 * start() while the jobs come up: it returns only once each job wrote this run's report (streams-up.ts),
 * as a driver does once its session exists; here each first report is written once its application exists.
 */
async function startAndComeUp(run: StreamingRun): Promise<void> {
  const started = run.start();
  for (const job of STREAMING_JOBS) {
    await until(`for ${job}'s application`, async () => ((await readApp(appName(job)).catch(() => undefined)) ? true : undefined), 60_000);
    await jobReport(WRITER[job], job, 0, null);
  }
  await started;
}

describe('continuous mode on the kubernetes platform', () => {
  beforeAll(async () => {
    await env.namespace(NS);
  });

  it('submits the landing Job and three streaming SparkApplications the API server accepts, with their documents, checkpoints and restart policy', async () => {
    const log: string[] = [];
    const { run, platform, config } = await openRun(log);
    await startAndComeUp(run);
    expect([...platform.running].sort()).toEqual(STREAMING_JOBS.map(appName).sort());
    // Read back field for field: the API server's CRD schema pruned nothing the runner sent.
    const plan = planFor(config, []);
    const sent = streamingObjects(config, { runId: RUN, manifest: plan.base, referenceDate: plan.referenceDate });
    for (const j of sent.jobs) expect((await readApp(j.app.metadata.name)).spec).toEqual(JSON.parse(JSON.stringify(j.app.spec)));

    const scripts = { 'bronze-ingest': 'bronze_ingest.py', 'silver-stream': 'silver_stream.py', 'gold-refresh': 'gold_refresh.py' };
    const writer = { 'bronze-ingest': 'lakebench-bronze', 'silver-stream': 'lakebench-silver', 'gold-refresh': 'lakebench-gold' };
    const docsDir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-streaming-docs-'));
    for (const job of STREAMING_JOBS) {
      const app = await readApp(appName(job));
      expect(app.metadata.labels['lakebench.io/run-id']).toBe(RUN);
      expect(app.spec.mainApplicationFile).toBe(`local:///opt/spark/scripts/${scripts[job]}`);
      expect(app.spec.arguments).toEqual(['--config', '/etc/lakebench/job/job.json']);
      // Restarts on failure, a bounded number of times, so the runner can see one the operator gave up on.
      expect(app.spec.restartPolicy).toEqual({ type: 'OnFailure', onFailureRetries: STREAMING_RETRIES, onFailureRetryInterval: STREAMING_RETRY_INTERVAL_S, onSubmissionFailureRetries: STREAMING_RETRIES, onSubmissionFailureRetryInterval: STREAMING_RETRY_INTERVAL_S });
      // The batch jobs' security context, packages (Hive 4 client on Spark 4 with the Hive catalog) and pod templates.
      expect(app.spec.driver.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(app.spec.deps.packages).toContain('org.apache.hive:hive-standalone-metastore-common:4.0.1');
      expect(app.spec.sparkConf['spark.driver.userClassPathFirst']).toBe('true');
      // The driver's clean stop (its running batch, then the report) outlasts the default 30 s grace period.
      expect(app.spec.driver.template.spec?.terminationGracePeriodSeconds).toBe(DRIVER_STOP_GRACE_S);
      // …and is the Python job's own: the preStop hook signals it before the kubelet's SIGTERM reaches the JVM.
      expect(app.spec.driver.template.spec?.containers[0]?.lifecycle?.preStop?.exec?.command).toEqual([...PYTHON_CLEAN_STOP]);
      const volumes = app.spec.driver.template.spec?.volumes ?? [];
      expect(volumes.find((v) => v.name === 'job-config')?.configMap?.name).toBe(`lakebench-${job}-${RUN}`);

      const cm = await core().readNamespacedConfigMap({ namespace: NS, name: `lakebench-${job}-${RUN}` });
      const doc = JSON.parse(cm.data?.['job.json'] ?? 'null') as { stage: string; metrics_uri: string; bronze: { uri: string }; streaming: Record<string, unknown> };
      expect(doc.stage).toBe(job);
      expect(doc.bronze.uri).toBe('s3a://lakebench-bronze/customer/interactions/');
      // Checkpoints under <checkpointBase>/<run-id>/<job>/ in the job's writer bucket, the report beside them.
      expect(doc.streaming.checkpoint_uri).toBe(`s3a://${writer[job]}/ckpt/${RUN}/${job}/`);
      expect(doc.metrics_uri).toBe(`s3a://${writer[job]}/ckpt/${RUN}/${job}/report.json`);
      expect(doc.streaming).toMatchObject({ duration_seconds: 90 + STREAMS_UP_TIMEOUT_S, trigger_seconds: { 'bronze-ingest': 5, 'silver-stream': 10, 'gold-refresh': 20 }[job], bronze_raw: { ident: 'lakehouse.default.bronze_raw', location: 's3a://lakebench-bronze/warehouse/default.db/bronze_raw' } });
      if (job === 'bronze-ingest') expect(doc.streaming).toMatchObject({ max_files_per_trigger: 3, bronze_schema: expect.stringMatching(/^id bigint, row_id bigint, event_timestamp timestamp, /) });
      writeFileSync(path.join(docsDir, `${job}.json`), JSON.stringify(doc));
    }
    // The PySpark jobs' own parser (spark-scripts/lakebench_config.py) accepts each document as its job's.
    const parse = spawnSync('python3', ['-c', `import json,sys\nfrom lakebench_config import parse_config\nfor job in sys.argv[1:]:\n    c = parse_config(json.load(open(f"${docsDir}/{job}.json")), job)\n    print(job, c.streaming.trigger_seconds, c.streaming.checkpoint_uri)`, ...STREAMING_JOBS], { cwd: SCRIPTS, encoding: 'utf8' });
    expect(parse.stderr).toBe('');
    expect(parse.stdout.trim().split('\n')).toEqual([`bronze-ingest 5.0 s3a://lakebench-bronze/ckpt/${RUN}/bronze-ingest/`, `silver-stream 10.0 s3a://lakebench-silver/ckpt/${RUN}/silver-stream/`, `gold-refresh 20.0 s3a://lakebench-gold/ckpt/${RUN}/gold-refresh/`]);

    const landing = await env.admin.makeApiClient(BatchV1Api).readNamespacedJob({ namespace: NS, name: LANDING_JOB_NAME });
    expect(landing.spec?.template.spec?.containers[0]?.args).toEqual(['datagen-land', '--task', `/etc/lakebench/datagen/${LANDING_TASK_FILE}`, '--work-dir', '/var/lib/lakebench-datagen']);
    expect(landing.spec?.template.spec?.volumes?.find((v) => v.name === 'task')?.configMap?.name).toBe(landingConfigMapName(RUN));
    await run.stop('duration');
  });

  it('observes states, restarts, reports and landed files; stop deletes the landing Job, waits for bronze-ingest to take the last landed files, deletes the applications and records stopped_by duration', async () => {
    // A base file, and an extra file an interrupted earlier run left: that one must not be streamed now.
    for (const key of [dataKey(0), dataKey(25 + 40)]) await s3.send(new PutObjectCommand({ Bucket: 'lakebench-bronze', Key: key, Body: 'x' }));
    const log: string[] = [];
    const { run, platform } = await openRun(log);
    await startAndComeUp(run);
    expect([await exists('lakebench-bronze', dataKey(0)), await exists('lakebench-bronze', dataKey(25 + 40))]).toEqual([true, false]);
    // The kubelet of the landing pod: the pod's own code with the task the runner rendered, until the Job goes.
    const taskCm = await core().readNamespacedConfigMap({ namespace: NS, name: landingConfigMapName(RUN) });
    const task = landingTaskSchema.parse(JSON.parse(taskCm.data?.[LANDING_TASK_FILE] ?? 'null'));
    const F = task.first_index;
    expect(F).toBe(25); // the base set of scale 0.01 in 1 MiB files
    expect(task).toMatchObject({ interval_ms: 1000, duration_seconds: 90 + STREAMS_UP_TIMEOUT_S, prefix: 'customer/interactions/', entries_prefix: `customer/_manifest/landing/${RUN}/` });
    const sigterm = new AbortController();
    const pod = runClusterLanding(task, { workDir: mkdtempSync(path.join(os.tmpdir(), 'lakebench-landing-')), log: () => {}, signal: sigterm.signal });

    await operatorStatus('bronze-ingest', 'RUNNING', 1);
    // silver-stream failed once and the operator is about to run it again: still running, one restart.
    await operatorStatus('silver-stream', 'FAILING', 2, 'driver exited with code 1');
    await operatorStatus('gold-refresh', 'RUNNING', 1);
    await jobReport('lakebench-bronze', 'bronze-ingest', 3, null);
    const seen = await until('for two landed files and the operator states', async () => {
      const o = await run.observe();
      const silver = o.jobs.find((j) => j.job === 'silver-stream')!;
      return o.landed.length >= 2 && silver.restarts === 1 ? o : undefined;
    });
    expect(seen.jobs.map((j) => [j.job, j.state, j.stopped_by])).toEqual([['bronze-ingest', 'running', null], ['silver-stream', 'running', null], ['gold-refresh', 'running', null]]);
    expect(seen.jobs[0]!.batches.map((b) => b.rows)).toEqual([100, 200, 300]);
    // Landed next to the base set (indices F, F + 1, …), each entry with the instant its upload completed.
    expect(seen.landed.slice(0, 2).map((f) => [f.index, f.key])).toEqual([[F, dataKey(F)], [F + 1, dataKey(F + 1)]]);
    for (const f of seen.landed) expect(Date.parse(f.landed_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(await exists('lakebench-bronze', dataKey(F))).toBe(true);
    expect(log.some((l) => l.includes('gold commits and silver rows not read this time'))).toBe(true);

    // The jobs' last reports, as they write them when SIGTERM stops them.
    await jobReport('lakebench-bronze', 'bronze-ingest', 4, 'signal');
    await jobReport('lakebench-silver', 'silver-stream', 2, 'signal');
    await operatorStatus('silver-stream', 'RUNNING', 2);
    await until('for silver-stream running again', async () => ((await run.observe()).jobs[1]!.state === 'running' ? true : undefined));
    const kubelet = (async () => {
      // The Job's deletion reaches the pod as SIGTERM.
      await until('for the landing Job to be deleted', async () => ((await env.admin.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: NS })).items.length === 0 ? true : undefined), 60_000);
      sigterm.abort();
      return pod;
    })();
    const stopping = run.stop('duration');
    const landed = await kubelet;
    expect(landed.landed).toBeGreaterThanOrEqual(2);
    // The stop's catch-up: with the landing stopped, bronze-ingest commits one more batch holding every
    // landed row not ingested yet (its four batches above hold 1,000), and the stop goes on.
    const landedRows = planFor(configFor(), []).base.totals.total_rows + (await run.observe()).landed.reduce((n, f) => n + f.rows, 0);
    await jobReport('lakebench-bronze', 'bronze-ingest', 4, 'signal', landedRows - 1000);
    const final = await stopping;
    expect(log.filter((l) => l.startsWith('stop: bronze-ingest'))).toEqual([expect.stringMatching(new RegExp(`^stop: bronze-ingest holds every landed row \\(${landedRows}\\) after \\d+ s$`))]);

    expect(final.map((j) => [j.job, j.state, j.stopped_by, j.restarts, j.batches.length])).toEqual([
      ['bronze-ingest', 'stopped', 'duration', 0, 5],
      ['silver-stream', 'stopped', 'duration', 1, 2],
      ['gold-refresh', 'stopped', 'duration', 0, 0],
    ]);
    expect(((await custom().listNamespacedCustomObject({ group, version, namespace: NS, plural })) as { items: unknown[] }).items).toEqual([]);
    expect(platform.running.size).toBe(0);
    // The landing stopped first, then the three applications (at once).
    const deletes = env.proxy.requests.filter((r) => r.method === 'DELETE').map((r) => r.path.split('?')[0]!.split('/').pop());
    const stopDeletes = deletes.filter((n) => n === LANDING_JOB_NAME || STREAMING_JOBS.map(appName).includes(n ?? '')).slice(-4);
    expect([stopDeletes[0], [...stopDeletes.slice(1)].sort()]).toEqual([LANDING_JOB_NAME, STREAMING_JOBS.map(appName).sort()]);
    // The run's documents are gone; the landed files left the data prefix, their entries stayed.
    const maps = (await core().listNamespacedConfigMap({ namespace: NS })).items.map((m) => m.metadata?.name ?? '');
    expect(maps.filter((n) => n.endsWith(RUN))).toEqual([]);
    expect(await exists('lakebench-bronze', dataKey(F))).toBe(false);
    const entry = await s3.send(new GetObjectCommand({ Bucket: 'lakebench-bronze', Key: `customer/_manifest/landing/${RUN}/${manifestEntryName(F)}` }));
    expect(JSON.parse((await entry.Body?.transformToString()) ?? '{}')).toMatchObject({ index: F, key: dataKey(F) });
  });

  it('reports an application the operator gave up on as failed, not duration', async () => {
    const log: string[] = [];
    const { run } = await openRun(log);
    await startAndComeUp(run);
    await operatorStatus('bronze-ingest', 'RUNNING', 1);
    // Out of retries: the operator v2.5.2 moves FAILING to FAILED and leaves it there.
    await operatorStatus('silver-stream', 'FAILED', STREAMING_RETRIES + 1, 'driver exited with code 1');
    await operatorStatus('gold-refresh', 'RUNNING', 1);
    const seen = await until('for silver-stream FAILED', async () => {
      const o = await run.observe();
      return o.jobs[1]!.state === 'stopped' ? o : undefined;
    });
    expect(seen.jobs[1]).toMatchObject({ job: 'silver-stream', state: 'stopped', stopped_by: 'failed', restarts: STREAMING_RETRIES, error: 'driver exited with code 1' });
    const final = await run.stop('duration');
    expect(final.map((j) => [j.job, j.stopped_by])).toEqual([['bronze-ingest', 'duration'], ['silver-stream', 'failed'], ['gold-refresh', 'duration']]);
    // bronze-ingest (running, no batch reported) did not take the landed rows within its two 5 s triggers: the stop went on.
    expect(log.filter((l) => l.startsWith('stop: bronze-ingest'))).toEqual([expect.stringMatching(/^stop: bronze-ingest holds 0 of \d+ landed rows after 10 s \(two triggers\); stopping it with the rest not ingested$/)]);
  });

  it('an interruption (the run guard’s stopRunning on SIGTERM) deletes the streaming applications and the landing Job', async () => {
    const { run, platform } = await openRun([]);
    await startAndComeUp(run);
    const deleted = await platform.stopRunning();
    expect(deleted.sort()).toEqual(STREAMING_JOBS.map(appName).sort());
    expect(((await custom().listNamespacedCustomObject({ group, version, namespace: NS, plural })) as { items: unknown[] }).items).toEqual([]);
    expect((await env.admin.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: NS })).items.map((j) => j.metadata?.name)).toEqual([]);
  });

  it('`lakebench cleanup` after a runner killed mid-run (no stop) deletes the landing Job, the streaming applications and the run’s documents', async () => {
    const { run, config } = await openRun([]);
    await startAndComeUp(run);
    const batch = env.admin.makeApiClient(BatchV1Api);
    expect((await batch.listNamespacedJob({ namespace: NS })).items.map((j) => j.metadata?.name)).toEqual([LANDING_JOB_NAME]);
    // SIGKILL: nothing of the runner's stop ran. Cleanup under the runner's Role, the query engine unreachable.
    const { client } = await env.clientFor(NS);
    const noEngine = async () => {
      throw new Error('Trino is not reachable');
    };
    const steps = await cleanup(client, clusterSettings(config), noEngine, { deleteBuckets: false, log: () => {} });
    expect(steps.find((x) => x.step === 'datagen and landing jobs')).toMatchObject({ ok: true, detail: `deleted ${LANDING_JOB_NAME}` });
    expect(steps.find((x) => x.step === 'spark applications')).toMatchObject({ ok: true, detail: `deleted ${STREAMING_JOBS.map(appName).sort().join(', ')}` });
    expect((await batch.listNamespacedJob({ namespace: NS })).items.map((j) => j.metadata?.name)).toEqual([]);
    expect(((await custom().listNamespacedCustomObject({ group, version, namespace: NS, plural })) as { items: unknown[] }).items).toEqual([]);
    const maps = (await core().listNamespacedConfigMap({ namespace: NS })).items.map((m) => m.metadata?.name ?? '');
    expect(maps.filter((n) => n.endsWith(RUN))).toEqual([]);
    // A second cleanup finds nothing left to delete.
    const again = await cleanup(client, clusterSettings(config), noEngine, { deleteBuckets: false, log: () => {} });
    expect(again.find((x) => x.step === 'datagen and landing jobs')).toMatchObject({ ok: true, detail: 'none' });
  });
  it('start() fails with STREAMS_NOT_UP when a job dies before every job wrote its first report', async () => {
    for (const job of STREAMING_JOBS) await s3.send(new DeleteObjectCommand({ Bucket: WRITER[job], Key: `ckpt/${RUN}/${job}/report.json` }));
    const { run } = await openRun([]);
    const started = run.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    await until('for the applications', async () => ((await readApp(appName('gold-refresh')).catch(() => undefined)) ? true : undefined), 60_000);
    await jobReport(WRITER['bronze-ingest'], 'bronze-ingest', 0, null);
    await operatorStatus('gold-refresh', 'FAILED', STREAMING_RETRIES + 1, 'driver exited with code 1');
    const error = await started;
    expect(error).toBeInstanceOf(StreamsNotUpError);
    expect((error as StreamsNotUpError).reason).toBe('STREAMS_NOT_UP');
    expect((error as Error).message).toBe('gold-refresh died before the streaming jobs were up: driver exited with code 1');
  });
});
