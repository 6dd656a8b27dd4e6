// What the orchestrator needs from a platform. The embedded platform runs everything in-process on
// DuckDB; the kubernetes platform submits Spark applications and a datagen Job. Both return the same
// data: a manifest, stage reports and a query engine.
import type { LakebenchConfig } from '../config/schema.js';
import type { Manifest } from '../datagen/manifest.js';
import type { DatagenProgress } from '../datagen/generate-dataset.js';
import type { QueryEngine } from '../engines/engine.js';
import type { BatchStage, StageReport } from '../pipeline/stage-report.js';

export type RunContext = {
  config: LakebenchConfig;
  runId: string;
  /** R of docs/pipeline.md §2.2, resolved once per run. */
  referenceDate: string;
  manifest: Manifest;
  log: (line: string) => void;
};

export type StageResources = { executors: number; cores: number; memoryGb: number; driverCores: number; driverMemoryGb: number };

export interface Platform {
  readonly kind: 'embedded' | 'kubernetes';
  /** Generates (or resumes) the bronze dataset the config describes. */
  generate(config: LakebenchConfig, onProgress: (p: DatagenProgress) => void): Promise<Manifest>;
  /** The manifest of the bronze data already in place, if any. */
  existingManifest(config: LakebenchConfig): Promise<Manifest | undefined>;
  runStage(stage: BatchStage, ctx: RunContext): Promise<StageReport>;
  openQueryEngine(config: LakebenchConfig): Promise<QueryEngine>;
  resources(stage: BatchStage): StageResources;
  versions(): Promise<Record<string, string | null>>;
}
