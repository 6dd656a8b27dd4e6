// The embedded platform: one machine, no cluster. Datagen in worker threads, every stage and the
// benchmark in DuckDB in-process, tables as Parquet under `<output>/warehouse/`.
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LakebenchConfig } from '../../config/schema.js';
import { canonicalJson, datasetParams } from '../../datagen/dataset.js';
import { generateDataset, readManifest } from '../../datagen/generate-dataset.js';
import { duckdbVersion } from '../../engines/duckdb-session.js';
import { DuckDbEngine } from '../../engines/duckdb-engine.js';
import { BadInputError } from '../../util/errors.js';
import type { Platform, RunContext, StageResources } from '../platform.js';
import type { BatchStage, StageReport } from '../../pipeline/stage-report.js';
import { parquetFiles, warehouse } from './warehouse.js';
import { bronzeVerify } from './bronze-verify.js';
import { silverBuild } from './silver-build.js';
import { goldFinalize } from './gold-finalize.js';
import { checkParquetFooters } from './footers.js';
import { checkBronzeContent } from './bronze-content.js';

export const EMBEDDED_FILE_SIZE_MB = 16;

export class EmbeddedPlatform implements Platform {
  readonly kind = 'embedded' as const;
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
    return generateDataset({ params, bronzeDir: this.warehouse.bronze, workers: config.datagen.workers ?? this.threads, duckdbVersion: duckdbVersion(), onProgress });
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

  /** Reads every bronze file's footer, then hashes its bytes against the manifest, so a corrupted file is named before a run starts. */
  async preflightBronze(ctx: Pick<RunContext, 'manifest'>): Promise<void> {
    await checkParquetFooters(ctx.manifest.files.map((f) => path.join(this.warehouse.bronze, f.key)));
    await checkBronzeContent(this.warehouse.bronze, ctx.manifest.files);
  }

  /** The benchmark needs both tables; their absence is the user's to fix, not a failed run. */
  async checkTablesExist(): Promise<void> {
    for (const dir of [this.warehouse.silver, this.warehouse.gold]) {
      if ((await parquetFiles(dir)).length === 0) throw new BadInputError('no table here: run `lakebench run` first', dir);
    }
  }

  runStage(stage: BatchStage, ctx: RunContext): Promise<StageReport> {
    const wh = this.warehouse;
    switch (stage) {
      case 'bronze-verify':
        return bronzeVerify(ctx, wh, this.threads);
      case 'silver-build':
        return silverBuild(ctx, wh, this.threads);
      case 'gold-finalize':
        return goldFinalize(ctx, wh, this.threads);
    }
  }

  openQueryEngine(): Promise<DuckDbEngine> {
    return DuckDbEngine.open(this.warehouse.root, this.threads);
  }

  resources(): StageResources {
    const memoryGb = os.totalmem() / 2 ** 30;
    return { executors: 1, cores: this.threads, memoryGb, driverCores: 0, driverMemoryGb: 0 };
  }

  async versions(): Promise<Record<string, string | null>> {
    const pkg = JSON.parse(await readFile(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
    return { runner: pkg.version, node: process.version, duckdb: duckdbVersion() };
  }
}
