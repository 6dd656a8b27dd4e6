// The streaming budget of docs/pipeline.md §9.2. The three streaming jobs run at the same time as the
// query engine, the catalog and database, the runner and the landing datagen, so with a known cluster
// size their executors are capped by what is left: 90% of (cluster CPU − always-on − datagen CPU),
// shared in proportion to each job's uncapped demand (executors × the CPU each executor pod requests),
// at least two executors per job. A job whose executor count the config fixes keeps it and is charged
// first. Pure: `plan`, `recommend` and the SparkApplications all call this one function.
import type { JobSizing, SparkJob } from '../../../model/sizing.js';

/** Of the CPU left after the always-on components and datagen, the streaming jobs get this share. */
export const STREAMING_BUDGET_SHARE = 0.9;
/** A streaming job never gets fewer executors than this, however small the budget. */
export const MIN_STREAMING_EXECUTORS = 2;

export type StreamingBudgetInput = {
  /** Allocatable CPU of the whole cluster. */
  clusterCpu: number;
  /** Query engine, catalog, database and runner (model/sizing.ts alwaysOnFor). */
  alwaysOnCpu: number;
  /** The landing datagen's pods. */
  datagenCpu: number;
  /** Each streaming job's sizing before the budget (the profile's count or the config's override). */
  jobs: readonly JobSizing[];
  /** Jobs whose executor count the config fixes (cluster.spark.executors): never capped. */
  fixed?: ReadonlySet<SparkJob>;
};

export type StreamingBudget = {
  /** CPU the streaming executors may request together. */
  budgetCpu: number;
  /** CPU the executors would request uncapped. */
  demandCpu: number;
  /** True when at least one job got fewer executors than its uncapped count. */
  capped: boolean;
  executors: Partial<Record<SparkJob, number>>;
};

const executorCpu = (j: JobSizing): number => j.executors * j.executorCoreRequest;

export function streamingBudget(input: StreamingBudgetInput): StreamingBudget {
  const budgetCpu = Math.max(0, STREAMING_BUDGET_SHARE * (input.clusterCpu - input.alwaysOnCpu - input.datagenCpu));
  const demandCpu = input.jobs.reduce((n, j) => n + executorCpu(j), 0);
  const fixed = input.jobs.filter((j) => input.fixed?.has(j.job));
  const shared = input.jobs.filter((j) => !input.fixed?.has(j.job));
  const executors: Partial<Record<SparkJob, number>> = Object.fromEntries(fixed.map((j) => [j.job, j.executors]));
  const left = Math.max(0, budgetCpu - fixed.reduce((n, j) => n + executorCpu(j), 0));
  const sharedDemand = shared.reduce((n, j) => n + executorCpu(j), 0);
  let capped = false;
  for (const j of shared) {
    if (sharedDemand <= left) {
      executors[j.job] = j.executors;
      continue;
    }
    const share = (left * executorCpu(j)) / sharedDemand;
    const n = Math.min(j.executors, Math.max(MIN_STREAMING_EXECUTORS, Math.floor(share / j.executorCoreRequest)));
    if (n < j.executors) capped = true;
    executors[j.job] = n;
  }
  return { budgetCpu, demandCpu, capped, executors };
}
