// Sizing of the three streaming jobs: the profiles of docs/pipeline.md §9.1 (bronze-ingest,
// silver-stream, gold-refresh) with the config's per-job overrides, then, when the cluster's CPU is
// known, the streaming budget of §9.2 (streaming-budget.ts). The SparkApplications, `plan` and
// `recommend` read their numbers from here.
import type { LakebenchConfig } from '../../../config/schema.js';
import { alwaysOnFor, DATAGEN_POD, EXECUTOR_CEILING, jobSizing, STREAMING_JOBS, type JobSizing, type SparkJob } from '../../../model/sizing.js';
import { stageOverride } from '../../../model/sizing-options.js';
import { BadInputError } from '../../../util/errors.js';
import { DEFAULT_ENGINE } from '../manifests/sizing-table.js';
import type { Room } from '../room.js';
import { STREAMING_BUDGET_SHARE, streamingBudget, type StreamingBudget } from './streaming-budget.js';

/** Continuous landing runs as one datagen pod: extra files are landed one after another, in index order. */
export const LANDING_PODS = 1;

export type StreamingSizing = {
  jobs: JobSizing[];
  /** Null when the cluster's size is unknown (nothing to cap against). */
  budget: (StreamingBudget & { clusterCpu: number; alwaysOnCpu: number; datagenCpu: number; source: string }) | null;
  /** All three jobs at once, executors and drivers, as the pods request them. */
  sum: { cores: number; memoryGb: number; scratchGi: number };
};

/**
 * The CPU the budget shares, and the room it comes from (room.ts): `free` room is what is left after
 * the pods bound to the nodes, the always-on services among them, so they are not budgeted again;
 * `whole` nodes budget them at the chart's default requests.
 */
export type ClusterCpu = { cpu: number } & Pick<Room, 'kind' | 'source'>;

/** The cluster's CPU the config declares (cluster.nodes), when it does. */
export function declaredClusterCpu(config: LakebenchConfig): ClusterCpu | undefined {
  const n = config.cluster?.nodes;
  return n ? { cpu: n.count * n.cpu, kind: 'whole', source: 'declared cluster.nodes' } : undefined;
}

function uncapped(config: LakebenchConfig, job: SparkJob, scale: number): { sizing: JobSizing; fixed: boolean } {
  const spark = config.cluster?.spark;
  const override = stageOverride(spark, job);
  if (override.executors !== undefined && override.executors > EXECUTOR_CEILING && !spark?.allowOverCeiling) {
    throw new BadInputError(`${override.executors} executors is above the ceiling of ${EXECUTOR_CEILING}; set cluster.spark.allowOverCeiling: true to run it anyway`, `cluster.spark.executors.${job}`);
  }
  return { sizing: jobSizing(job, scale, { sparkVersion: spark?.version ?? '4', override }), fixed: override.executors !== undefined };
}

export function streamingSizing(config: LakebenchConfig, scale: number, cluster: ClusterCpu | undefined): StreamingSizing {
  const base = STREAMING_JOBS.map((j) => ({ job: j, ...uncapped(config, j, scale) }));
  let jobs = base.map((b) => b.sizing);
  let budget: StreamingSizing['budget'] = null;
  if (cluster) {
    const alwaysOnCpu = cluster.kind === 'free' ? 0 : alwaysOnFor(config.cluster?.queryEngine ?? DEFAULT_ENGINE).cpu;
    const datagenCpu = LANDING_PODS * (config.datagen.pod ?? DATAGEN_POD).cpu;
    const b = streamingBudget({ clusterCpu: cluster.cpu, alwaysOnCpu, datagenCpu, jobs, fixed: new Set(base.filter((x) => x.fixed).map((x) => x.job)) });
    budget = { ...b, clusterCpu: cluster.cpu, alwaysOnCpu, datagenCpu, source: cluster.source };
    const spark = config.cluster?.spark;
    jobs = base.map(({ job, sizing }) => {
      const n = b.executors[job] ?? sizing.executors;
      return n === sizing.executors ? sizing : jobSizing(job, scale, { sparkVersion: spark?.version ?? '4', override: { ...stageOverride(spark, job), executors: n } });
    });
  }
  return {
    jobs,
    budget,
    sum: {
      cores: jobs.reduce((n, j) => n + j.cores, 0),
      memoryGb: jobs.reduce((n, j) => n + j.memoryGb, 0),
      scratchGi: jobs.reduce((n, j) => n + j.scratchGi, 0),
    },
  };
}

/** Text for `plan` and `recommend`: per job executors, and the budget when one applies. */
export function streamingLines(z: StreamingSizing): string[] {
  const lines = ['streaming jobs (continuous mode, all three at once):'];
  for (const j of z.jobs) lines.push(`  ${j.job.padEnd(14)} ${j.executors} × ${j.executorCores} CPU / ${j.executorMemoryGb} GiB, driver ${j.driverCores} CPU / ${j.driverMemoryGb + j.driverOverheadGb} GiB`);
  lines.push(`  streaming sum  ${z.sum.cores} CPU / ${z.sum.memoryGb} GiB / ${z.sum.scratchGi} GiB scratch`);
  const b = z.budget;
  lines.push(
    b
      ? `  budget         ${b.budgetCpu.toFixed(1)} CPU for executors = ${STREAMING_BUDGET_SHARE} × (${b.clusterCpu} cluster CPU (${b.source}) − ${b.alwaysOnCpu} always-on − ${b.datagenCpu} datagen); demand ${b.demandCpu} CPU${b.capped ? ', capped' : ', not capped'}`
      : '  budget         none: the cluster size is unknown (give --nodes/--node-cpu/--node-memory-gb or cluster.nodes)',
  );
  return lines;
}
