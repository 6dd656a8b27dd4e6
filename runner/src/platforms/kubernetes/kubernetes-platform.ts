// The kubernetes platform: datagen as an Indexed Job, each batch stage as a SparkApplication
// watched to its end, the benchmark through the in-cluster query engine. It keeps the names of the
// applications it has running so an interruption can stop exactly those (run-guard.ts).
import type { LakebenchConfig } from '../../config/schema.js';
import type { Manifest } from '../../datagen/manifest.js';
import { manifestSchema } from '../../datagen/manifest.js';
import { canonicalJson } from '../../datagen/dataset.js';
import { clusterDatasetParams, MANIFEST_KEY } from '../../datagen/datagen-task.js';
import { BronzeBucket } from '../../datagen/bronze-bucket.js';
import type { QueryEngine } from '../../engines/engine.js';
import { openClusterQueryEngine } from '../../engines/cluster-engine.js';
import type { BatchStage, StageReport } from '../../pipeline/stage-report.js';
import { BadInputError } from '../../util/errors.js';
import type { Platform, RunContext, StageResources } from '../platform.js';
import type { KubeClient } from './client.js';
import { clusterSettings, type ClusterSettings } from './manifests/cluster-settings.js';
import { stageSizing } from './manifests/spark-application.js';
import { runSparkStage } from './stage-runner.js';
import { runDatagenJob } from './datagen-runner.js';
import { deleteSparkApplication } from './spark-monitor.js';
import { capacityPreflight } from './capacity.js';

export type KubernetesPlatformOptions = {
  /** Per-job timeout in seconds (docs/pipeline.md §9.3: default max(3600, scale × 60), --timeout). */
  timeoutSeconds: number;
  log?: (line: string) => void;
};

export class KubernetesPlatform implements Platform {
  readonly kind = 'kubernetes' as const;
  readonly settings: ClusterSettings;
  /** SparkApplications this process submitted and has not seen end. */
  readonly running = new Set<string>();
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

  async generate(config: LakebenchConfig, onProgress: Parameters<Platform['generate']>[1]): Promise<Manifest> {
    return runDatagenJob(this.client, config, { timeoutSeconds: this.opts.timeoutSeconds, log: this.log, onProgress, signal: this.abort.signal });
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

  /** Node allocatable vs the sizing model; BadInputError with the numbers when it does not fit. */
  capacityPreflight(): Promise<string> {
    return capacityPreflight(this.client, this.config);
  }

  /** Interruption: stop watching, delete what this run started; returns the names deleted. */
  async stopRunning(): Promise<string[]> {
    const names = [...this.running];
    this.abort.abort(new Error('the run was interrupted'));
    for (const name of names) await deleteSparkApplication(this.client, name).catch((e: unknown) => this.log(`could not delete ${name}: ${(e as Error).message}`));
    return names;
  }
}
