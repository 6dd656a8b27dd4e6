// The embedded platform: one machine, no cluster. Datagen in worker threads, every stage and the
// benchmark in DuckDB in-process, tables as Parquet under `<output>/warehouse/`.
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { EMBEDDED_FILE_SIZE_MB } from '../../config/defaults.js';
import type { LakebenchConfig } from '../../config/schema.js';
import type { Manifest } from '../../datagen/manifest.js';
import { canonicalJson, datasetParams } from '../../datagen/dataset.js';
import { generateDataset, readManifest } from '../../datagen/generate-dataset.js';
import { duckdbVersion } from '../../engines/duckdb-session.js';
import { DuckDbEngine } from '../../engines/duckdb-engine.js';
import { BadInputError } from '../../util/errors.js';
import type { Platform, Releasable, RunContext, RunHooks, StageResources } from '../platform.js';
import { OutputLock } from '../../storage/output-lock.js';
import { prepareOutputFolder } from '../../storage/output-folder.js';
import type { BatchStage, StageReport } from '../../model/stage-report.js';
import { parquetFiles, warehouse } from './warehouse.js';
import { stageDefinition } from '../stage-registry.js';
import { checkParquetFooters } from './footers.js';
import { checkBronzeContent } from './bronze-content.js';
import type { StreamingPlan } from '../streaming.js';
import { EmbeddedStreamingRun } from './streaming-run.js';

export class EmbeddedPlatform implements Platform {
  readonly kind = 'embedded' as const;
  readonly pipelineEngine = 'duckdb' as const;
  /** Stages run in-process: the orchestrator's timer is the only one. */
  readonly stageTimeoutGraceSeconds = 0;
  readonly maintenanceSkipReason = 'the embedded mode keeps plain Parquet tables: nothing to compact';
  private readonly threads = os.availableParallelism();

  constructor(private readonly output: string) {}

  get warehouse() {
    return warehouse(this.output);
  }

  private params(config: LakebenchConfig) {
    return datasetParams({
      seed: config.seed,
      scale: config.scale,
      windowStart: config.datagen.window.start,
      windowEnd: config.datagen.window.end,
      dirtyRatio: config.datagen.dirtyRatio,
      fileSizeMb: config.datagen.fileSizeMb ?? EMBEDDED_FILE_SIZE_MB,
      customerLaw: config.datagen.customers,
    });
  }

  async generate(config: LakebenchConfig, onProgress: Parameters<Platform['generate']>[1]) {
    const params = this.params(config);
    return generateDataset({ params, bronzeDir: this.warehouse.bronze, workers: config.datagen.workers ?? this.threads, onProgress });
  }

  /** The bronze manifest in place, only if it describes exactly the dataset `config` asks for. */
  async existingManifest(config: LakebenchConfig) {
    try {
      const m = await readManifest(this.warehouse.bronze);
      return m && canonicalJson(m.dataset) === canonicalJson(this.params(config)) ? m : undefined;
    } catch (e) {
      throw new BadInputError(`unreadable datagen manifest: ${(e as Error).message.split('\n')[0]}`, path.join(this.warehouse.bronze, '_manifest', 'manifest.json'));
    }
  }

  bronzeLocation(): string {
    return this.warehouse.bronze;
  }

  /** Reads every bronze file's footer, then hashes its bytes against the manifest, so a corrupted file is named before a run starts. */
  async preflight(manifest: Manifest): Promise<void> {
    await checkParquetFooters(manifest.files.map((f) => path.join(this.warehouse.bronze, f.key)));
    await checkBronzeContent(this.warehouse.bronze, manifest.files);
  }

  /** The benchmark needs both tables; their absence is the user's to fix, not a failed run. */
  async checkTables(): Promise<void> {
    for (const dir of [this.warehouse.silver, this.warehouse.gold]) {
      if ((await parquetFiles(dir)).length === 0) throw new BadInputError('no table here: run `lakebench run` first', dir);
    }
  }

  /**
   * Two embedded runs in one folder would replace each other's tables mid-stage: a command that writes
   * the folder holds its lock until it ends (released on exit and on SIGINT/SIGTERM too).
   */
  async lockOutput(command: string, waitSeconds: number | undefined, log: (line: string) => void): Promise<Releasable> {
    return OutputLock.acquire(await prepareOutputFolder(this.output), { command, waitSeconds: waitSeconds ?? 0, log });
  }

  /** Nothing to take or check beyond the output lock: one machine, one run. */
  async prepare(): Promise<RunHooks | undefined> {
    return undefined;
  }

  runStage(stage: BatchStage, ctx: RunContext): Promise<StageReport> {
    return stageDefinition(stage).duckdb(ctx, this.warehouse, this.threads);
  }

  queryEngineType(): 'duckdb' {
    return 'duckdb';
  }

  openQueryEngine(): Promise<DuckDbEngine> {
    return DuckDbEngine.open(this.warehouse.root, this.threads);
  }

  resources(): StageResources {
    const memoryGb = os.totalmem() / 2 ** 30;
    return { executors: 1, cores: this.threads, memoryGb, driverCores: 0, driverMemoryGb: 0 };
  }

  /** Everything continuous mode needs is in-process: nothing to refuse beyond the config schema. */
  checkContinuous(): void {}

  async openStreaming(plan: StreamingPlan): Promise<EmbeddedStreamingRun> {
    return new EmbeddedStreamingRun(plan, this.warehouse, this.threads);
  }

  async versions(): Promise<Record<string, string | null>> {
    const pkg = JSON.parse(await readFile(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
    return { runner: pkg.version, node: process.version, duckdb: duckdbVersion() };
  }
}
