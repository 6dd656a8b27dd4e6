// The chart's runner Job on the real node, end to end: `helm install` of values/profile-tiny.yaml +
// values/hive-iceberg-trino.yaml + node-overlay.yaml + runner-overlay.yaml (scale 0.01) in a
// namespace enforcing the restricted Pod Security Standard, next to the real Kubeflow Spark
// Operator controller installed from its own chart. The runner takes the Lease, generates bronze with
// its Indexed datagen Job, the operator submits bronze-verify, silver-build and gold-finalize, whose
// driver and executor pods write Iceberg tables through the Hive Metastore into MinIO; the runner
// benchmarks through Trino and publishes to the results bucket, and `lakebench results --bucket
// --fetch` on the host retrieves the report (not yet compared with an embedded run: see README).
// Then, on the same install: a runner pod deleted mid-run leaves an `incomplete` record and
// no SparkApplication, and `lakebench cleanup` + `helm uninstall` leave nothing of the release.
import { BatchV1Api, CoordinationV1Api, CoreV1Api, CustomObjectsApi, StorageV1Api, type KubeConfig, type V1Job, type V1Pod } from '@kubernetes/client-node';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { metricsSchema } from '../../runner/src/model/metrics.js';
import { QUERIES } from '../../runner/src/sql/queries.js';
import { cacheDir } from '../harness/cache.js';
import { lakebench } from '../harness/cli.js';
import { awsEnv, ensureBucket, s3Client } from '../harness/engines/s3.js';
import { loadKubeconfig } from '../harness/kube/kubeconfig.js';
import { startMinio, type MinioServer } from '../harness/minio.js';
import { nodeBinaries } from '../harness/node/binaries.js';
import { describePods } from '../harness/node/describe.js';
import { importImages, localImageArchives } from '../harness/node/images.js';
import type { Snapshotter } from '../harness/node/containerd.js';
import { createPodSecurityNamespace } from '../harness/node/pods.js';
import { ensureNode } from '../harness/node/shared.js';
import { installSparkOperator, type SparkOperatorInstall } from '../harness/node/spark-operator.js';
import type { NodeState } from '../harness/node/state.js';
import { serveFolder, type StaticServer } from '../harness/node/static-server.js';
import { cachedJdbcJar, helm } from './fixtures/lakehouse-release.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const stamp = Date.now().toString(36);
const namespace = `runner-${stamp}`;
const operatorNamespace = `runner-${stamp}-so`;
const release = 'lakebench';
const staticClass = 'lakebench-static'; // node-overlay.yaml's class of pre-bound PVs
const scratchClass = 'lakebench-scratch'; // runner-overlay.yaml's class of executor scratch PVs
const scale = 0.01;
const seed = 42;
const runDeadlineMs = 25 * 60_000;
const resultsBucket = 'lakebench-results';
const sparkStages = ['bronze-verify', 'silver-build', 'gold-finalize'] as const;
const RUN_ID_LABEL = 'lakebench.io/run-id';
const SPARK = { group: 'sparkoperator.k8s.io', version: 'v1beta2', plural: 'sparkapplications' };

const mavenMirror = path.join(cacheDir, 'cluster', 'maven');

const pvRoot = path.join('/tmp/lakebench-node', 'pv', namespace);
const boundClaims = [
  { claim: `data-${release}-postgres-0`, size: '2Gi', uid: 999 },
  { claim: `spill-${release}-trino-worker-0`, size: '5Gi', uid: 1000 },
];
// One executor per stage and run: the first run's three, the interrupted run's, retries.
const scratchVolumes = 8;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const containerTimes = (pod: V1Pod, container: string) => {
  const s = pod.status?.containerStatuses?.find((c) => c.name === container);
  const t = s?.state?.terminated ?? s?.lastState?.terminated;
  return { startedAt: t?.startedAt ? new Date(t.startedAt).toISOString() : null, finishedAt: t?.finishedAt ? new Date(t.finishedAt).toISOString() : null };
};
const iso = (t: string | null | undefined) => (t ? new Date(t).toISOString() : null);

describe('the runner Job on the real node (profile-tiny, hive-iceberg-trino, scale 0.01)', () => {
  let state: NodeState;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let batch: BatchV1Api;
  let custom: CustomObjectsApi;
  let minio: MinioServer | undefined;
  let jar: StaticServer | undefined;
  let maven: StaticServer | undefined;
  let operator: SparkOperatorInstall | undefined;
  let work: string;
  let firstRunId: string | undefined;
  let installed = false;
  const timings: Record<string, number> = {};

  const kubectl = (args: string[], timeout = 300_000) => run(nodeBinaries.kubectl, ['--kubeconfig', state.kubeconfigPath, ...args], { timeout, maxBuffer: 64 * 1024 * 1024 });
  const hostResultsConfig = () => {
    const file = path.join(work, 'results.yaml');
    writeFileSync(file, `results:\n  bucket:\n    endpoint: ${minio!.endpoint}\n    bucket: ${resultsBucket}\n    region: us-east-1\n    pathStyle: true\n`);
    return file;
  };
  const readBucketJson = async <T,>(key: string): Promise<T> => {
    const client = s3Client(minio!);
    try {
      const got = await client.send(new GetObjectCommand({ Bucket: resultsBucket, Key: key }));
      return JSON.parse(await got.Body!.transformToString()) as T;
    } finally {
      client.destroy();
    }
  };
  const runIdsInBucket = async (): Promise<string[]> => {
    const client = s3Client(minio!);
    try {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: resultsBucket, Prefix: 'runs/' }));
      return [...new Set((listed.Contents ?? []).map((o) => (o.Key ?? '').split('/')[1] ?? '').filter(Boolean))].sort();
    } finally {
      client.destroy();
    }
  };
  const runnerLog = async (job: string): Promise<string> => {
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: `job-name=${job}` })).items;
    const out: string[] = [];
    for (const p of pods) {
      out.push(`--- ${p.metadata?.name} log:`);
      out.push(await core.readNamespacedPodLog({ namespace, name: p.metadata?.name ?? '', container: 'runner', tailLines: 80 }).catch((e: unknown) => `(no log: ${String(e)})`));
    }
    return out.join('\n');
  };
  const diagnose = async (job: string) => `${await runnerLog(job)}\n--- pods and events:\n${await describePods(kc, namespace)}\n--- operator:\n${await describePods(kc, operatorNamespace)}`;

  /** Waits for a Job to end; the deadline throws with the runner's log and the namespace's pods. */
  async function waitForJobEnd(name: string, deadlineMs: number): Promise<{ job: V1Job; succeeded: boolean }> {
    const started = Date.now();
    for (;;) {
      const job = await batch.readNamespacedJobStatus({ namespace, name });
      if ((job.status?.succeeded ?? 0) > 0) return { job, succeeded: true };
      if ((job.status?.failed ?? 0) > 0) return { job, succeeded: false };
      if (Date.now() - started > deadlineMs) throw new Error(`Job ${name} not done after ${deadlineMs / 1000} s\n${await diagnose(name)}`);
      await sleep(5000);
    }
  }
  /** Waits for a Job to succeed; a failed one throws with the runner's log and the namespace's pods. */
  async function waitForJob(name: string, deadlineMs: number): Promise<V1Job> {
    const end = await waitForJobEnd(name, deadlineMs);
    if (!end.succeeded) throw new Error(`Job ${name} failed\n${await diagnose(name)}`);
    return end.job;
  }

  beforeAll(async () => {
    state = await ensureNode(inject('lakebenchNodeOwnerPid'));
    // The runner image is rebuilt whenever the runner's code changes; a node started before that
    // still holds the old one under the same reference.
    await importImages(localImageArchives().filter((a) => a.slug === 'runner' || a.slug === 'spark-operator'), state.snapshotter as Snapshotter);
    kc = loadKubeconfig(state.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    batch = kc.makeApiClient(BatchV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
    work = mkdtempSync(path.join(os.tmpdir(), 'lakebench-runner-test-'));
    minio = await startMinio({ host: '10.244.0.1' });
    for (const bucket of ['lakebench-bronze', 'lakebench-silver', 'lakebench-gold', resultsBucket]) await ensureBucket(minio, bucket);
    jar = await serveFolder(path.dirname(await cachedJdbcJar()));
    if (!existsSync(path.join(`${mavenMirror}.version`))) throw new Error(`${mavenMirror}: run LAKEBENCH_CACHE=${cacheDir} bash test/setup/75-cluster-runner.sh`);
    maven = await serveFolder(mavenMirror);

    await createPodSecurityNamespace(kc, namespace, 'restricted');
    await createPodSecurityNamespace(kc, operatorNamespace, 'restricted');
    await core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: 'lakebench-s3' }, stringData: { AWS_ACCESS_KEY_ID: minio.accessKey, AWS_SECRET_ACCESS_KEY: minio.secretKey } },
    });
    const storage = kc.makeApiClient(StorageV1Api);
    for (const [name, mode] of [[staticClass, 'Immediate'], [scratchClass, 'WaitForFirstConsumer']] as const) {
      await storage.readStorageClass({ name }).catch(() =>
        storage.createStorageClass({ body: { metadata: { name }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: mode } }),
      );
    }
    const hostPathPv = (name: string, dir: string, uid: number, size: string, storageClassName: string, claimRef?: { namespace: string; name: string }) => {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chownSync(dir, uid, uid);
      return core.createPersistentVolume({
        body: {
          metadata: { name, labels: { 'lakebench.test/namespace': namespace } },
          spec: { storageClassName, capacity: { storage: size }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: dir, type: 'Directory' }, ...(claimRef ? { claimRef } : {}) },
        },
      });
    };
    for (const c of boundClaims) await hostPathPv(`${namespace}-${c.claim}`.slice(0, 253), path.join(pvRoot, c.claim), c.uid, c.size, staticClass, { namespace, name: c.claim });
    // Unclaimed: each executor's ephemeral claim binds one (spark uid 185; hostPath ignores fsGroup).
    for (let i = 0; i < scratchVolumes; i++) await hostPathPv(`${namespace}-scratch-${i}`, path.join(pvRoot, `scratch-${i}`), 185, '1Gi', scratchClass);

    const started = Date.now();
    operator = await installSparkOperator({
      kubeconfig: state.kubeconfigPath,
      namespace: operatorNamespace,
      jobNamespace: namespace,
      // The controller's spark-submit resolves the packages too (Spark's SparkSubmit does it for
      // every cluster manager but standalone), before the driver does: the same mirror.
      env: { DEFAULT_ARTIFACT_REPOSITORY: maven.url },
    });
    timings.operatorReady = Math.round((Date.now() - started) / 1000);
  }, 15 * 60_000);

  afterAll(async () => {
    if (state) {
      if (installed) await helm(state, ['uninstall', release, '--namespace', namespace, '--wait', '--timeout', '3m'], 200_000).catch(() => undefined);
      await operator?.uninstall().catch(() => undefined);
      for (const ns of [namespace, operatorNamespace]) await kubectl(['delete', 'namespace', ns, '--wait', '--timeout=180s']).catch(() => undefined);
      await kubectl(['delete', 'pv', '-l', `lakebench.test/namespace=${namespace}`, '--wait', '--timeout=60s']).catch(() => undefined);
      for (const name of [staticClass, scratchClass]) await kc.makeApiClient(StorageV1Api).deleteStorageClass({ name }).catch(() => undefined);
    }
    rmSync(pvRoot, { recursive: true, force: true });
    await jar?.close();
    await maven?.close();
    await minio?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
    console.log(`runner timings (s): ${JSON.stringify(timings)}`);
  }, 10 * 60_000);

  it(
    'runs the whole pipeline through the Spark Operator: every stage, 8/8 queries on Trino, published and fetched (WARNING only for image tags without digests)',
    async () => {
      const started = Date.now();
      await helm(
        state,
        [
          'install', release, path.join(repo, 'charts/lakebench'),
          '--namespace', namespace,
          '-f', path.join(repo, 'values/profile-tiny.yaml'),
          '-f', path.join(repo, 'values/hive-iceberg-trino.yaml'),
          '-f', path.join(repo, 'test/cluster/fixtures/node-overlay.yaml'),
          '-f', path.join(repo, 'test/cluster/fixtures/runner-overlay.yaml'),
          '--set', `storage.s3.endpoint=${minio!.endpoint}`,
          '--set', `catalog.hive.jdbcDriver.url=${jar!.url}${path.basename(await cachedJdbcJar())}`,
          '--set', `spark.mavenRepository=${maven!.url}`,
        ],
        120_000,
      );
      installed = true;
      const jobName = `${release}-run-1`;
      const end = await waitForJobEnd(jobName, runDeadlineMs);
      timings.installToRunDone = Math.round((Date.now() - started) / 1000);
      // The tests below need a finished run on this install, not a PASSED one.
      const ids = await runIdsInBucket();
      expect(ids, 'runs in the results bucket').toHaveLength(1);
      const runId = ids[0]!;
      firstRunId = runId;
      // A failed run still publishes everything; what it did is checked first, the verdict last.
      const runnerFailure = end.succeeded ? '' : `Job ${jobName} failed\n${await diagnose(jobName)}`;

      // Published: the index entry, run.json, metrics.json and the report.
      const runRecord = await readBucketJson<{ state: string }>(`runs/${runId}/run.json`);
      expect(runRecord.state).toBe('complete');
      const indexEntry = await readBucketJson<{ run_id: string }>(`index/runs/${runId}.json`);
      expect(indexEntry.run_id).toBe(runId);

      // The host fetches it the way a user does.
      const fetched = path.join(work, 'fetched');
      const got = await lakebench(['results', '--config', hostResultsConfig(), '--bucket', '--fetch', runId, '--output', fetched], { env: awsEnv(minio!) });
      expect(got.code, got.stderr).toBe(0);
      const reportFile = path.join(fetched, 'runs', runId, 'report.html');
      expect(existsSync(reportFile), `${reportFile}; stderr: ${got.stderr}`).toBe(true);
      expect(readFileSync(reportFile, 'utf8')).toContain(runId);
      const metrics = metricsSchema.parse(JSON.parse(readFileSync(path.join(fetched, 'runs', runId, 'metrics.json'), 'utf8')));
      expect(metrics.platform).toBe('kubernetes');

      // Datagen ran as the Indexed Job; the pods fetched their packages from the host's mirror.
      const stageOf = (name: string) => metrics.stages.find((s) => s.name === name);
      expect(stageOf('datagen')?.status).toBe('succeeded');
      expect(maven!.requests, 'Maven mirror requests').toContain('GET /org/apache/iceberg/iceberg-spark-runtime-4.0_2.13/1.10.1/iceberg-spark-runtime-4.0_2.13-1.10.1.jar');
      // Every Spark stage that succeeded: its SparkApplication COMPLETED, and its time is the driver
      // container's own start and finish as the kubelet reported them.
      const apps = (await custom.listNamespacedCustomObject({ ...SPARK, namespace, labelSelector: `${RUN_ID_LABEL}=${runId}` })) as { items: { metadata: { name: string }; status?: { applicationState?: { state?: string }; driverInfo?: { podName?: string } } }[] };
      const drivers = (await core.listNamespacedPod({ namespace, labelSelector: `spark-role=driver,${RUN_ID_LABEL}=${runId}` })).items;
      const ran = sparkStages.filter((stage) => stageOf(stage)?.status === 'succeeded');
      expect(ran, 'Spark stages that succeeded').toContain('bronze-verify');
      for (const stage of ran) {
        const entry = stageOf(stage)!;
        expect(entry.engine).toBe('spark');
        expect(entry.executor_count).toBe(1);
        const app = apps.items.find((a) => a.metadata.name === `lakebench-${stage}`);
        expect(app?.status?.applicationState?.state, `SparkApplication of ${stage}`).toBe('COMPLETED');
        const driver = drivers.find((p) => p.metadata?.name === app?.status?.driverInfo?.podName);
        expect(driver, `driver pod of ${stage}`).toBeDefined();
        const times = containerTimes(driver!, 'spark-kubernetes-driver');
        expect(times.startedAt).not.toBeNull();
        const observed = (entry.extras as { kubernetes?: { driver_started_at?: string; driver_finished_at?: string } }).kubernetes;
        expect(iso(observed?.driver_started_at)).toBe(times.startedAt);
        expect(iso(observed?.driver_finished_at)).toBe(times.finishedAt);
        expect(iso(entry.start_time)).toBe(times.startedAt);
        expect(iso(entry.end_time)).toBe(times.finishedAt);
      }
      // Executors ran as pods of their own (deleted when done): each claimed one scratch PV.
      const scratchClaimed = (await core.listPersistentVolume({ labelSelector: `lakebench.test/namespace=${namespace}` })).items.filter(
        (pv) => pv.spec?.storageClassName === scratchClass && pv.spec.claimRef,
      );
      expect(scratchClaimed.length, 'scratch PVs claimed by executor pods').toBeGreaterThanOrEqual(ran.length);

      // The run took the namespace's Lease (only the runner creates it) and released it at the end.
      const lease = await kc.makeApiClient(CoordinationV1Api).readNamespacedLease({ namespace, name: 'lakebench-run' });
      expect(lease.spec?.holderIdentity, JSON.stringify(lease.spec)).toBeUndefined();

      // The whole run: every stage, the benchmark, the verdict.
      for (const stage of sparkStages) expect(stageOf(stage)?.status, `${stage}: ${JSON.stringify(stageOf(stage)?.error)}\n${runnerFailure}`).toBe('succeeded');
      // Every check passed; the only reasons are the two images named by tag: there is no registry
      // here, so no image has a digest to pin, and the product says so rather than certify them.
      expect(metrics.verdict.reasons.map((r) => `${r.code} ${r.severity} ${r.message.split(' ')[0]}`).sort(), JSON.stringify(metrics.verdict.reasons)).toEqual([
        'IMAGE_WITHOUT_DIGEST WARNING runner_image',
        'IMAGE_WITHOUT_DIGEST WARNING spark_image',
      ]);
      expect(metrics.verdict.status).toBe('WARNING');
      const queries = metrics.benchmark?.queries ?? [];
      // In the power run's order; each query of the set once.
      expect(queries.map((q) => q.id).sort()).toEqual(QUERIES.map((q) => q.id).sort());
      expect(queries).toHaveLength(8);
      expect(queries.filter((q) => !q.success).map((q) => `${q.id}: ${q.error?.message}`)).toEqual([]);
      expect(metrics.benchmark?.engine.type).toBe('trino');
      expect(scratchClaimed.length, 'scratch PVs claimed by executor pods').toBe(sparkStages.length);
      timings.total = Math.round((Date.now() - started) / 1000);
    },
    35 * 60_000,
  );

  /** A Job with the chart's runner pod (same ServiceAccount, config, security), as `kubectl create job --from` makes one. */
  async function jobFromRunnerTemplate(name: string, command?: string[]): Promise<void> {
    const chartJob = await batch.readNamespacedJob({ namespace, name: `${release}-run-1` });
    const template = structuredClone(chartJob.spec!.template);
    for (const key of Object.keys(template.metadata?.labels ?? {})) if (/controller-uid|job-name/.test(key)) delete template.metadata!.labels![key];
    if (command) template.spec!.containers[0]!.command = command;
    await batch.createNamespacedJob({ namespace, body: { metadata: { name }, spec: { backoffLimit: 0, template } } });
  }
  const requireFirstRun = () => {
    if (!firstRunId) throw new Error('not run: the install has no finished run (see the test above)');
  };

  it('a runner pod deleted while a Spark stage runs leaves an incomplete record and no SparkApplication', async () => {
    requireFirstRun();
    const name = 'runner-interrupted';
    await jobFromRunnerTemplate(name);
    try {
      await interruptRun(name);
    } finally {
      // The next test's cleanup must not meet a runner still running.
      await batch.deleteNamespacedJob({ namespace, name, propagationPolicy: 'Foreground' }).catch(() => undefined);
    }
  }, 20 * 60_000);

  async function interruptRun(name: string): Promise<void> {
    // Bronze is in the bucket, so the run goes straight to bronze-verify: wait for its application.
    const started = Date.now();
    let runId: string | undefined;
    while (!runId) {
      const apps = (await custom.listNamespacedCustomObject({ ...SPARK, namespace })) as { items: { metadata: { labels?: Record<string, string> }; status?: { applicationState?: { state?: string } } }[] };
      runId = apps.items.map((a) => a.metadata.labels?.[RUN_ID_LABEL]).find((id) => id && id !== firstRunId);
      if (Date.now() - started > 10 * 60_000) throw new Error(`no SparkApplication of the second run after 10 min\n${await diagnose(name)}`);
      if (!runId) await sleep(3000);
    }
    const runner = (await core.listNamespacedPod({ namespace, labelSelector: `job-name=${name}` })).items[0]!;
    expect((await readBucketJson<{ state: string }>(`runs/${runId}/run.json`)).state).toBe('running');
    // What `kubectl delete pod` does: the kubelet's SIGTERM, then the grace period.
    await kubectl(['-n', namespace, 'delete', 'pod', runner.metadata!.name!, '--wait', '--timeout=120s']);
    timings.interruptedAfter = Math.round((Date.now() - started) / 1000);
    const record = await readBucketJson<{ state: string; reason: string | null }>(`runs/${runId}/run.json`);
    expect(record.state, JSON.stringify(record)).toBe('incomplete');
    const left = (await custom.listNamespacedCustomObject({ ...SPARK, namespace, labelSelector: `${RUN_ID_LABEL}=${runId}` })) as { items: unknown[] };
    expect(left.items, 'SparkApplications of the interrupted run').toEqual([]);
    // Their driver and executor pods go with them (owner references; the garbage collector is asynchronous).
    const deadline = Date.now() + 120_000;
    let pods = (await core.listNamespacedPod({ namespace, labelSelector: `${RUN_ID_LABEL}=${runId}` })).items;
    while (pods.length > 0 && Date.now() < deadline) {
      await sleep(3000);
      pods = (await core.listNamespacedPod({ namespace, labelSelector: `${RUN_ID_LABEL}=${runId}` })).items;
    }
    expect(pods.map((p) => p.metadata?.name), 'pods of the interrupted run').toEqual([]);
  }

  it('`lakebench cleanup` in the cluster, then `helm uninstall`, leave nothing of the release', async () => {
    requireFirstRun();
    const name = 'runner-cleanup';
    await jobFromRunnerTemplate(name, ['lakebench', 'cleanup', '--config', '/etc/lakebench/config.yaml']);
    await waitForJob(name, 10 * 60_000);
    const log = await runnerLog(name);
    // Every step of the seed's destruction order, each ok.
    expect(log, log).not.toMatch(/\bfailed\b/i);
    const apps = (await custom.listNamespacedCustomObject({ ...SPARK, namespace })) as { items: unknown[] };
    expect(apps.items, 'SparkApplications after cleanup').toEqual([]);
    const client = s3Client(minio!);
    try {
      for (const bucket of ['lakebench-bronze', 'lakebench-silver', 'lakebench-gold']) {
        const keys = ((await client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key);
        expect(keys, `${bucket} after cleanup`).toEqual([]);
      }
    } finally {
      client.destroy();
    }
    await batch.deleteNamespacedJob({ namespace, name, propagationPolicy: 'Background' });

    await helm(state, ['uninstall', release, '--namespace', namespace, '--wait', '--timeout', '3m'], 200_000);
    installed = false;
    // Whatever carries the release's instance label, the chart's own objects and those the runner made.
    const selector = `app.kubernetes.io/instance=${release}`;
    const kinds = 'pods,persistentvolumeclaims,jobs,cronjobs,deployments,statefulsets,services,configmaps,secrets,serviceaccounts,roles,rolebindings,leases,sparkapplications';
    const deadline = Date.now() + 180_000;
    let left = '';
    for (;;) {
      left = (await kubectl(['-n', namespace, 'get', kinds, '-l', selector, '-o', 'name'])).stdout.trim();
      const unlabelled = (await kubectl(['-n', namespace, 'get', 'pods,persistentvolumeclaims,leases', '-o', 'name'])).stdout.trim();
      left = [left, unlabelled].filter(Boolean).join('\n');
      if (!left || Date.now() > deadline) break;
      await sleep(3000);
    }
    expect(left, 'left in the namespace after helm uninstall').toBe('');
    const clusterScoped = (await kubectl(['get', 'clusterroles,clusterrolebindings', '-l', selector, '-o', 'name'])).stdout.trim();
    expect(clusterScoped.split('\n').filter((n) => n.includes(namespace))).toEqual([]);
  }, 20 * 60_000);
});
