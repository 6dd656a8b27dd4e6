// Each batch stage's PySpark job: the script in spark-scripts/ and the stage's own part of the job
// document (its SQL, adapted to Spark, and its Spark settings). The stage registry
// (platforms/stage-registry.ts) lists these beside each stage's DuckDB function; the job document
// builder (job-config.ts) adds the fields every stage shares.
import type { LakebenchConfig } from '../config/schema.js';
import type { Manifest } from '../datagen/manifest.js';
import { bronzeObservationsSelect, bronzeCountsBy } from '../sql/bronze-verify.js';
import { silverSelect } from '../sql/silver.js';
import { goldSelect, GOLD_SELF_CHECKS } from '../sql/gold.js';
import { GiB, MiB, skewSampleStep } from '../model/scale.js';
import type { BatchStage } from '../model/stage-report.js';
import type { SparkJobConfig, SparkSharedKey } from './job-config.js';

/** What a stage's SQL and settings are built from. */
export type StageInput = { config: LakebenchConfig; referenceDate: string; manifest: Manifest };

/** The stage's own part of the Spark job document (everything but the fields every stage shares). */
export type SparkStageFields<S extends BatchStage> = Omit<Extract<SparkJobConfig, { stage: S }>, SparkSharedKey>;

export type SparkStageJob<S extends BatchStage> = {
  /** The PySpark job in spark-scripts/ the SparkApplication runs. */
  script: string;
  /** The stage's SQL, adapted to Spark by `toSpark`, and its Spark settings. */
  document(input: StageInput, toSpark: (sql: string) => string): SparkStageFields<S>;
};

export const SPARK_STAGE_JOBS: { readonly [S in BatchStage]: SparkStageJob<S> } = {
  'bronze-verify': {
    script: 'bronze_verify.py',
    document: ({ manifest: m }, toSpark) => ({
      sql: {
        observations: toSpark(bronzeObservationsSelect({ payloadBytes: m.dataset.payload_bytes, customers: m.dataset.customers })),
        counts_by_interaction_type: toSpark(bronzeCountsBy('interaction_type')),
        counts_by_channel: toSpark(bronzeCountsBy('channel')),
      },
    }),
  },
  'silver-build': {
    script: 'silver_build.py',
    document: ({ config, referenceDate, manifest }, toSpark) => ({
      sql: { silver_select: toSpark(silverSelect(referenceDate)) },
      silver: silverSettings(config.silver, manifest.totals.total_rows),
    }),
  },
  'gold-finalize': {
    script: 'gold_finalize.py',
    document: (_input, toSpark) => ({
      sql: { gold_select: toSpark(goldSelect()), self_checks: Object.entries(GOLD_SELF_CHECKS).map(([name, p]) => ({ name, gold: toSpark(p.gold), silver: toSpark(p.silver) })) },
      gold: { target_file_size_bytes: 128 * MiB },
    }),
  },
};

/** The stage's job, typed by its name. */
export function sparkStageJob<S extends BatchStage>(stage: S): SparkStageJob<S> {
  return SPARK_STAGE_JOBS[stage];
}

function silverSettings(c: LakebenchConfig['silver'], totalRows: number): Extract<SparkJobConfig, { stage: 'silver-build' }>['silver'] {
  return {
    strategy: c.strategy,
    distribution_mode: c.distributionMode,
    target_file_size_bytes: c.targetFileSizeMb * MiB,
    simple_threshold_bytes: c.simpleThresholdGb * GiB,
    chunked_threshold_bytes: c.chunkedThresholdGb * GiB,
    chunk_size_bytes: c.chunkSizeGb * GiB,
    skew_threshold: c.skewThreshold,
    enable_salting: c.enableSalting,
    size_bytes_override: c.sizeGb === undefined ? null : c.sizeGb * GiB,
    sample_step: skewSampleStep(totalRows),
  };
}
