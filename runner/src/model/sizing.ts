// The ONE sizing model (docs/pipeline.md §9.1, §9.5): per-job executor profiles are fixed and only the
// executor count scales. The SparkApplication manifests, `lakebench recommend`, the capacity
// preflight and the reports all read their numbers from here, so they can never disagree.
import { BATCH_STAGES, type BatchStage } from './stage-report.js';

/** The batch stages (model/stage-report.ts, in their order) and the continuous mode's streaming jobs. */
export type SparkJob = BatchStage | 'bronze-ingest' | 'silver-stream' | 'gold-refresh';
export const BATCH_JOBS: readonly SparkJob[] = BATCH_STAGES;
export const STREAMING_JOBS: readonly SparkJob[] = ['bronze-ingest', 'silver-stream', 'gold-refresh'];

export type JobProfile = {
  driverCores: number;
  driverMemoryGb: number;
  /** Spark 3 drivers ran with less memory before the Spark 4 out-of-memory fixes. */
  driverMemoryGbSpark3: number;
  executorCores: number;
  executorHeapGb: number;
  executorOverheadGb: number;
  scratchGi: number;
  base: number;
  per100: number;
  max: number;
};

const p = (driverCores: number, driverMemoryGb: number, driverMemoryGbSpark3: number, executorCores: number, executorHeapGb: number, executorOverheadGb: number, scratchGi: number, base: number, per100: number, max: number): JobProfile => ({
  driverCores, driverMemoryGb, driverMemoryGbSpark3, executorCores, executorHeapGb, executorOverheadGb, scratchGi, base, per100, max,
});

export const PROFILES: Readonly<Record<SparkJob, JobProfile>> = {
  'bronze-verify': p(2, 4, 4, 2, 4, 2, 50, 4, 4, 20),
  'silver-build': p(4, 32, 24, 4, 48, 12, 150, 8, 12, 28),
  'gold-finalize': p(4, 32, 24, 4, 32, 8, 100, 4, 8, 28),
  'bronze-ingest': p(2, 4, 4, 2, 4, 2, 20, 2, 4, 10),
  'silver-stream': p(4, 8, 8, 4, 32, 8, 100, 4, 8, 20),
  'gold-refresh': p(4, 8, 8, 4, 32, 8, 100, 2, 4, 10),
};

/** Above this many executors Spark's Kubernetes client floods the API server (docs/pipeline.md §9.1). */
export const EXECUTOR_CEILING = 28;
export const HEADROOM = 1.15;
export type PodSize = { cpu: number; memoryGb: number };
/** Reference datagen pod (docs/data.md §7): one generator and one uploader. */
export const DATAGEN_POD: PodSize = { cpu: 4, memoryGb: 4 };

export function executorCount(job: SparkJob, scale: number, override?: number): number {
  if (override !== undefined) return override;
  const pr = PROFILES[job];
  if (scale <= 10) return pr.base;
  return Math.min(pr.base + Math.floor(((scale - 10) * pr.per100) / 100), pr.max);
}

export type JobSizing = {
  job: SparkJob;
  executors: number;
  executorCores: number;
  executorHeapGb: number;
  executorOverheadGb: number;
  /** Heap plus overhead: what one executor pod requests. */
  executorMemoryGb: number;
  driverCores: number;
  /** CPU the pods request (spark.kubernetes.{executor,driver}.request.cores): the cores unless overridden. */
  executorCoreRequest: number;
  driverCoreRequest: number;
  driverMemoryGb: number;
  /** Off-heap memory of the driver pod, set explicitly in the manifest (Spark's default: 10%, ≥ 384 MiB). */
  driverOverheadGb: number;
  scratchGiPerExecutor: number;
  /** All executors' scratch together. */
  scratchGi: number;
  /** Executors plus driver, as the pods request them (core requests; heap + overhead). */
  cores: number;
  memoryGb: number;
  maxResultSizeGb: number;
  shufflePartitions: number;
  overCeiling: boolean;
};

/**
 * A per-stage override of the profile (cluster.spark.executors / cluster.spark.resources): the
 * seed's profiles are sized for production nodes; a small cluster (kind, a laptop) runs the same
 * jobs with smaller pods. Every field left out keeps the profile's value.
 */
export type StageOverride = {
  executors?: number;
  executorCores?: number;
  executorHeapGb?: number;
  executorOverheadGb?: number;
  driverCores?: number;
  driverMemoryGb?: number;
  /** Scratch PVC per executor. */
  scratchGi?: number;
  /** CPU an executor pod requests when it should be less than its task slots (executorCores). */
  executorCoreRequest?: number;
  /** CPU the driver pod requests when it should be less than driverCores. */
  driverCoreRequest?: number;
};

export function jobSizing(job: SparkJob, scale: number, opts: { sparkVersion?: '3' | '4'; override?: StageOverride } = {}): JobSizing {
  const o = opts.override ?? {};
  const pr = PROFILES[job];
  const n = executorCount(job, scale, o.executors);
  const spark4 = (opts.sparkVersion ?? '4') === '4';
  const driverMemoryGb = o.driverMemoryGb ?? (spark4 ? pr.driverMemoryGb : pr.driverMemoryGbSpark3);
  const executorCores = o.executorCores ?? pr.executorCores;
  const driverCores = o.driverCores ?? pr.driverCores;
  const executorCoreRequest = o.executorCoreRequest ?? executorCores;
  const driverCoreRequest = o.driverCoreRequest ?? driverCores;
  const executorHeapGb = o.executorHeapGb ?? pr.executorHeapGb;
  const executorOverheadGb = o.executorOverheadGb ?? pr.executorOverheadGb;
  const scratchGiPerExecutor = o.scratchGi ?? pr.scratchGi;
  const executorMemoryGb = executorHeapGb + executorOverheadGb;
  const driverOverheadGb = driverOverhead(driverMemoryGb);
  const defaultShuffle: Partial<Record<SparkJob, number>> = { 'bronze-verify': 32, 'silver-build': 64, 'gold-finalize': 32 };
  return {
    job,
    executors: n,
    executorCores,
    executorHeapGb,
    executorOverheadGb,
    executorMemoryGb,
    driverCores,
    executorCoreRequest,
    driverCoreRequest,
    driverMemoryGb,
    driverOverheadGb,
    scratchGiPerExecutor,
    scratchGi: n * scratchGiPerExecutor,
    // What the scheduler counts: the pods' requests, not Spark's task slots.
    cores: n * executorCoreRequest + driverCoreRequest,
    // docs/pipeline.md §9.1's table counts the driver's heap only; its pod also requests the overhead,
    // and the preflight must compare what the pods really request with what the nodes offer.
    memoryGb: n * executorMemoryGb + driverMemoryGb + driverOverheadGb,
    maxResultSizeGb: spark4 ? Math.min(16, Math.max(8, n / 2)) : Math.min(16, Math.max(4, n / 3)),
    // docs/pipeline.md §9.4 gives 32/64/32 up to scale 10 and executors × cores × 2 above, which would drop
    // bronze-verify from 32 to 16 just past scale 10; the larger of the two keeps the rule monotonic.
    shufflePartitions: Math.max(defaultShuffle[job] ?? 32, scale <= 10 ? 0 : n * executorCores * 2),
    overCeiling: n > EXECUTOR_CEILING,
  };
}

/** Spark's default overhead (10% of the heap, at least 384 MiB), rounded up to a whole GiB. */
export const driverOverhead = (driverMemoryGb: number): number => Math.max(1, Math.ceil(driverMemoryGb * 0.1));

/** spark.sql.files.maxPartitionBytes: about 2,000 input tasks, clamped to 256 MB … 2 GB. */
export const maxPartitionBytesMb = (scale: number): number => Math.min(2048, Math.max(256, (scale * 10 * 1024) / 2000));

/** Datagen pods: about ten scale units (≈ 100 GiB) per pod, at least one, at most 64 and at most the batch peak. */
export function datagenPods(scale: number, pod: PodSize = DATAGEN_POD, overrides?: Partial<Record<SparkJob, StageOverride>>): number {
  // Datagen and the Spark stages never overlap, and pod count only changes speed, never content:
  // it is capped so datagen never asks for more CPU than the batch peak (silver-build) already does,
  // otherwise datagen alone would set the cluster a scale needs.
  const peakCores = Math.max(...BATCH_JOBS.map((j) => jobSizing(j, scale, { override: overrides?.[j] }).cores));
  return Math.min(64, Math.max(1, Math.ceil(scale / 10)), Math.max(1, Math.floor(peakCores / pod.cpu)));
}

export type AlwaysOn = { cpu: number; memoryGb: number };

/** The query engine as the config describes it (cluster.queryEngine). */
export type EngineSize = { type: 'trino' | 'spark-thrift' | 'duckdb'; workers: number; workerCpu: number; workerMemoryGb: number };

// The chart's default requests and limits of the services that run all the time (charts/lakebench/
// values.yaml): PostgreSQL 1 GiB, the catalog 1.5 GiB, the runner 0.5 CPU / 2 GiB, and one core for
// catalog and database together as docs/pipeline.md §9.2 budgets it. The Trino coordinator is 0.5 CPU / 2 GiB.
// These are estimates for `plan`, `recommend` and a preflight that cannot read pods; once the runner
// can read the pods bound to the nodes, their real requests replace them (`roomShortfalls`).
const SERVICES = { cpu: 1.5, memoryGb: 4.5 };
const TRINO_COORDINATOR = { cpu: 0.5, memoryGb: 2 };

/** Always-on components: catalog, database, runner, and the query engine the config names. */
export function alwaysOnFor(engine: EngineSize): AlwaysOn {
  const coordinator = engine.type === 'trino' ? TRINO_COORDINATOR : { cpu: 0, memoryGb: 0 };
  // Spark Thrift runs as one pod and DuckDB inside the runner: the engine size is that one pod.
  const pods = engine.type === 'trino' ? engine.workers : 1;
  return {
    cpu: SERVICES.cpu + coordinator.cpu + pods * engine.workerCpu,
    memoryGb: SERVICES.memoryGb + coordinator.memoryGb + pods * engine.workerMemoryGb,
  };
}

export type Requirement = {
  scale: number;
  jobs: JobSizing[];
  batchPeak: { job: SparkJob; cores: number; memoryGb: number; scratchGi: number };
  datagen: { pods: number; cpu: number; memoryGb: number };
  alwaysOn: AlwaysOn;
  /** (max(batch peak, datagen) + always-on) × headroom. */
  batch: { cpu: number; memoryGb: number };
  largestPod: { cpu: number; memoryGb: number };
};

export type RequirementOptions = {
  sparkVersion?: '3' | '4';
  overrides?: Partial<Record<SparkJob, StageOverride>>;
  /** A fixed datagen pod count (datagen.parallelism); default follows the scale. */
  datagenPods?: number;
  datagenPod?: PodSize;
};

export function requirement(scale: number, alwaysOn: AlwaysOn, opts: RequirementOptions = {}): Requirement {
  const jobs = BATCH_JOBS.map((j) => jobSizing(j, scale, { sparkVersion: opts.sparkVersion, override: opts.overrides?.[j] }));
  const peak = jobs.reduce((a, b) => (b.cores > a.cores || (b.cores === a.cores && b.memoryGb > a.memoryGb) ? b : a));
  const pod = opts.datagenPod ?? DATAGEN_POD;
  const pods = opts.datagenPods ?? datagenPods(scale, pod, opts.overrides);
  const datagen = { pods, cpu: pods * pod.cpu, memoryGb: pods * pod.memoryGb };
  const largestExecutor = jobs.reduce((m, j) => Math.max(m, j.executorMemoryGb), 0);
  const largestDriver = jobs.reduce((m, j) => Math.max(m, j.driverMemoryGb + j.driverOverheadGb), 0);
  return {
    scale,
    jobs,
    batchPeak: { job: peak.job, cores: peak.cores, memoryGb: peak.memoryGb, scratchGi: peak.scratchGi },
    datagen,
    alwaysOn,
    batch: {
      cpu: (Math.max(peak.cores, datagen.cpu) + alwaysOn.cpu) * HEADROOM,
      memoryGb: (Math.max(peak.memoryGb, datagen.memoryGb) + alwaysOn.memoryGb) * HEADROOM,
    },
    largestPod: {
      cpu: Math.max(...jobs.map((j) => Math.max(j.executorCoreRequest, j.driverCoreRequest)), pod.cpu),
      memoryGb: Math.max(largestExecutor, largestDriver, pod.memoryGb),
    },
  };
}

export type Cluster = { nodes: number; nodeCpu: number; nodeMemoryGb: number };

/** Why a cluster cannot run `req`, with the numbers; empty when it can. */
export function capacityShortfalls(req: Requirement, cluster: Cluster): string[] {
  const out: string[] = [];
  const cpu = cluster.nodes * cluster.nodeCpu;
  const mem = cluster.nodes * cluster.nodeMemoryGb;
  if (req.batch.cpu > cpu) out.push(`needs ${req.batch.cpu.toFixed(1)} CPU (peak ${req.batchPeak.job} ${req.batchPeak.cores} + always-on ${req.alwaysOn.cpu}, × ${HEADROOM}), cluster has ${cpu}`);
  if (req.batch.memoryGb > mem) out.push(`needs ${req.batch.memoryGb.toFixed(1)} GiB (peak ${req.batchPeak.job} ${req.batchPeak.memoryGb} + always-on ${req.alwaysOn.memoryGb}, × ${HEADROOM}), cluster has ${mem}`);
  if (req.largestPod.cpu > cluster.nodeCpu || req.largestPod.memoryGb > cluster.nodeMemoryGb) {
    out.push(`the largest pod (${req.largestPod.cpu} CPU, ${req.largestPod.memoryGb} GiB) does not fit a node (${cluster.nodeCpu} CPU, ${cluster.nodeMemoryGb} GiB)`);
  }
  return out;
}

/** What one schedulable node can still take: its allocatable minus the requests of the pods bound to it. */
export type NodeRoom = { node: string; cpu: number; memoryGb: number };

/** Requests are whole millicores and bytes: a µ of slack keeps 0.1 × 3 from failing against 0.3. */
export const REQUEST_SLACK = 1e-6;

/** Numbers in messages: at most two decimals (0.23 CPU is a real requirement on a small node). */
const shown = (x: number): string => String(Number(x.toFixed(2)));

/** What the batch requirement's CPU or memory comes from: the largest stage or the datagen Job. */
function peakLabel(req: Requirement, what: 'cpu' | 'memoryGb'): string {
  const stage = what === 'cpu' ? req.batchPeak.cores : req.batchPeak.memoryGb;
  const datagen = req.datagen[what];
  return datagen > stage ? `datagen ${req.datagen.pods} pod(s) ${shown(datagen)}` : `peak ${req.batchPeak.job} ${shown(stage)}`;
}

/**
 * Why the room the scheduler sees cannot take `req`; empty when it can. The pods already bound to
 * the nodes (the always-on services among them) are out of the room, so `req` is built with no
 * always-on budget: only the Spark/datagen peak by requests, × headroom. The largest pod must fit
 * one node's room, CPU and memory together, as the scheduler places it.
 */
export function roomShortfalls(req: Requirement, rooms: readonly NodeRoom[]): string[] {
  const out: string[] = [];
  const slack = REQUEST_SLACK;
  const cpu = rooms.reduce((a, r) => a + r.cpu, 0);
  const mem = rooms.reduce((a, r) => a + r.memoryGb, 0);
  if (req.batch.cpu > cpu + slack) out.push(`needs ${shown(req.batch.cpu)} CPU (${peakLabel(req, 'cpu')}, × ${HEADROOM}), free ${shown(cpu)}`);
  if (req.batch.memoryGb > mem + slack) out.push(`needs ${shown(req.batch.memoryGb)} GiB (${peakLabel(req, 'memoryGb')}, × ${HEADROOM}), free ${shown(mem)}`);
  const misfit = podMisfit('the largest pod', req.largestPod, rooms, 'free room');
  if (misfit) out.push(misfit);
  return out;
}

/**
 * Why no node can take `pod`, CPU and memory together as the scheduler places it, naming the three
 * roomiest nodes; undefined when one can. `room` says what the nodes' figures are (free room, allocatable).
 */
export function podMisfit(what: string, pod: PodSize, rooms: readonly NodeRoom[], room: string): string | undefined {
  const slack = REQUEST_SLACK;
  if (rooms.some((r) => r.cpu + slack >= pod.cpu && r.memoryGb + slack >= pod.memoryGb)) return undefined;
  const most = [...rooms].sort((a, b) => b.cpu - a.cpu || b.memoryGb - a.memoryGb).slice(0, 3);
  const listed = most.map((r) => `${r.node}: ${shown(r.cpu)} CPU, ${shown(r.memoryGb)} GiB`).join('; ') + (rooms.length > most.length ? '; …' : '');
  return `${what} (${shown(pod.cpu)} CPU, ${shown(pod.memoryGb)} GiB) fits no node's ${room} (${listed || 'no node'})`;
}

/** The largest scale whose requirement fits the cluster: a binary search over `requirement`. */
export function largestFeasibleScale(cluster: Cluster, alwaysOn: AlwaysOn, lo = 0.01, hi = 100_000, opts: RequirementOptions = {}): number | null {
  return largestPassingScale((s) => capacityShortfalls(requirement(s, alwaysOn, opts), cluster).length === 0, lo, hi);
}

/** The largest scale in [lo, hi] (to 0.01) that `fits`, assuming fitting is monotone in scale; null when even `lo` does not. */
export function largestPassingScale(fits: (scale: number) => boolean, lo = 0.01, hi = 100_000): number | null {
  if (!fits(lo)) return null;
  if (fits(hi)) return hi;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return Math.floor(lo * 100) / 100;
}
