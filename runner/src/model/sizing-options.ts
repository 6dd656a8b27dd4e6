// What the config says about sizing, in the sizing model's terms. The manifests, `lakebench plan`,
// `lakebench recommend` and the capacity preflight all take their options from here, so a per-stage
// override can never reach one of them and miss another.
import type { LakebenchConfig } from '../config/schema.js';
import { BATCH_JOBS, type RequirementOptions, type SparkJob, type StageOverride } from './sizing.js';

type SparkSection = NonNullable<LakebenchConfig['cluster']>['spark'];

/** cluster.spark.executors and cluster.spark.resources of one stage, merged. */
export function stageOverride(spark: SparkSection | undefined, job: SparkJob): StageOverride {
  const executors = (spark?.executors as Partial<Record<SparkJob, number>> | undefined)?.[job];
  const resources = (spark?.resources as Partial<Record<SparkJob, StageOverride>> | undefined)?.[job];
  return { ...resources, ...(executors === undefined ? {} : { executors }) };
}

export function sizingOptions(config: LakebenchConfig): Required<Pick<RequirementOptions, 'sparkVersion' | 'overrides'>> & RequirementOptions {
  const spark = config.cluster?.spark;
  return {
    sparkVersion: spark?.version ?? '4',
    overrides: Object.fromEntries(BATCH_JOBS.map((j) => [j, stageOverride(spark, j)])),
    datagenPods: config.datagen.parallelism,
    datagenPod: config.datagen.pod,
  };
}
