// Continuous mode on the kubernetes platform (docs/pipeline.md §8): the landing datagen Job and the
// three streaming SparkApplications of streaming-plan.ts, followed by one watch on the run's
// applications (states and restarts from the API, never polled), the jobs' reports read from their
// writer buckets, and the landed files' entries from the bronze bucket. Stop, in data order so each
// stage sees its input end before it is stopped: the landing first, then bronze-ingest, silver-stream
// and gold-refresh, each application deleted and its driver pod waited for, since the driver writes
// the job's final report in its termination grace period (SIGTERM, spark-scripts/lakebench_streaming.py).
import type { V1ConfigMap } from '@kubernetes/client-node';
import { BronzeBucket } from '../../../datagen/bronze-bucket.js';
import { DATA_PREFIX, dataKey } from '../../../datagen/datagen-task.js';
import { jobReportSchema, type JobReport } from '../../../model/streaming-job-report.js';
import { STREAMING_JOBS, type GoldCommit, type LandedFile, type MaintenanceRequest, type StreamingJob, type StreamingJobState, type StreamingObservation, type StreamingPlan, type StreamingRun } from '../../streaming.js';
import type { KubeClient } from '../client.js';
import { hasStatus } from '../client.js';
import { listed, jobSchema, safe } from '../objects.js';
import { waitForPodsGone } from '../pods-gone.js';
import { deleteSparkApplication, APP_NAME_LABEL, SPARK_GROUP, SPARK_PLURAL, SPARK_VERSION } from '../spark-monitor.js';
import { deleteConfigMap } from '../stage-runner.js';
import { watchUntil } from '../watch.js';
import { RUN_ID_LABEL, sparkApplicationName } from '../manifests/labels.js';
import { appView, streamingAppSchema, stoppedBy, type AppView, type StreamingApp } from './app-state.js';
import { readLandedFiles } from './cluster-landing.js';
import { DRIVER_STOP_GRACE_S, LANDING_JOB_NAME, streamingObjects, type StreamingObjects } from './streaming-plan.js';
import { landingEntriesPrefix, reportKey, STREAMING_JOB_DEFINITIONS } from './streaming-jobs.js';
import { clusterSettings } from '../manifests/cluster-settings.js';
import type { ClusterCpu } from './streaming-sizing.js';
import { streamsUp, StreamsNotUpError } from './streams-up.js';
import type { StreamingMaintenance } from './streaming-maintenance.js';
import type { MaintenanceActionRecord } from '../../../model/continuous-maintenance.js';

/** What the tables show, read through the query engine (gold's commits with their summaries, silver's rows). */
export interface TableProbe {
  read(): Promise<{ gold_commits: GoldCommit[]; silver_rows: number }>;
}

export type KubernetesStreamingOptions = {
  /** The cluster's CPU for the streaming budget (observed nodes, else the declared cluster.nodes). */
  cluster?: ClusterCpu;
  /** Reads gold's commits and silver's rows; without one, observe() reports none. */
  probe?: TableProbe;
  /** How long a deleted job's driver pod may take to write its report and go: default its grace period plus 30 s. */
  driverGoneSeconds?: number;
  onSubmitted?: (app: string) => void;
  onEnded?: (app: string) => void;
  /**
   * When set, start() resolves only once every job is up (its report written), so the run's duration
   * counts streaming time, not the minutes the operator and the drivers take to start; at most this long.
   */
  streamsUpTimeoutSeconds?: number;
  /** Retention and compaction passes on the run's tables (streaming-maintenance.ts); without one, none are made. */
  maintenance?: StreamingMaintenance;
};

/** How long the stop waits for the landing pod to go after its Job was deleted (it stops on SIGTERM). */
const LANDING_POD_GONE_S = 60;
/** How often the run re-reads the jobs' reports while it waits on them (coming up, the stop's catch-up). */
const REPORT_POLL_MS = 3000;

const appsPath = (ns: string) => `/apis/${SPARK_GROUP}/${SPARK_VERSION}/namespaces/${ns}/${SPARK_PLURAL}`;

export class KubernetesStreamingRun implements StreamingRun {
  private objects: StreamingObjects | undefined;
  private readonly apps = new Map<string, StreamingApp>();
  private readonly deleted = new Set<string>();
  private readonly watching = new AbortController();
  private watchDone: Promise<void> = Promise.resolve();
  private tables: { gold_commits: GoldCommit[]; silver_rows: number } = { gold_commits: [], silver_rows: 0 };
  private readonly landedSeen = new Map<string, LandedFile>();
  /** Set by stop(): each job's final state. */
  private final: StreamingJobState[] | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly plan: StreamingPlan,
    private readonly opts: KubernetesStreamingOptions = {},
  ) {}

  get maintenanceSkipReason(): string | null {
    return this.opts.maintenance ? this.opts.maintenance.skipReason : 'no query engine was given to maintain the tables';
  }

  async maintain(request: MaintenanceRequest): Promise<MaintenanceActionRecord[]> {
    if (!this.opts.maintenance) throw new Error(`no maintenance pass: ${this.maintenanceSkipReason}`);
    return this.opts.maintenance.maintain(request);
  }

  private get log(): (line: string) => void {
    return this.plan.log;
  }

  async start(): Promise<void> {
    const o = streamingObjects(this.plan.config, { runId: this.plan.runId, manifest: this.plan.base, referenceDate: this.plan.referenceDate, cluster: this.opts.cluster });
    this.objects = o;
    if (o.sizing.budget?.capped) this.log(`streaming budget: ${o.sizing.budget.budgetCpu.toFixed(1)} CPU for executors caps ${o.sizing.jobs.map((j) => `${j.job} ${j.executors}`).join(', ')}`);
    await this.ensureConfigMap(o.scripts, false);
    for (const cm of [o.landingTask, ...o.jobs.map((j) => j.document)]) await this.ensureConfigMap(cm, true);
    await this.deleteLandingJob();
    await this.removeStrayFiles();
    await this.client.call('job create', () => this.client.batch.createNamespacedJob({ namespace: this.client.namespace, body: o.landingJob }));
    this.log(`landing: Job ${LANDING_JOB_NAME} lands a file every ${(o.landing.interval_ms / 1000).toFixed(1)} s from index ${o.landing.first_index}`);
    this.watchDone = this.watchApps();
    for (const j of o.jobs) {
      const name = j.app.metadata.name;
      if (await deleteSparkApplication(this.client, name)) this.log(`${j.job}: deleted the previous SparkApplication ${name}`);
      await this.client.call('sparkapplication create', () =>
        this.client.custom.createNamespacedCustomObject({ group: SPARK_GROUP, version: SPARK_VERSION, namespace: this.client.namespace, plural: SPARK_PLURAL, body: j.app }),
      );
      this.opts.onSubmitted?.(name);
      this.log(`${j.job}: SparkApplication ${name} submitted (${j.sizing.executors} executors, restart on failure)`);
    }
    if (this.opts.streamsUpTimeoutSeconds !== undefined) await this.waitUntilUp(this.opts.streamsUpTimeoutSeconds);
  }

  /** Until every job wrote this run's report (streams-up.ts): throws when one dies first or the time runs out. */
  private async waitUntilUp(timeoutSeconds: number): Promise<void> {
    const started = Date.now();
    for (;;) {
      const jobs = await Promise.all(STREAMING_JOBS.map(async (job) => ({ job, view: this.view(job), reportWritten: (await this.readReport(job)) !== undefined })));
      const up = streamsUp(jobs);
      if (up.kind === 'up') {
        this.log(`streaming: all three jobs up after ${((Date.now() - started) / 1000).toFixed(0)} s; the run's duration starts now`);
        return;
      }
      if (up.kind === 'failed') throw new StreamsNotUpError(`${up.job} died before the streaming jobs were up: ${up.error}`);
      if (Date.now() - started > timeoutSeconds * 1000) throw new StreamsNotUpError(`the streaming jobs were not up after ${timeoutSeconds} s; still waiting for ${up.waitingFor.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, REPORT_POLL_MS));
    }
  }

  async observe(): Promise<StreamingObservation> {
    const jobs = this.final ?? (await Promise.all(STREAMING_JOBS.map((job) => this.jobState(job, this.view(job), null))));
    const bronze = this.bucket('bronze');
    try {
      const landed = await readLandedFiles(bronze, landingEntriesPrefix(this.plan.runId), this.landedSeen);
      return { observed_at: new Date().toISOString(), landed, jobs, ...(await this.readTables()) };
    } finally {
      bronze.destroy();
    }
  }

  async stop(reason: 'duration' | 'signal' = 'duration'): Promise<StreamingJobState[]> {
    if (this.final) return this.final;
    await this.deleteLandingJob();
    if (reason === 'duration') await this.drainBronze();
    // All three at once: each driver's preStop hook lets its running batch finish (a gold refresh takes
    // minutes on a small cluster), and no job starts a batch once it is stopping, so stopping them one
    // after the other would only add their stops up.
    const states = await Promise.all(
      STREAMING_JOBS.map(async (job): Promise<StreamingJobState> => {
        const name = sparkApplicationName(job);
        const before = this.view(job);
        if (before.phase !== 'deleted') {
          await deleteSparkApplication(this.client, name).catch((e: unknown) => this.log(`${job}: could not delete ${name}: ${(e as Error).message}`));
          await this.driverGone(name);
        }
        this.opts.onEnded?.(name);
        return this.jobState(job, before, stoppedBy(before, reason));
      }),
    );
    this.watching.abort();
    await this.watchDone;
    await this.cleanUp();
    this.final = states;
    return states;
  }

  /**
   * The stop's catch-up (as the embedded platform's): with the landing stopped, bronze-ingest gets up to
   * two of its triggers to take the files that landed since its last batch, so a pipeline that keeps
   * up ends with every landed row in bronze_raw, and one that does not shows its backlog in the ingest
   * ratio. Without it, the rows of the last trigger's files (4 % at two files a minute on the real
   * node) counted against the ingest ratio of a pipeline that was keeping up.
   */
  private async drainBronze(): Promise<void> {
    if (this.view('bronze-ingest').phase !== 'running') return;
    const limitSeconds = 2 * this.plan.config.continuous.triggers.bronzeSeconds;
    const started = Date.now();
    const bronze = this.bucket('bronze');
    try {
      for (;;) {
        const landedFiles = await readLandedFiles(bronze, landingEntriesPrefix(this.plan.runId), this.landedSeen);
        const landed = this.plan.base.totals.total_rows + landedFiles.reduce((n, f) => n + f.rows, 0);
        const ingested = ((await this.readReport('bronze-ingest'))?.batches ?? []).reduce((n, b) => n + b.rows, 0);
        const waited = (Date.now() - started) / 1000;
        if (ingested >= landed) {
          this.log(`stop: bronze-ingest holds every landed row (${ingested}) after ${waited.toFixed(0)} s`);
          return;
        }
        if (waited >= limitSeconds) {
          this.log(`stop: bronze-ingest holds ${ingested} of ${landed} landed rows after ${limitSeconds} s (two triggers); stopping it with the rest not ingested`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, REPORT_POLL_MS));
      }
    } finally {
      bronze.destroy();
    }
  }

  /** Interruption of the whole run: stop everything without waiting for reports. */
  async abort(): Promise<void> {
    this.watching.abort();
    await this.deleteLandingJob().catch(() => undefined);
  }

  /** The tables as last read: a query engine that cannot answer now (still starting, restarted) keeps the previous reading, logged. */
  private async readTables(): Promise<{ gold_commits: GoldCommit[]; silver_rows: number }> {
    if (!this.opts.probe) return this.tables;
    try {
      this.tables = await this.opts.probe.read();
    } catch (e) {
      this.log(`gold commits and silver rows not read this time: ${(e as Error).message}`);
    }
    return this.tables;
  }

  private view(job: StreamingJob): AppView {
    const name = sparkApplicationName(job);
    return appView(this.apps.get(name), this.deleted.has(name));
  }

  private async jobState(job: StreamingJob, view: AppView, stopped: StreamingJobState['stopped_by']): Promise<StreamingJobState> {
    const report = await this.readReport(job);
    const error = view.error ?? report?.error;
    // While the run lasts: an application the operator gave up on is 'failed'; one that ended or
    // went otherwise says what its report says.
    const ended = view.phase === 'failed' ? 'failed' : view.phase === 'running' ? null : (report?.stopped_by ?? null);
    return {
      job,
      state: stopped === null && view.phase === 'running' ? 'running' : 'stopped',
      stopped_by: stopped ?? ended,
      restarts: view.restarts,
      batches: report?.batches ?? [],
      ...(error ? { error } : {}),
    };
  }

  private async readReport(job: StreamingJob): Promise<JobReport | undefined> {
    const def = STREAMING_JOB_DEFINITIONS.find((d) => d.job === job)!;
    const bucket = this.bucket(def.writer);
    const key = reportKey(this.plan.continuous, this.plan.runId, job);
    try {
      const raw = await bucket.getJson(key);
      if (raw === undefined) return undefined;
      const parsed = jobReportSchema.safeParse(raw);
      if (!parsed.success) {
        this.log(`${job}: ignoring its report s3://${bucket.bucket}/${key}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
        return undefined;
      }
      return parsed.data.run_id === this.plan.runId ? parsed.data : undefined;
    } catch (e) {
      this.log(`${job}: cannot read its report s3://${bucket.bucket}/${key}: ${(e as Error).message}`);
      return undefined;
    } finally {
      bucket.destroy();
    }
  }

  private bucket(layer: 'bronze' | 'silver' | 'gold'): BronzeBucket {
    const s = this.objects?.settings ?? clusterSettings(this.plan.config);
    return new BronzeBucket({ endpoint: s.storage.endpoint, region: s.storage.region, path_style: s.storage.pathStyle, bucket: s.buckets[layer] });
  }

  /** One watch on this run's applications for the whole run: each (re)list replaces what was known. */
  private watchApps(): Promise<void> {
    const ns = this.client.namespace;
    const labelSelector = `${RUN_ID_LABEL}=${this.plan.runId},app.kubernetes.io/component=spark`;
    return watchUntil<StreamingApp>(this.client, {
      what: 'sparkapplication',
      path: appsPath(ns),
      labelSelector,
      list: async () => listed(await this.client.custom.listNamespacedCustomObject({ group: SPARK_GROUP, version: SPARK_VERSION, namespace: ns, plural: SPARK_PLURAL, labelSelector })),
      parse: safe(streamingAppSchema),
      onListed: (items) => {
        for (const name of this.apps.keys()) if (!items.some((i) => i.metadata.name === name)) this.deleted.add(name);
        this.apps.clear();
        return false;
      },
      onObject: (type, app) => {
        const name = app.metadata.name;
        if (type === 'DELETED') {
          this.deleted.add(name);
          return false;
        }
        const was = appView(this.apps.get(name), false);
        this.apps.set(name, app);
        this.deleted.delete(name);
        const now = appView(app, false);
        if (was.state !== now.state) this.log(`${name}: ${now.state}${now.restarts > 0 ? ` (restarts: ${now.restarts})` : ''}`);
        return false;
      },
      signal: this.watching.signal,
      log: this.log,
    }).then(
      () => undefined,
      (e: unknown) => {
        if (!this.watching.signal.aborted) this.log(`streaming applications: watch ended: ${(e as Error).message}`);
      },
    );
  }

  /** Waits (by watch) until the application's pods are gone: the driver has written its report by then. */
  private async driverGone(app: string): Promise<void> {
    const seconds = this.opts.driverGoneSeconds ?? DRIVER_STOP_GRACE_S + 30;
    const left = await waitForPodsGone(this.client, `${APP_NAME_LABEL}=${app}`, seconds);
    if (left.length > 0) this.log(`${app}: pods still there ${seconds} s after the application was deleted (${left.join(', ')}); reading its report as it is`);
  }

  private async deleteLandingJob(): Promise<void> {
    const ns = this.client.namespace;
    try {
      await this.client.call('job delete', () => this.client.batch.deleteNamespacedJob({ namespace: ns, name: LANDING_JOB_NAME, propagationPolicy: 'Background' }));
    } catch (e) {
      if (hasStatus(e, 404)) return;
      throw e;
    }
    const fieldSelector = `metadata.name=${LANDING_JOB_NAME}`;
    await watchUntil(this.client, {
      what: 'job',
      path: `/apis/batch/v1/namespaces/${ns}/jobs`,
      fieldSelector,
      list: async () => listed(await this.client.batch.listNamespacedJob({ namespace: ns, fieldSelector })),
      parse: safe(jobSchema),
      onListed: (items) => items.length === 0,
      onObject: (type) => type === 'DELETED',
      signal: AbortSignal.timeout(120_000),
    });
    // And its pod: no file lands once this returns, so the stop's catch-up and the ingest ratio count a
    // landed set that no longer grows. (Foreground deletion would say the same, but only where the
    // garbage collector runs.)
    const left = await waitForPodsGone(this.client, `job-name=${LANDING_JOB_NAME}`, LANDING_POD_GONE_S);
    if (left.length > 0) this.log(`landing: pod ${left.join(', ')} still there ${LANDING_POD_GONE_S} s after its Job was deleted`);
  }

  /**
   * The run's documents go, and the landed files leave the data prefix: a later batch run reads the
   * base set its manifest names. Their entries (with landed_at) stay, and so do the tables they fed.
   */
  private async cleanUp(): Promise<void> {
    const o = this.objects;
    if (!o) return;
    for (const cm of [o.landingTask, ...o.jobs.map((j) => j.document)]) await deleteConfigMap(this.client, cm.metadata.name).catch((e: unknown) => this.log(`could not delete ${cm.metadata.name}: ${(e as Error).message}`));
    const bronze = this.bucket('bronze');
    try {
      const landed = await readLandedFiles(bronze, o.landing.entries_prefix, this.landedSeen);
      await bronze.delete(landed.map((f) => dataKey(f.index)));
      if (landed.length > 0) this.log(`landing: removed the ${landed.length} landed files from the data prefix (their entries stay under ${o.landing.entries_prefix})`);
    } catch (e) {
      this.log(`landing: could not remove the landed files: ${(e as Error).message}`);
    } finally {
      bronze.destroy();
    }
  }

  /**
   * Data files the base manifest does not name (extra files an interrupted continuous run left): the
   * new run's bronze-ingest would stream them as if they had landed now.
   */
  private async removeStrayFiles(): Promise<void> {
    const bronze = this.bucket('bronze');
    try {
      const base = new Set(Array.from({ length: this.plan.base.totals.file_count }, (_, i) => dataKey(i)));
      const stray = (await bronze.list(DATA_PREFIX)).map((o) => o.key).filter((k) => !base.has(k));
      await bronze.delete(stray);
      if (stray.length > 0) this.log(`landing: removed ${stray.length} files an earlier run left in the data prefix (first ${stray[0]})`);
    } finally {
      bronze.destroy();
    }
  }

  private async ensureConfigMap(cm: V1ConfigMap, replace: boolean): Promise<void> {
    const ns = this.client.namespace;
    const name = cm.metadata?.name ?? '';
    try {
      await this.client.call('configmap create', () => this.client.core.createNamespacedConfigMap({ namespace: ns, body: cm }));
    } catch (e) {
      if (!hasStatus(e, 409)) throw e;
      if (!replace) return;
      const current = await this.client.call('configmap get', () => this.client.core.readNamespacedConfigMap({ namespace: ns, name }));
      await this.client.call('configmap update', () => this.client.core.replaceNamespacedConfigMap({ namespace: ns, name, body: { ...cm, metadata: { ...cm.metadata, resourceVersion: current.metadata?.resourceVersion } } }));
    }
  }
}
