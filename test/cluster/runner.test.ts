// The chart's runner Job on the real node, end to end: `helm install` of values/profile-tiny.yaml +
// values/hive-iceberg-trino.yaml + node-overlay.yaml + runner-overlay.yaml (scale 0.01) +
// observability-overlay.yaml (the release's own Prometheus; Grafana off) in a namespace enforcing the
// restricted Pod Security Standard, next to the real Kubeflow Spark Operator controller installed from
// its own chart. The runner takes the Lease (a second runner meanwhile is refused), generates bronze
// with its Indexed datagen Job, the operator submits bronze-verify, silver-build and gold-finalize,
// whose driver and executor pods write Iceberg tables through the Hive Metastore into MinIO; the
// runner benchmarks through Trino and publishes to the results bucket, and `lakebench results --bucket
// --fetch` on the host retrieves the report. Its data and query fingerprints equal an embedded run's
// of the same seed and scale; the tables are where the catalog's warehouse puts them; Prometheus
// scraped each stage's Spark driver and executor summary, the runner and Trino, and every panel of the
// shipped dashboard has data. Then, on the same install: a runner pod deleted mid-run leaves an
// `incomplete` record and no SparkApplication, and `lakebench cleanup` + `helm uninstall` leave
// nothing of the release.
import { BatchV1Api, CoordinationV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Job, type V1Pod } from '@kubernetes/client-node';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { metricsSchema, type Metrics } from '../../runner/src/model/metrics.js';
import { QUERIES } from '../../runner/src/sql/queries.js';
import { lakebench } from '../harness/cli.js';
import { awsEnv, s3Client } from '../harness/engines/s3.js';
import { imageCacheDir, nodeBinaries } from '../harness/node/binaries.js';
import { describePods } from '../harness/node/describe.js';
import { ensureNode } from '../harness/node/shared.js';
import type { NodeState } from '../harness/node/state.js';
import { helm, installLakehouse, lakehouseBuckets, prepareRunnerSite, scratchStorageClass, teardownRunnerSite, type RunnerSite } from './fixtures/lakehouse-release.js';
import { assertPrometheusScrapes, ensurePrometheusImage, panelQueriesWithoutData, prometheusImage, prometheusThroughApiServer, shippedDashboardPanels } from './observability-checks.js';

const run = promisify(execFile);
const stamp = Date.now().toString(36);
const namespace = `runner-${stamp}`;
const release = 'lakebench';
const scale = 0.01;
const seed = 42; // values.yaml runner.config.seed
const runDeadlineMs = 25 * 60_000;
const resultsBucket = 'lakebench-results';
const sparkStages = ['bronze-verify', 'silver-build', 'gold-finalize'] as const;
const RUN_ID_LABEL = 'lakebench.io/run-id';
const SPARK = { group: 'sparkoperator.k8s.io', version: 'v1beta2', plural: 'sparkapplications' };
const scrapeIntervalS = 10; // observability-overlay.yaml

// The exporter of observability.postgresExporter has no stand-in image (its Go module is refused by the
// Go proxy, test/images/README.md); with one, the release enables it and the postgres job is checked.
const exporterImageBuilt = existsSync(path.join(imageCacheDir, 'postgres-exporter.tar'));
// One executor per stage and run: the first run's three, the interrupted run's, retries.
const scratchVolumes = 8;

/** Every key under `prefix`, following ListObjectsV2's continuation (1000 keys a page). */
async function listAllKeys(client: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

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
  let site: RunnerSite | undefined;
  let work: string;
  let firstRunId: string | undefined;
  let firstMetrics: Metrics | undefined;
  let installedAt = new Date();
  let embedded: Promise<Metrics> | undefined;
  const timings: Record<string, number> = {};

  const kubectl = (args: string[], timeout = 300_000) => run(nodeBinaries.kubectl, ['--kubeconfig', state.kubeconfigPath, ...args], { timeout, maxBuffer: 64 * 1024 * 1024 });
  const hostResultsConfig = () => {
    const file = path.join(work, 'results.yaml');
    writeFileSync(file, `results:\n  bucket:\n    endpoint: ${site!.minio.endpoint}\n    bucket: ${resultsBucket}\n    region: us-east-1\n    pathStyle: true\n`);
    return file;
  };
  const readBucketJson = async <T,>(key: string): Promise<T> => {
    const client = s3Client(site!.minio);
    try {
      const got = await client.send(new GetObjectCommand({ Bucket: resultsBucket, Key: key }));
      return JSON.parse(await got.Body!.transformToString()) as T;
    } finally {
      client.destroy();
    }
  };
  const runIdsInBucket = async (): Promise<string[]> => {
    const client = s3Client(site!.minio);
    try {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: resultsBucket, Prefix: 'runs/' }));
      return [...new Set((listed.Contents ?? []).map((o) => (o.Key ?? '').split('/')[1] ?? '').filter(Boolean))].sort();
    } finally {
      client.destroy();
    }
  };
  /** The runner container's log: its last 80 lines, or all of it with `whole`. */
  const runnerLog = async (job: string, { whole = false } = {}): Promise<string> => {
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: `job-name=${job}` })).items;
    const out: string[] = [];
    for (const p of pods) {
      out.push(`--- ${p.metadata?.name} log:`);
      out.push(await core.readNamespacedPodLog({ namespace, name: p.metadata?.name ?? '', container: 'runner', tailLines: whole ? undefined : 80 }).catch((e: unknown) => `(no log: ${String(e)})`));
    }
    return out.join('\n');
  };
  const diagnose = async (job: string) => `${await runnerLog(job)}\n--- pods and events:\n${await describePods(kc, namespace)}\n--- operator:\n${await describePods(kc, site!.operatorNamespace)}`;

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
    timings.prometheusImport = await ensurePrometheusImage(state);
    work = mkdtempSync(path.join(os.tmpdir(), 'lakebench-runner-test-'));
    const started = Date.now();
    await prepareRunnerSite(state, { namespace, release, scratchVolumes, onSite: (s) => (site = s) });
    ({ kc, core } = site!);
    batch = kc.makeApiClient(BatchV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
    timings.siteReady = Math.round((Date.now() - started) / 1000);
  }, 15 * 60_000);

  afterAll(async () => {
    await teardownRunnerSite(site);
    if (work) rmSync(work, { recursive: true, force: true });
    console.log(`runner timings (s): ${JSON.stringify(timings)}`);
  }, 10 * 60_000);

  it(
    'runs the whole pipeline through the Spark Operator: every stage, 8/8 queries on Trino with the fingerprints of an embedded run, published and fetched (WARNING only for image tags without digests)',
    async () => {
      const started = Date.now();
      installedAt = new Date(started);
      await installLakehouse(site!, { overlays: ['runner-overlay.yaml', 'observability-overlay.yaml'], sets: [`spark.mavenRepository=${site!.maven.url}`, `observability.postgresExporter.enabled=${exporterImageBuilt}`] });
      // The embedded reference run on the host meanwhile: same seed and scale, and the cluster's
      // file size (512 MB, its default) so the bronze files, hence the data fingerprint, are the same.
      const embeddedDir = path.join(work, 'embedded');
      mkdirSync(embeddedDir);
      writeFileSync(path.join(embeddedDir, 'config.yaml'), `scale: ${scale}\nseed: ${seed}\ndatagen:\n  fileSizeMb: 512\n`);
      const embeddedStarted = Date.now();
      embedded = lakebench(['run', '--local', '--config', path.join(embeddedDir, 'config.yaml'), '--output', path.join(embeddedDir, 'out')]).then((r) => {
        timings.embeddedRun = Math.round((Date.now() - embeddedStarted) / 1000);
        if (r.code !== 0) throw new Error(`embedded run exited ${r.code}\n${r.stderr.slice(-4000)}`);
        const runs = readdirSync(path.join(embeddedDir, 'out', 'runs'));
        return metricsSchema.parse(JSON.parse(readFileSync(path.join(embeddedDir, 'out', 'runs', runs[0] ?? '', 'metrics.json'), 'utf8')));
      });
      // Settled here, awaited below: a failed embedded run must not be an unhandled rejection meanwhile.
      embedded.catch(() => undefined);
      const jobName = `${release}-run-1`;
      // A second run while this one holds the namespace's Lease (what a CronJob schedule, or a Job
      // made by hand, would start) is refused at once, exit 2, naming the Lease: no second run record.
      await refusedWhileLeaseHeld();
      const end = await waitForJobEnd(jobName, runDeadlineMs);
      timings.installToRunDone = Math.round((Date.now() - started) / 1000);
      // The tests below need a finished run on this install, not a PASSED one.
      const ids = await runIdsInBucket();
      expect(ids, 'runs in the results bucket').toHaveLength(1);
      const runId = ids[0]!;
      firstRunId = runId;
      // A failed run still publishes everything; what it did is checked first, the verdict last.
      const runnerFailure = end.succeeded ? '' : `Job ${jobName} failed\n${await diagnose(jobName)}`;
      // The capacity preflight ran against the node's free room (allocatable minus the requests of
      // the pods bound to it, this release's included), not skipped and not against fixed figures.
      expect(await runnerLog(jobName, { whole: true })).toMatch(/capacity preflight: scale 0\.01 needs [\d.]+ CPU \/ [\d.]+ GiB \(Spark\/datagen peak × headroom\), .*in all namespaces: free [\d.]+ CPU/);

      // Published: the index entry, run.json, metrics.json and the report.
      const runRecord = await readBucketJson<{ state: string }>(`runs/${runId}/run.json`);
      expect(runRecord.state).toBe('complete');
      const indexEntry = await readBucketJson<{ run_id: string }>(`index/runs/${runId}.json`);
      expect(indexEntry.run_id).toBe(runId);

      // The host fetches it the way a user does.
      const fetched = path.join(work, 'fetched');
      const got = await lakebench(['results', '--config', hostResultsConfig(), '--bucket', '--fetch', runId, '--output', fetched], { env: awsEnv(site!.minio) });
      expect(got.code, got.stderr).toBe(0);
      const reportFile = path.join(fetched, 'runs', runId, 'report.html');
      expect(existsSync(reportFile), `${reportFile}; stderr: ${got.stderr}`).toBe(true);
      expect(readFileSync(reportFile, 'utf8')).toContain(runId);
      const metrics = metricsSchema.parse(JSON.parse(readFileSync(path.join(fetched, 'runs', runId, 'metrics.json'), 'utf8')));
      expect(metrics.platform).toBe('kubernetes');
      firstMetrics = metrics;

      // Datagen ran as the Indexed Job; the pods fetched their packages from the host's mirror.
      const stageOf = (name: string) => metrics.stages.find((s) => s.name === name);
      expect(stageOf('datagen')?.status).toBe('succeeded');
      expect(site!.maven.requests, 'Maven mirror requests').toContain('GET /org/apache/iceberg/iceberg-spark-runtime-4.0_2.13/1.10.1/iceberg-spark-runtime-4.0_2.13-1.10.1.jar');
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
        (pv) => pv.spec?.storageClassName === scratchStorageClass && pv.spec.claimRef,
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

      // Same data, same answers as the embedded platform (DuckDB on the host).
      const reference = await embedded!;
      expect(reference.verdict.status, JSON.stringify(reference.verdict.reasons)).toBe('PASSED');
      expect(metrics.datagen?.seed).toBe(reference.datagen?.seed);
      expect(metrics.data_fingerprint).toBe(reference.data_fingerprint);
      const fingerprints = (m: Metrics) => Object.fromEntries((m.benchmark?.queries ?? []).map((q) => [q.id, q.fingerprint]));
      expect(Object.keys(fingerprints(reference)).sort()).toEqual(QUERIES.map((q) => q.id).sort());
      expect(Object.values(fingerprints(metrics)).every((f) => typeof f === 'string' && f.length > 0)).toBe(true);
      expect(fingerprints(metrics)).toEqual(fingerprints(reference));
      timings.total = Math.round((Date.now() - started) / 1000);
    },
    35 * 60_000,
  );

  async function refusedWhileLeaseHeld(): Promise<void> {
    const leases = kc.makeApiClient(CoordinationV1Api);
    const deadline = Date.now() + 10 * 60_000;
    let holder: string | undefined;
    while (!holder) {
      holder = (await leases.readNamespacedLease({ namespace, name: 'lakebench-run' }).catch(() => undefined))?.spec?.holderIdentity ?? undefined;
      if (!holder && Date.now() > deadline) throw new Error(`the first run never took the Lease\n${await diagnose(`${release}-run-1`)}`);
      if (!holder) await sleep(3000);
    }
    const name = 'runner-second';
    await jobFromRunnerTemplate(name);
    try {
      const end = await waitForJobEnd(name, 5 * 60_000);
      expect(end.succeeded, 'a second run while the Lease is held').toBe(false);
      const pod = (await core.listNamespacedPod({ namespace, labelSelector: `job-name=${name}` })).items[0];
      const terminated = pod?.status?.containerStatuses?.find((c) => c.name === 'runner')?.state?.terminated;
      const log = await runnerLog(name);
      expect(terminated?.exitCode, log).toBe(2);
      expect(log).toContain(`another lakebench run holds the Lease lakebench-run in namespace ${namespace}: holder ${holder}`);
    } finally {
      await batch.deleteNamespacedJob({ namespace, name, propagationPolicy: 'Background' }).catch(() => undefined);
    }
  }

  const requireFirstRun = () => {
    if (!firstRunId) throw new Error('not run: the install has no finished run (see the first test)');
  };
  /** One statement through the Trino CLI in the coordinator pod, its rows as TSV. */
  const trino = async (sql: string): Promise<string[][]> => {
    const pod = (await core.listNamespacedPod({ namespace, labelSelector: 'app.kubernetes.io/component=trino-coordinator' })).items[0]?.metadata?.name ?? '';
    const { stdout } = await kubectl(['-n', namespace, 'exec', pod, '--', 'trino', '--output-format', 'TSV', '--execute', sql], 180_000);
    return stdout.split('\n').filter(Boolean).map((line) => line.split('\t'));
  };

  it('Prometheus in the release scraped the run (Spark drivers and their executor summaries per stage, the runner, Trino) and every panel of the shipped dashboard has data', async () => {
    requireFirstRun();
    const scraped = await assertPrometheusScrapes(kc, namespace, ['spark-driver', 'spark-executors', 'lakebench-runner', 'trino'], { since: installedAt, timeoutMs: 60_000 });
    // Every Spark stage's driver was scraped while it ran, labelled with its stage and this run.
    for (const job of ['spark-driver', 'spark-executors']) {
      const stages = new Set((scraped[job] ?? []).filter((m) => m.run_id === firstRunId).map((m) => m.stage));
      expect([...stages].sort(), `${job} targets of run ${firstRunId}`).toEqual([...sparkStages].sort());
    }
    expect((scraped.trino ?? []).map((m) => m.component).sort()).toEqual(['trino-coordinator', 'trino-worker']);
    const prometheus = prometheusThroughApiServer(kc, namespace);
    const panels = shippedDashboardPanels();
    expect(panels.length).toBeGreaterThan(0);
    expect(await panelQueriesWithoutData(prometheus, namespace, panels, installedAt, new Date(), scrapeIntervalS)).toEqual([]);
    // The queries-per-minute panel saw the benchmark's queries, not only zeros.
    const perMinute = panels.find((p) => p.title === 'Trino queries per minute')!.targets[0]!.expr.replaceAll('$namespace', namespace);
    expect(Math.max(...(await prometheus.queryRange(perMinute, installedAt, new Date(), scrapeIntervalS)).flatMap((r) => r.values.map(([, v]) => Number(v))))).toBeGreaterThan(0);
    // The dashboard's namespace variable, label_values(up, namespace), offers this release.
    expect(await prometheus.labelValues('namespace', 'up')).toContain(namespace);
    // The same queries over a window before the install return nothing, each reported: the check can fail.
    const before = await panelQueriesWithoutData(prometheus, namespace, panels, new Date(installedAt.getTime() - 15 * 60_000), new Date(installedAt.getTime() - 60_000), scrapeIntervalS);
    expect(before).toHaveLength(panels.flatMap((p) => p.targets).length);
    // A job of the configuration with no pod in this release (the Thrift server's) has no target, and the check says so.
    await expect(assertPrometheusScrapes(kc, namespace, ['spark-thrift'], { timeoutMs: 1 })).rejects.toThrow(/did not scrape spark-thrift successfully[^]*spark-thrift: no active target/);
  }, 5 * 60_000);

  it.skipIf(!exporterImageBuilt)('scrapes PostgreSQL through the exporter sidecar', async () => {
    requireFirstRun();
    await assertPrometheusScrapes(kc, namespace, ['postgres']);
  });

  it('runs Prometheus as nobody (65534) under the restricted standard, its TSDB in the chart\'s emptyDir, discovery and scrapes without an error', async () => {
    requireFirstRun();
    const pod = (await core.listNamespacedPod({ namespace, labelSelector: 'app.kubernetes.io/component=prometheus' })).items[0];
    expect(pod?.spec?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 });
    expect(pod?.spec?.containers[0]?.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    const status = pod?.status?.containerStatuses?.[0];
    expect(status?.image).toBe(prometheusImage);
    expect(status?.restartCount).toBe(0);
    const name = pod?.metadata?.name ?? '';
    const { stdout } = await kubectl(['-n', namespace, 'exec', name, '--', 'sh', '-c', 'id -u; id -g; ls /prometheus'], 60_000);
    expect(stdout.split('\n').slice(0, 2)).toEqual(['65534', '65534']);
    expect(stdout).toMatch(/^wal$/m);
    // Discovery through the Role (a forbidden watch logs an error), every scrape, the TSDB: no error on
    // the way but one. While a driver starts, Spark's UI answers every path with its "Spark is starting
    // up" page (text/html; SparkUI's initHandler until attachAllHandlers), which Prometheus 3 refuses
    // with an ERROR: expected in the first seconds of each stage (its scrapes succeed afterwards, above).
    const log = await core.readNamespacedPodLog({ namespace, name });
    expect(log).toMatch(/Server is ready to receive web requests/);
    const sparkStarting = (line: string) => /scrape_pool=spark-(driver|executors) /.test(line) && line.includes('content_type="text/html;charset=utf-8"');
    expect(log.split('\n').filter((line) => /level=ERROR/.test(line) && !sparkStarting(line))).toEqual([]);
  });

  it('writes both Iceberg tables under the catalog warehouse in the silver bucket (s3a://lakebench-silver/warehouse), bronze in its bucket, nothing in the gold bucket', async () => {
    requireFirstRun();
    // The runner's default warehouse for a Hive catalog (cluster-settings.ts): s3a://<silver bucket>/warehouse;
    // Iceberg's HiveCatalog puts a namespace at <warehouse>/<namespace>.db and a table in a folder of its name.
    const warehouse = 's3a://lakebench-silver/warehouse';
    const client = s3Client(site!.minio);
    try {
      const silverKeys = new Set(await listAllKeys(client, 'lakebench-silver'));
      for (const [schema, table] of [['silver', 'customer_interactions_enriched'], ['gold', 'customer_executive_dashboard']] as const) {
        const location = `${warehouse}/${schema}.db/${table}`;
        const ddl = (await trino(`SHOW CREATE TABLE lakehouse.${schema}.${table}`)).flat().join('\n');
        expect(ddl, `${schema}.${table}`).toContain(`location = '${location}'`);
        // Every data file the table's current snapshot names is an object under that location.
        const files = (await trino(`SELECT file_path FROM lakehouse.${schema}."${table}$files"`)).map((row) => row[0] ?? '');
        expect(files.length, `${schema}.${table} data files`).toBeGreaterThan(0);
        for (const file of files) {
          expect(file.startsWith(`${location}/data/`), file).toBe(true);
          expect(silverKeys.has(file.slice('s3a://lakebench-silver/'.length)), `${file} in MinIO`).toBe(true);
        }
        if (schema === 'gold') expect(files, 'gold is one file (docs/pipeline.md §1)').toHaveLength(1);
        const metadata = [...silverKeys].filter((k) => k.startsWith(`warehouse/${schema}.db/${table}/metadata/`) && k.endsWith('.metadata.json'));
        expect(metadata.length, `${schema}.${table} metadata`).toBeGreaterThan(0);
      }
      // Bronze: plain Parquet and the datagen manifest in the bronze bucket.
      const bronze = await listAllKeys(client, 'lakebench-bronze');
      expect(bronze.filter((k) => k.startsWith('customer/interactions/') && k.endsWith('.parquet'))).toHaveLength(firstMetrics?.datagen?.files ?? -1);
      expect(bronze).toContain('customer/_manifest/manifest.json');
      // The gold bucket is only for path-based Delta tables (tableFormat: delta): with Iceberg, nothing goes there.
      expect(await listAllKeys(client, 'lakebench-gold'), 'lakebench-gold').toEqual([]);
    } finally {
      client.destroy();
    }
  }, 5 * 60_000);

  /** A Job with the chart's runner pod (same ServiceAccount, config, security), as `kubectl create job --from` makes one. */
  async function jobFromRunnerTemplate(name: string, command?: string[]): Promise<void> {
    const chartJob = await batch.readNamespacedJob({ namespace, name: `${release}-run-1` });
    const template = structuredClone(chartJob.spec!.template);
    for (const key of Object.keys(template.metadata?.labels ?? {})) if (/controller-uid|job-name/.test(key)) delete template.metadata!.labels![key];
    if (command) template.spec!.containers[0]!.command = command;
    await batch.createNamespacedJob({ namespace, body: { metadata: { name }, spec: { backoffLimit: 0, template } } });
  }

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
    const client = s3Client(site!.minio);
    try {
      for (const bucket of lakehouseBuckets.filter((b) => b !== resultsBucket)) expect(await listAllKeys(client, bucket), `${bucket} after cleanup`).toEqual([]);
    } finally {
      client.destroy();
    }
    await batch.deleteNamespacedJob({ namespace, name, propagationPolicy: 'Background' });

    await helm(state, ['uninstall', release, '--namespace', namespace, '--wait', '--timeout', '3m'], 200_000);
    site!.installed = false;
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
