// What the orchestrator needs from a platform: the whole seam. The embedded platform runs everything
// in-process on DuckDB; the kubernetes platform submits Spark applications and a datagen Job and
// guards the run with a Lease. Both return the same data (a manifest, stage reports, a query engine),
// and everything that differs between them — checks before a run, guards around it, engine names,
// timeouts — is answered here, so nothing above this layer asks which platform it has.
import type { LakebenchConfig } from '../config/schema.js';
import type { Manifest } from '../datagen/manifest.js';
import type { DatagenProgress } from '../datagen/generate-dataset.js';
import type { QueryEngine } from '../engines/engine.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { RunRecord } from '../storage/results.js';
import type { BatchStage, StageReport } from '../model/stage-report.js';
import type { StageResources } from '../model/stage-resources.js';
import type { StageEntry } from '../model/metrics.js';
import type { StreamingPlan, StreamingRun } from './streaming.js';

export type PlatformKind = 'embedded' | 'kubernetes';

export type RunContext = {
  config: LakebenchConfig;
  runId: string;
  /** R of docs/pipeline.md §2.2, resolved once per run. */
  referenceDate: string;
  manifest: Manifest;
  log: (line: string) => void;
};

export type { StageResources } from '../model/stage-resources.js';

/** What a platform does around a run: heartbeats, clean-up on SIGTERM, release at the end. */
export type RunHooks = {
  /** The Lease guarding the run, recorded in run.json so the next holder knows the run is dead. */
  lease: string;
  started(record: RunRecord): void;
  interrupt(reason: string): Promise<void>;
  finished(): Promise<void>;
};

/** Something a command holds while it writes (the embedded output folder's lock). */
export type Releasable = { release(): Promise<void> | void };

export interface Platform {
  /** The platform's name in metrics.json and the run log; never branched on outside platforms/. */
  readonly kind: PlatformKind;
  /** The engine that runs the batch stages, named in stages[] (also for a stage that died). */
  readonly pipelineEngine: 'duckdb' | 'spark';
  /**
   * Seconds the orchestrator's own stage timer waits beyond the per-stage timeout: a platform that
   * enforces the timeout itself (and cleans up) gets to do so before the outer timer gives up.
   */
  readonly stageTimeoutGraceSeconds: number;
  /** Why the maintenance step is skipped on this platform (metrics.json `extras.skip_reason`). */
  readonly maintenanceSkipReason: string;
  /** Generates (or resumes) the bronze dataset the config describes; `runId` labels what it starts. */
  generate(config: LakebenchConfig, onProgress: (p: DatagenProgress) => void, runId?: string): Promise<Manifest>;
  /** The manifest of the bronze data already in place, if any. */
  existingManifest(config: LakebenchConfig): Promise<Manifest | undefined>;
  /** Where the bronze data lives, for the user to read. */
  bronzeLocation(config: LakebenchConfig): string;
  /** Checks on existing bronze data before a run record exists (bad input ⇒ exit 2, nothing written). */
  preflight(manifest: Manifest): Promise<void>;
  /** A benchmark alone needs both tables in place: BadInputError when they are missing. */
  checkTables(): Promise<void>;
  /** The output folder's lock for a command that writes it, or undefined when the platform guards runs otherwise. */
  lockOutput(command: string, waitSeconds: number | undefined, log: (line: string) => void): Promise<Releasable | undefined>;
  /** Everything that must hold before the run record is written (capacity, Lease), and the hooks that guard the run. */
  prepare(stores: ObjectStore[], log: (line: string) => void): Promise<RunHooks | undefined>;
  runStage(stage: BatchStage, ctx: RunContext): Promise<StageReport>;
  /** The engine type the benchmark will run on, known before it is opened (named on a failed benchmark). */
  queryEngineType(config: LakebenchConfig): StageEntry['engine'];
  openQueryEngine(config: LakebenchConfig): Promise<QueryEngine>;
  resources(stage: BatchStage): StageResources;
  versions(): Promise<Record<string, string | null>>;
  /**
   * Continuous mode: refuses, before a run record exists, what this platform cannot stream
   * (BadInputError naming the config key).
   */
  checkContinuous(config: LakebenchConfig): void;
  /** Continuous mode: the landing and the three streaming jobs of docs/pipeline.md §8, not yet started. */
  openStreaming(plan: StreamingPlan): Promise<StreamingRun>;
}
