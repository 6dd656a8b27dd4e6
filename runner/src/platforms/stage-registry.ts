// Every batch stage, declared once: how it runs on DuckDB (the embedded platform's function) and on
// Spark (the PySpark script and the stage's part of the job document, with its Spark settings), the
// sizing profile it is charged, and the checks that judge it. Both runs take the stage's SQL from the
// same builders in runner/src/sql (the reference dialect; the Spark part adapts it). The embedded
// platform and the SparkApplication read this table; the job document takes the same Spark entry. A
// new stage is one entry here, plus its DuckDB function, its PySpark job and its SQL.
import { QUALITY_CHECKS } from '../config/schema.js';
import { GOLD_SELF_CHECKS } from '../sql/gold.js';
import type { SparkJob } from '../model/sizing.js';
import type { BatchStage, StageReport } from '../model/stage-report.js';
import type { RunContext } from './platform.js';
import { SPARK_STAGE_JOBS, type SparkStageJob } from '../spark-jobs/stage-jobs.js';
import type { Warehouse } from './embedded/warehouse.js';
import { bronzeVerify } from './embedded/bronze-verify.js';
import { silverBuild } from './embedded/silver-build.js';
import { goldFinalize } from './embedded/gold-finalize.js';

/** Who decides whether the stage's checks pass: the runner (from the stage's observations) or the stage itself, and which checks. */
export type StageChecks = { judge: 'runner' | 'stage'; names: readonly string[] };

export type StageDefinition<S extends BatchStage> = {
  stage: S;
  /** The stage on DuckDB, in-process (the embedded platform). */
  duckdb(ctx: RunContext, wh: Warehouse, threads: number): Promise<StageReport>;
  /** The stage as a PySpark job (the kubernetes platform). */
  spark: SparkStageJob<S>;
  /** The sizing profile the stage's executors and driver come from (model/sizing.ts), and it is charged for. */
  profile: SparkJob;
  checks: StageChecks;
};

export const STAGES: { readonly [S in BatchStage]: StageDefinition<S> } = {
  'bronze-verify': {
    stage: 'bronze-verify',
    duckdb: bronzeVerify,
    spark: SPARK_STAGE_JOBS['bronze-verify'],
    profile: 'bronze-verify',
    // On Spark the job returns raw observations; both platforms judge them with model/bronze-checks.ts.
    checks: { judge: 'runner', names: QUALITY_CHECKS },
  },
  'silver-build': {
    stage: 'silver-build',
    duckdb: silverBuild,
    spark: SPARK_STAGE_JOBS['silver-build'],
    profile: 'silver-build',
    checks: { judge: 'stage', names: [] },
  },
  'gold-finalize': {
    stage: 'gold-finalize',
    duckdb: goldFinalize,
    spark: SPARK_STAGE_JOBS['gold-finalize'],
    profile: 'gold-finalize',
    // Gold against the silver it was built from (docs/pipeline.md §5); a failed self-check fails the stage (SELF_CHECK).
    checks: { judge: 'stage', names: Object.keys(GOLD_SELF_CHECKS) },
  },
};

/** The stage's definition, typed by its name. */
export function stageDefinition<S extends BatchStage>(stage: S): StageDefinition<S> {
  return STAGES[stage];
}
