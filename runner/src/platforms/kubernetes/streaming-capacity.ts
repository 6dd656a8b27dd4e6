// Continuous mode against the room (room.ts) the batch preflight also judges: the CPU the streaming
// budget shares, whether the three streaming jobs, at the executor counts that budget leaves them,
// fit together with the landing pod, and whether the base set's datagen Job fits (it runs alone,
// before the streams, when bronze is not generated yet; above scale 10 it has more than one pod and
// can need more than the budget-capped streams). Free room has the always-on services' pods already
// subtracted; whole nodes budget them at the chart's default requests, as `plan` and `recommend` do.
// The budget never gives a job fewer than two executors and does not cap drivers or memory, so a
// small room can still be too small: that is refused with the numbers, before anything is submitted.
import type { LakebenchConfig } from '../../config/schema.js';
import { alwaysOnFor, DATAGEN_POD, datagenPods, largestPassingScale, podMisfit, REQUEST_SLACK, type Cluster } from '../../model/sizing.js';
import { sizingOptions } from '../../model/sizing-options.js';
import { DEFAULT_ENGINE } from './manifests/sizing-table.js';
import { roomTotals, type Room, type RoomTotals } from './room.js';
import { LANDING_PODS, streamingSizing, type ClusterCpu, type StreamingSizing } from './streaming/streaming-sizing.js';

type Part = { what: string; cpu: number; memoryGb: number };

export type StreamingFit = {
  /** The jobs at the executor counts the budget gives them against this room. */
  sizing: StreamingSizing;
  /** What all of it requests at once (with whole nodes, the always-on services too). */
  need: RoomTotals;
  /** The base set's datagen Job, alone before the streams (with whole nodes, the always-on services too). */
  datagen: { pods: number; need: RoomTotals };
  room: RoomTotals;
  /** Why it does not fit, with the numbers; empty when it does. */
  shortfalls: string[];
};

/** Numbers in messages: at most two decimals, in millicores' precision. */
const shown = (x: number): string => String(Number(x.toFixed(2)));

/** The CPU the streaming budget shares out: the free room (always-on already in it), or whole nodes. */
export function streamingClusterCpu(room: Room): ClusterCpu {
  const cpu = Math.round(roomTotals(room).cpu * 1000) / 1000;
  return { cpu, kind: room.kind, source: room.kind === 'free' ? `free: ${room.source}` : room.source };
}

const alwaysOnPart = (config: LakebenchConfig, room: Room): Part[] => (room.kind === 'whole' ? [{ what: 'always-on', ...alwaysOnFor(config.cluster?.queryEngine ?? DEFAULT_ENGINE) }] : []);

function parts(config: LakebenchConfig, sizing: StreamingSizing, room: Room): Part[] {
  const landing = config.datagen.pod ?? DATAGEN_POD;
  return [
    ...sizing.jobs.map((j) => ({ what: `${j.job} ${j.executors} + driver`, cpu: j.cores, memoryGb: j.memoryGb })),
    { what: 'landing', cpu: LANDING_PODS * landing.cpu, memoryGb: LANDING_PODS * landing.memoryGb },
    ...alwaysOnPart(config, room),
  ];
}

/**
 * The base set's datagen Job, as the batch preflight counts it (datagen.parallelism, or pods that
 * follow the scale): the preflight cannot tell yet whether bronze is already there, so it is counted
 * whenever a run could have to generate it.
 */
function datagenParts(config: LakebenchConfig, room: Room): { pods: number; parts: Part[] } {
  const opts = sizingOptions(config);
  const pod = opts.datagenPod ?? DATAGEN_POD;
  const pods = opts.datagenPods ?? datagenPods(config.scale, pod, opts.overrides);
  return { pods, parts: [{ what: `datagen ${pods} pod${pods === 1 ? '' : 's'}`, cpu: pods * pod.cpu, memoryGb: pods * pod.memoryGb }, ...alwaysOnPart(config, room)] };
}

const sum = (ps: readonly Part[]): RoomTotals => ({ cpu: ps.reduce((a, p) => a + p.cpu, 0), memoryGb: ps.reduce((a, p) => a + p.memoryGb, 0) });

/** The largest of the pods this starts (executor, driver or landing), CPU and memory each at their largest. */
function largestPod(config: LakebenchConfig, sizing: StreamingSizing): RoomTotals {
  const landing = config.datagen.pod ?? DATAGEN_POD;
  const pods = [...sizing.jobs.flatMap((j) => [{ cpu: j.executorCoreRequest, memoryGb: j.executorMemoryGb }, { cpu: j.driverCoreRequest, memoryGb: j.driverMemoryGb + j.driverOverheadGb }]), landing];
  return { cpu: Math.max(...pods.map((p) => p.cpu)), memoryGb: Math.max(...pods.map((p) => p.memoryGb)) };
}

/** Continuous mode's pods against the room: by requests, no headroom (the budget keeps its own 10%). */
export function streamingFit(config: LakebenchConfig, room: Room): StreamingFit {
  const sizing = streamingSizing(config, config.scale, streamingClusterCpu(room));
  const all = parts(config, sizing, room);
  const need = sum(all);
  const datagen = datagenParts(config, room);
  const datagenNeed = sum(datagen.parts);
  const have = roomTotals(room);
  const has = room.kind === 'free' ? 'free' : 'cluster has';
  const shortfalls: string[] = [];
  const check = (what: string, ps: readonly Part[], total: RoomTotals) => {
    if (total.cpu > have.cpu + REQUEST_SLACK) shortfalls.push(`${what} needs ${shown(total.cpu)} CPU (${ps.map((p) => `${p.what} ${shown(p.cpu)}`).join(', ')}), ${has} ${shown(have.cpu)}`);
    if (total.memoryGb > have.memoryGb + REQUEST_SLACK) shortfalls.push(`${what} needs ${shown(total.memoryGb)} GiB (${ps.map((p) => `${p.what} ${shown(p.memoryGb)}`).join(', ')}), ${has} ${shown(have.memoryGb)}`);
  };
  check('streaming', all, need);
  check('the base set\'s datagen Job (before the streams; fewer pods with datagen.parallelism)', datagen.parts, datagenNeed);
  const pod = largestPod(config, sizing);
  const nodes = room.kind === 'free' ? room.rooms : [{ node: 'the average node', cpu: room.cluster.nodeCpu, memoryGb: room.cluster.nodeMemoryGb }];
  const misfit = podMisfit('the largest streaming pod', pod, nodes, room.kind === 'free' ? 'free room' : 'allocatable');
  if (misfit) shortfalls.push(misfit);
  return { sizing, need, datagen: { pods: datagen.pods, need: datagenNeed }, room: have, shortfalls };
}

/** Whole nodes as `recommend` and `plan` know them (flags or the declared cluster.nodes). */
export function wholeRoom(cluster: Cluster, source: string): Room & { kind: 'whole' } {
  return { kind: 'whole', cluster, source };
}

/** `recommend` for a continuous config: the streaming fit's verdict on whole nodes, with the numbers. */
export function streamingPreflightLines(config: LakebenchConfig, room: Room & { kind: 'whole' }): { fits: boolean; shortfalls: string[]; lines: string[] } {
  const fit = streamingFit(config, room);
  const c = room.cluster;
  const head = `preflight (continuous) on ${c.nodes} nodes × ${c.nodeCpu} CPU / ${c.nodeMemoryGb} GiB (${shown(c.nodes * c.nodeCpu)} CPU / ${shown(c.nodes * c.nodeMemoryGb)} GiB): ${fit.shortfalls.length === 0 ? 'fits' : 'REFUSED'}`;
  return { fits: fit.shortfalls.length === 0, shortfalls: fit.shortfalls, lines: [head, ...fit.shortfalls.map((s) => `  - ${s}`)] };
}

/** The largest scale whose streaming fit (budget-capped streams, base-set datagen, largest pod) passes on `room`: a binary search. */
export function largestStreamingScale(config: LakebenchConfig, room: Room, lo = 0.01, hi = 100_000): number | null {
  return largestPassingScale((scale) => streamingFit({ ...config, scale }, room).shortfalls.length === 0, lo, hi);
}
