// The kubernetes platform: datagen as an Indexed Job, each batch stage as a SparkApplication
// watched to its end, the benchmark through the in-cluster query engine. It keeps the names of the
// applications it has running so an interruption can stop exactly those (run-guard.ts). With the
// `guard` option (the CLI always sets it) it also owns the run's lifecycle: capacity check, the
// namespace's run Lease, stale run records marked incomplete, heartbeats and SIGTERM clean-up.
import os from 'node:os';
import type { LakebenchConfig } from '../../config/schema.js';
import type { Manifest } from '../../datagen/manifest.js';
import { manifestSchema } from '../../datagen/manifest.js';
import { canonicalJson } from '../../datagen/dataset.js';
import { clusterDatasetParams, MANIFEST_KEY } from '../../datagen/datagen-task.js';
import { BronzeBucket } from '../../datagen/bronze-bucket.js';
import type { QueryEngine } from '../../engines/engine.js';
import { clusterEngineType, openClusterQueryEngine } from '../../engines/cluster-engine.js';
import type { ObjectStore } from '../../storage/object-store.js';
import type { BatchStage, StageReport } from '../../model/stage-report.js';
import { BadInputError } from '../../util/errors.js';
import type { Platform, RunContext, RunHooks, StageResources } from '../platform.js';
import { LEASE_NAME, RunLease } from './lease.js';
import { RunGuard, markStaleRuns } from './run-guard.js';
import type { KubeClient } from './client.js';
import { clusterSettings, type ClusterSettings } from './manifests/cluster-settings.js';
import { stageSizing } from './manifests/spark-application.js';
import { runSparkStage } from './stage-runner.js';
import { runDatagenJob } from './datagen-runner.js';
import { deleteSparkApplication } from './spark-monitor.js';
import { capacityPreflight } from './capacity.js';
import { checkClusterContinuous, openClusterStreaming } from './continuous.js';
import type { KubernetesStreamingRun } from './streaming/kubernetes-streaming-run.js';
import type { StreamingPlan, StreamingRun } from '../streaming.js';

export type KubernetesPlatformOptions = {
  /** Per-job timeout in seconds (docs/pipeline.md §9.3: default max(3600, scale × 60), --timeout). */
  timeoutSeconds: number;
  log?: (line: string) => void;
  /**
   * Guard each run: capacity preflight, the Lease (waiting up to `waitForLease` seconds for it), stale
   * records marked incomplete, heartbeats. Left off, `prepare` does nothing: only tests that drive
   * the platform directly (and take the Lease themselves when they need it) leave it off.
   */
  guard?: { waitForLease?: number };
};

export class KubernetesPlatform implements Platform {
  readonly kind = 'kubernetes' as const;
  readonly pipelineEngine = 'spark' as const;
  /** The platform enforces the per-job timeout itself (and deletes the application); the outer timer only catches a hang. */
  readonly stageTimeoutGraceSeconds = 300;
  readonly maintenanceSkipReason = 'not run';
  readonly settings: ClusterSettings;
  /** SparkApplications this process submitted and has not seen end. */
  readonly running = new Set<string>();
  /** The continuous run in progress, whose landing Job an interruption also stops. */
  private streaming: KubernetesStreamingRun | undefined;
  private readonly abort = new AbortController();

  constructor(
    readonly client: KubeClient,
    private readonly config: LakebenchConfig,
    private readonly opts: KubernetesPlatformOptions,
  ) {
    this.settings = clusterSettings(config);
    if (client.namespace !== this.settings.namespace) {
      throw new BadInputError(`the Kubernetes context's namespace is ${client.namespace} but cluster.namespace is ${this.settings.namespace}`, 'cluster.namespace');
    }
  }

  private get log(): (line: string) => void {
    return this.opts.log ?? (() => {});
  }

  async generate(config: LakebenchConfig, onProgress: Parameters<Platform['generate']>[1], runId?: string): Promise<Manifest> {
    return runDatagenJob(this.client, config, { runId, timeoutSeconds: this.opts.timeoutSeconds, log: this.log, onProgress, signal: this.abort.signal });
  }

  bronzeLocation(): string {
    return `s3://${this.settings.buckets.bronze}/customer/interactions/`;
  }

  /** The Spark jobs read bronze themselves and check it against the manifest (MANIFEST_MISMATCH). */
  async preflight(): Promise<void> {}

  /** The query engine reports missing tables as failed queries; nothing cheaper to check here. */
  async checkTables(): Promise<void> {}

  /** A cluster run is guarded by the namespace's Lease (prepare), not by a folder lock. */
  async lockOutput(): Promise<undefined> {
    return undefined;
  }

  async prepare(stores: ObjectStore[], log: (line: string) => void): Promise<RunHooks | undefined> {
    if (!this.opts.guard) return undefined;
    log(await this.capacityPreflight());
    const holder = process.env.HOSTNAME ?? `${os.hostname()}-${process.pid}`;
    const lease = new RunLease(this.client, { holder, waitSeconds: this.opts.guard.waitForLease });
    await lease.acquire();
    const leaseName = `${this.client.namespace}/${LEASE_NAME}`;
    for (const store of stores) {
      for (const id of await markStaleRuns(store, { by: holder, lease: leaseName, warn: (m) => log(`warning: ${m}`) })) log(`marked stale run ${id} incomplete in ${store.location}`);
    }
    const guard = new RunGuard({ stores, stopWork: () => this.stopRunning(), release: () => lease.release(), log });
    return {
      lease: leaseName,
      started: (record) => guard.started(record),
      interrupt: (reason) => guard.interrupt(reason),
      finished: () => guard.finished(),
    };
  }

  /** The manifest in the bronze bucket, only if it describes exactly the dataset `config` asks for. */
  async existingManifest(config: LakebenchConfig): Promise<Manifest | undefined> {
    const s = this.settings;
    const bucket = new BronzeBucket({ endpoint: s.storage.endpoint, region: s.storage.region, path_style: s.storage.pathStyle, bucket: s.buckets.bronze });
    try {
      const raw = await bucket.getJson(MANIFEST_KEY);
      if (raw === undefined) return undefined;
      const parsed = manifestSchema.safeParse(raw);
      if (!parsed.success) throw new BadInputError(`unreadable datagen manifest: ${parsed.error.issues[0]?.message ?? 'invalid'}`, `s3://${s.buckets.bronze}/${MANIFEST_KEY}`);
      return canonicalJson(parsed.data.dataset) === canonicalJson(clusterDatasetParams(config)) ? parsed.data : undefined;
    } finally {
      bucket.destroy();
    }
  }

  runStage(stage: BatchStage, ctx: RunContext): Promise<StageReport> {
    return runSparkStage(this.client, stage, ctx, {
      timeoutSeconds: this.opts.timeoutSeconds,
      signal: this.abort.signal,
      onSubmitted: (app) => this.running.add(app),
      onEnded: (app) => this.running.delete(app),
    });
  }

  queryEngineType(config: LakebenchConfig): ReturnType<typeof clusterEngineType> {
    return clusterEngineType(config);
  }

  openQueryEngine(config: LakebenchConfig): Promise<QueryEngine> {
    return openClusterQueryEngine(config);
  }

  resources(stage: BatchStage): StageResources {
    const z = stageSizing(this.settings, stage, this.config.scale);
    return { executors: z.executors, cores: z.executorCores, memoryGb: z.executorMemoryGb, driverCores: z.driverCores, driverMemoryGb: z.driverMemoryGb };
  }

  async versions(): Promise<Record<string, string | null>> {
    const kubernetes = await this.client.serverVersion().catch(() => null);
    return {
      kubernetes,
      spark_image: this.settings.spark.image,
      runner_image: this.settings.runnerImage,
      spark_operator_api: 'sparkoperator.k8s.io/v1beta2',
    };
  }

  checkContinuous(config: LakebenchConfig): void {
    checkClusterContinuous(config);
  }

  async openStreaming(plan: StreamingPlan): Promise<StreamingRun> {
    const run = await openClusterStreaming(this.client, plan, { onSubmitted: (app) => this.running.add(app), onEnded: (app) => this.running.delete(app) });
    this.streaming = run;
    return run;
  }

  /** Node allocatable vs the sizing model; BadInputError with the numbers when it does not fit. */
  capacityPreflight(): Promise<string> {
    return capacityPreflight(this.client, this.config);
  }

  /** Interruption: stop watching, delete what this run started; returns the names deleted. */
  async stopRunning(): Promise<string[]> {
    const names = [...this.running];
    this.abort.abort(new Error('the run was interrupted'));
    await this.streaming?.abort().catch((e: unknown) => this.log(`could not stop the landing: ${(e as Error).message}`));
    for (const name of names) await deleteSparkApplication(this.client, name).catch((e: unknown) => this.log(`could not delete ${name}: ${(e as Error).message}`));
    return names;
  }
}
