// A short continuous run on the real node (README "Continuous mode"): the chart's runner Job with
// `runner.config.pipeline.mode: continuous` (+ runner-overlay.yaml, scale 0.01, and
// continuous-overlay.yaml: a 480 s run, triggers of 30 / 45 / 60 s, a round every two minutes, one executor per streaming
// job at the smallest requests) next to the real Spark Operator. The runner generates the base set with
// its Indexed Job, starts the landing Job and the three streaming SparkApplications (bronze-ingest,
// silver-stream, gold-refresh), whose drivers and executors run as pods and write Iceberg tables through
// the Hive Metastore; node-cron fires in-stream rounds on Trino; at the duration the runner stops and
// deletes the applications and the landing Job and publishes metrics.json and the report. Checked from
// the tables themselves where the facts live there: gold's snapshot summaries carry the silver time each
// refresh covered, and each round read one of them; silver's snapshots show rows grew after the first round.
import { BatchV1Api, CustomObjectsApi, type KubeConfig, type V1Job } from '@kubernetes/client-node';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_SATURATION_RATIO } from '../../runner/src/config/defaults.js';
import { metricsSchema, type Metrics } from '../../runner/src/model/metrics.js';
import { configSchema } from '../../runner/src/config/schema.js';
import { jobReportSchema } from '../../runner/src/model/streaming-job-report.js';
import { reportKey, STREAMING_JOB_DEFINITIONS } from '../../runner/src/platforms/kubernetes/streaming/streaming-jobs.js';
import { FRESHNESS_MAX_SHARE } from '../../runner/src/model/continuous-verdict.js';
import { QUERIES } from '../../runner/src/sql/queries.js';
import { s3Client } from '../harness/engines/s3.js';
import { nodeBinaries } from '../harness/node/binaries.js';
import { describePods } from '../harness/node/describe.js';
import { ensureNode } from '../harness/node/shared.js';
import type { NodeState } from '../harness/node/state.js';
import { installLakehouse, prepareRunnerSite, teardownRunnerSite, type RunnerSite } from './fixtures/lakehouse-release.js';

const run = promisify(execFile);
const namespace = `continuous-${Date.now().toString(36)}`;
const release = 'lakebench';
const jobName = `${release}-run-1`;
const resultsBucket = 'lakebench-results';
const streamingApps = ['lakebench-bronze-ingest', 'lakebench-silver-stream', 'lakebench-gold-refresh'];
const landingJob = 'lakebench-landing';
const RUN_ID_LABEL = 'lakebench.io/run-id';
const SPARK = { group: 'sparkoperator.k8s.io', version: 'v1beta2', plural: 'sparkapplications' };
const durationSeconds = 480; // continuous-overlay.yaml
// Datagen, the streams' start, the duration, the stop (the round in flight, the catch-up, each driver's
// clean stop with its report) and publishing: 14.8 min measured, 24 allowed.
const runDeadlineMs = 24 * 60_000;
// One per executor the three jobs start, plus the operator's restarts of a failed one.
const scratchVolumes = 8;
const silverTable = 'lakehouse.silver."customer_interactions_enriched$snapshots"';
const goldTable = 'lakehouse.gold."customer_executive_dashboard$snapshots"';
const coveredKey = 'lakebench.source-max-processing-ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type AppItem = { metadata: { name: string; labels?: Record<string, string> }; status?: { applicationState?: { state?: string } } };

describe('a continuous run on the real node (profile-tiny, hive-iceberg-trino, scale 0.01, 480 s)', () => {
  let state: NodeState;
  let kc: KubeConfig;
  let batch: BatchV1Api;
  let custom: CustomObjectsApi;
  let site: RunnerSite | undefined;
  const timings: Record<string, number> = {};

  const kubectl = (args: string[], timeout = 300_000) => run(nodeBinaries.kubectl, ['--kubeconfig', state.kubeconfigPath, ...args], { timeout, maxBuffer: 64 * 1024 * 1024 });
  const runnerLog = async (): Promise<string> => {
    const pods = (await site!.core.listNamespacedPod({ namespace, labelSelector: `job-name=${jobName}` })).items;
    const logs = await Promise.all(pods.map((p) => site!.core.readNamespacedPodLog({ namespace, name: p.metadata?.name ?? '', container: 'runner' }).catch((e: unknown) => `(no log: ${String(e)})`)));
    return logs.join('\n');
  };
  /** The Trino pods' log tails: what a run whose rounds never reached Trino needs. */
  const trinoLogs = async (): Promise<string> => {
    const pods = (await site!.core.listNamespacedPod({ namespace, labelSelector: 'app.kubernetes.io/component in (trino-coordinator,trino-worker)' })).items;
    const tails = await Promise.all(
      pods.map(async (p) => `--- ${p.metadata?.name} (restarts ${p.status?.containerStatuses?.[0]?.restartCount ?? '?'}):\n${await site!.core.readNamespacedPodLog({ namespace, name: p.metadata?.name ?? '', tailLines: 60 }).catch((e: unknown) => `(no log: ${String(e)})`)}`),
    );
    return tails.join('\n') || '(no Trino pod)';
  };
  const diagnose = async () => `--- runner log (tail):\n${(await runnerLog()).split('\n').slice(-120).join('\n')}\n--- pods:\n${await describePods(kc, namespace)}\n--- operator:\n${await describePods(kc, site!.operatorNamespace)}`;
  /** One statement through the Trino CLI in the coordinator pod, its rows as TSV. */
  const trino = async (sql: string): Promise<string[][]> => {
    const pod = (await site!.core.listNamespacedPod({ namespace, labelSelector: 'app.kubernetes.io/component=trino-coordinator' })).items[0]?.metadata?.name ?? '';
    const { stdout } = await kubectl(['-n', namespace, 'exec', pod, '--', 'trino', '--output-format', 'TSV', '--execute', sql], 180_000);
    return stdout.split('\n').filter(Boolean).map((line) => line.split('\t'));
  };
  const readObject = async (bucket: string, key: string): Promise<string> => {
    const client = s3Client(site!.minio);
    try {
      return await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
    } finally {
      client.destroy();
    }
  };
  const readResult = (key: string) => readObject(resultsBucket, key);

  beforeAll(async () => {
    state = await ensureNode(inject('lakebenchNodeOwnerPid'));
    const started = Date.now();
    await prepareRunnerSite(state, { namespace, release, scratchVolumes, onSite: (s) => (site = s) });
    kc = site!.kc;
    batch = kc.makeApiClient(BatchV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
    timings.siteReady = Math.round((Date.now() - started) / 1000);
  }, 15 * 60_000);

  afterAll(async () => {
    const started = Date.now();
    await teardownRunnerSite(site);
    timings.teardown = Math.round((Date.now() - started) / 1000);
    console.log(`continuous timings (s): ${JSON.stringify(timings)}`);
  }, 10 * 60_000);

  it(
    'streams bronze → silver → gold through three SparkApplications while files land, runs rounds 8/8 on Trino, stops them at the duration and publishes the continuous scorecard',
    async () => {
      const started = Date.now();
      await installLakehouse(site!, { overlays: ['runner-overlay.yaml', 'continuous-overlay.yaml'], sets: [`spark.mavenRepository=${site!.maven.url}`] });
      // While the run lasts: which streaming applications ran at once, and whether the landing Job existed.
      const seenRunning = new Set<string>();
      let landingSeen = false;
      let streamsStartedAt: number | undefined;
      // Each driver's log as last read before the runner deleted it: what a failure below needs.
      const driverLogs = new Map<string, string>();
      let job: V1Job;
      for (;;) {
        job = await batch.readNamespacedJobStatus({ namespace, name: jobName });
        if ((job.status?.succeeded ?? 0) > 0 || (job.status?.failed ?? 0) > 0) break;
        if (Date.now() - started > runDeadlineMs) throw new Error(`Job ${jobName} not done after ${runDeadlineMs / 1000} s\n${await diagnose()}`);
        const apps = ((await custom.listNamespacedCustomObject({ ...SPARK, namespace })) as { items: AppItem[] }).items;
        for (const a of apps) if (a.status?.applicationState?.state === 'RUNNING') seenRunning.add(a.metadata.name);
        if (apps.length > 0) streamsStartedAt ??= Date.now();
        landingSeen ||= (await batch.listNamespacedJob({ namespace, fieldSelector: `metadata.name=${landingJob}` })).items.length > 0;
        for (const d of (await site!.core.listNamespacedPod({ namespace, labelSelector: 'spark-role=driver' })).items.filter((p) => p.status?.phase === 'Running')) {
          const name = d.metadata?.name ?? '';
          const tail = await site!.core.readNamespacedPodLog({ namespace, name, container: 'spark-kubernetes-driver', tailLines: 40 }).catch(() => undefined);
          if (tail) driverLogs.set(name, tail);
        }
        await sleep(5000);
      }
      const runDone = Date.now();
      timings.installToRunDone = Math.round((runDone - started) / 1000);
      if (streamsStartedAt) timings.streamsToRunDone = Math.round((runDone - streamsStartedAt) / 1000);
      const log = await runnerLog();
      const drivers = [...driverLogs].map(([name, tail]) => `--- driver ${name} (last read):\n${tail}`).join('\n');
      const failure = `${(job.status?.succeeded ?? 0) > 0 ? '' : `Job ${jobName} failed\n${await diagnose()}\n`}${drivers}`;
      // The continuous capacity preflight judged the node's free room with the streaming pods' requests.
      expect(log, failure).toMatch(/capacity preflight \(continuous\): scale 0\.01 needs [\d.]+ CPU \/ [\d.]+ GiB \(streaming executors .*\), .*free [\d.]+ CPU/);
      // The run's duration started once the three jobs were up (their reports written), not at their submission.
      const upAfter = /streaming: all three jobs up after (\d+) s; the run's duration starts now/.exec(log);
      expect(upAfter, `the runner waited for the jobs to be up\n${failure}`).not.toBeNull();
      timings.streamsUpAfterSubmission = Number(upAfter![1]);
      expect(landingSeen, `the landing Job ran\n${failure}`).toBe(true);
      expect([...seenRunning].sort(), `streaming applications seen RUNNING\n${failure}`).toEqual(expect.arrayContaining(streamingApps));

      // Published: run.json complete, metrics.json and the report in the results bucket.
      const client = s3Client(site!.minio);
      let runIds: string[];
      try {
        const listed = await client.send(new ListObjectsV2Command({ Bucket: resultsBucket, Prefix: 'runs/' }));
        runIds = [...new Set((listed.Contents ?? []).map((o) => (o.Key ?? '').split('/')[1] ?? '').filter(Boolean))];
      } finally {
        client.destroy();
      }
      expect(runIds, failure).toHaveLength(1);
      const runId = runIds[0]!;
      expect((JSON.parse(await readResult(`runs/${runId}/run.json`)) as { state: string }).state, failure).toBe('complete');
      const metrics: Metrics = metricsSchema.parse(JSON.parse(await readResult(`runs/${runId}/metrics.json`)));
      const report = await readResult(`runs/${runId}/report.html`);
      const c = metrics.continuous;
      console.log(`continuous run ${runId}: verdict ${metrics.verdict.status} ${JSON.stringify(metrics.verdict.reasons)}; scorecard ${JSON.stringify(c?.scorecard)}; jobs ${JSON.stringify(c?.jobs)}; rounds ${JSON.stringify(c?.rounds.map((r) => [r.round_index, r.status, r.skip_reason, r.failed_queries, r.qph]))}`);
      expect(metrics.mode).toBe('continuous');
      expect(metrics.platform).toBe('kubernetes');
      expect(c, 'the continuous block').toBeTruthy();
      expect(report).toContain(runId);

      // The operator submitted each application at the first attempt: its spark-submits, run side by side,
      // each resolved the packages into a cache of its own (one shared Ivy cache failed them all).
      const submitFailures = (await site!.core.listNamespacedEvent({ namespace, fieldSelector: 'reason=SparkApplicationSubmissionFailed' })).items;
      expect(submitFailures.map((e) => `${e.involvedObject.name}: ${(e.message ?? '').split('\n').filter((l) => /FAILED|Exception|impossible/.test(l)).slice(0, 3).join(' | ')}`)).toEqual([]);

      // Each job ran micro-batches and was stopped by the runner at the duration, not failed, not restarted.
      expect(c!.jobs.map((j) => [j.job, j.stopped_by, j.restarts, j.error]), failure).toEqual([
        ['bronze-ingest', 'duration', 0, null],
        ['silver-stream', 'duration', 0, null],
        ['gold-refresh', 'duration', 0, null],
      ]);
      for (const j of c!.jobs) expect(j.batches, `${j.job} micro-batches\n${failure}`).toBeGreaterThan(0);
      // …and each stopped itself: its report, rewritten after every batch, ends with stopped_by "signal",
      // written by the job's clean stop once the driver's preStop hook signalled it (a driver killed
      // from the JVM's shutdown hook leaves its last batch's report, stopped_by null).
      const defaults = configSchema.parse({ pipeline: { mode: 'continuous' } }).continuous;
      for (const def of STREAMING_JOB_DEFINITIONS) {
        const report = jobReportSchema.parse(JSON.parse(await readObject(`lakebench-${def.writer}`, reportKey(defaults, runId, def.job))));
        expect([def.job, report.stopped_by, report.error ?? null], `${def.job}'s own report\n${drivers}`).toEqual([def.job, 'signal', null]);
      }
      expect(c!.duration_seconds).toBeGreaterThanOrEqual(durationSeconds);
      // Files kept landing after the base set.
      expect(c!.landed.extra_files, 'files landed during the run').toBeGreaterThan(0);

      // Rounds ran on Trino once gold had committed (the firings before are recorded skips), every query of
      // each succeeded. One at least: on this node a round takes up to two minutes and gold's first
      // commit comes 150–240 s into the 480 s run.
      const completed = c!.rounds.filter((r) => r.status === 'completed');
      if (completed.length === 0) expect.fail(`no round completed: ${JSON.stringify(c!.rounds.map((r) => [r.status, r.skip_reason, r.error]))}\n${await trinoLogs()}`);
      for (const r of c!.rounds.filter((r) => r.status === 'skipped')) expect(r.skip_reason, `round ${r.round_index}`).toMatch(/^(gold has no commit yet|round \d+ was still running)$/);
      for (const r of completed) {
        expect(r.queries.map((q) => q.id).sort(), `round ${r.round_index}`).toEqual(QUERIES.map((q) => q.id).sort());
        expect(r.failed_queries, `round ${r.round_index}`).toEqual([]);
        expect(r.queries.every((q) => q.success), `round ${r.round_index}`).toBe(true);
      }
      // The continuous scorecard, with freshness measured.
      const s = c!.scorecard;
      expect(s.benchmark_rounds_count).toBe(completed.length);
      expect(s.data_freshness_seconds, 'data freshness').not.toBeNull();
      expect(s.query_time_freshness_seconds, 'query-time freshness').not.toBeNull();
      expect(s.in_stream_composite_qph).toBeGreaterThan(0);
      // The landing stopped first, then bronze-ingest took what had landed since its last batch (the stop's
      // catch-up, up to two triggers): a pipeline keeping up, as bronze does here (batches of seconds
      // against a 30 s trigger), ends with every landed row in bronze_raw. Without the catch-up: 0.958.
      expect(s.ingest_ratio, JSON.stringify(s)).toBe(1);
      // The verdict follows the figures: each saturation reason is there exactly when its figure is past its
      // limit (on this node the pipeline runs near them: gold 125–316 s stale of 240 s allowed; silver
      // 0–143 s behind of 150 s, 0–48 s since the jobs run to the window's close), nothing else fails the run (no job died, gold committed, every round
      // passed), and the only warnings are the locally imported images' missing digests.
      const codes = (severity: string) => metrics.verdict.reasons.filter((r) => r.severity === severity).map((r) => r.code);
      const expectedFailed = [
        ...(s.ingest_ratio !== null && s.ingest_ratio < DEFAULT_SATURATION_RATIO ? ['INGEST_RATIO_LOW'] : []),
        ...(s.silver_lag_seconds! > s.silver_lag_max_seconds! ? ['SILVER_LAG_HIGH'] : []),
        ...(s.data_freshness_seconds! > FRESHNESS_MAX_SHARE * c!.duration_seconds ? ['FRESHNESS_TOO_OLD'] : []),
      ];
      expect(codes('FAILED').sort(), JSON.stringify(s)).toEqual(expectedFailed.sort());
      expect(metrics.verdict.status).toBe(expectedFailed.length > 0 ? 'FAILED' : 'WARNING');
      expect([...new Set(codes('WARNING'))], JSON.stringify(metrics.verdict.reasons)).toEqual(['IMAGE_WITHOUT_DIGEST']);

      // Nothing of the run is left running: no SparkApplication, no landing Job, no Spark pod of the run.
      const apps = ((await custom.listNamespacedCustomObject({ ...SPARK, namespace })) as { items: AppItem[] }).items;
      expect(apps.map((a) => a.metadata.name), 'SparkApplications after the run').toEqual([]);
      await expect(batch.readNamespacedJob({ namespace, name: landingJob }), 'the landing Job after the run').rejects.toThrow(/404|not found/i);
      const deadline = Date.now() + 120_000;
      let pods = (await site!.core.listNamespacedPod({ namespace, labelSelector: `${RUN_ID_LABEL}=${runId},spark-role` })).items;
      while (pods.length > 0 && Date.now() < deadline) {
        await sleep(3000);
        pods = (await site!.core.listNamespacedPod({ namespace, labelSelector: `${RUN_ID_LABEL}=${runId},spark-role` })).items;
      }
      expect(pods.map((p) => p.metadata?.name), 'Spark pods of the run').toEqual([]);

      // From the tables. Gold: each refresh's snapshot summary names the newest silver processing time it
      // covered, and that time advanced from one refresh to the next. On this node a refresh takes 96–278 s,
      // so the 480 s run commits gold once or twice (the engines tier's streaming test checks the advance
      // over several refreshes).
      const gold = await trino(`SELECT CAST(snapshot_id AS varchar), CAST(to_unixtime(committed_at) AS varchar), element_at(summary, '${coveredKey}') FROM ${goldTable} ORDER BY committed_at`);
      const covered = gold.map((row) => row[2] ?? '').filter((v) => v !== '' && v !== 'NULL');
      expect(covered.length, `gold snapshots with ${coveredKey}: ${JSON.stringify(gold)}`).toBeGreaterThanOrEqual(1);
      const coveredMs = covered.map((v) => Date.parse(v));
      // The scorecard's data freshness is the worst of these refreshes: commit time − the silver time covered.
      const refreshes = gold.filter((row) => row[2] && row[2] !== 'NULL').map((row) => Number(row[1]) - Date.parse(row[2]!) / 1000);
      expect(Math.abs(Math.max(...refreshes) - s.data_freshness_seconds!), `refresh freshness from gold's snapshots: ${refreshes.join(', ')}`).toBeLessThan(0.01);
      expect(coveredMs.every((t) => Number.isFinite(t)), covered.join(', ')).toBe(true);
      expect(coveredMs.every((t, i) => i === 0 || t > coveredMs[i - 1]!), covered.join(', ')).toBe(true);
      // Each round read one of those snapshots, and its covered time is the snapshot's own.
      const bySnapshot = new Map(gold.map((row) => [row[0] ?? '', row[2] ?? '']));
      for (const r of completed) {
        expect(bySnapshot.has(r.gold_commit_id ?? ''), `round ${r.round_index} read gold snapshot ${r.gold_commit_id}`).toBe(true);
        expect(Date.parse(r.source_max_processing_ts ?? ''), `round ${r.round_index}`).toBe(Date.parse(bySnapshot.get(r.gold_commit_id ?? '') ?? ''));
      }
      // Silver: its rows (the snapshot summaries' total-records) grew after the first round started: files
      // kept landing and streaming in while rounds read gold.
      const silver = (await trino(`SELECT CAST(to_unixtime(committed_at) AS varchar), element_at(summary, 'total-records') FROM ${silverTable} ORDER BY committed_at`)).map(
        (row) => ({ at: Number(row[0]) * 1000, rows: Number(row[1]) }),
      );
      const silverRowsAt = (iso: string | null) => silver.filter((x) => x.at <= Date.parse(iso ?? '')).at(-1)?.rows ?? 0;
      const first = completed[0]!;
      expect(c!.window, "the window in metrics.json").toBeDefined();
      expect(silverRowsAt(c!.window!.closed_at), `silver rows at the window's close vs at round ${first.round_index}: ${JSON.stringify(silver)}`).toBeGreaterThan(silverRowsAt(first.start_time));
      timings.total = Math.round((Date.now() - started) / 1000);
    },
    30 * 60_000,
  );
});
