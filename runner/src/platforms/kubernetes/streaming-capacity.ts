// Continuous mode against the room (room.ts) the batch preflight also judges: the CPU the streaming
// budget shares, and whether the three streaming jobs, at the executor counts that budget leaves
// them, fit together with the landing pod. Free room has the always-on services' pods already
// subtracted; whole nodes budget them at the chart's default requests, as `plan` and `recommend` do.
// The budget never gives a job fewer than two executors and does not cap drivers or memory, so a
// small room can still be too small: that is refused with the numbers, before anything is submitted.
import type { LakebenchConfig } from '../../config/schema.js';
import { alwaysOnFor, DATAGEN_POD, podMisfit, REQUEST_SLACK, type AlwaysOn } from '../../model/sizing.js';
import { DEFAULT_ENGINE } from './manifests/sizing-table.js';
import { roomTotals, type Room, type RoomTotals } from './room.js';
import { LANDING_PODS, streamingSizing, type ClusterCpu, type StreamingSizing } from './streaming/streaming-sizing.js';

type Part = { what: string; cpu: number; memoryGb: number };

export type StreamingFit = {
  /** The jobs at the executor counts the budget gives them against this room. */
  sizing: StreamingSizing;
  /** What all of it requests at once (with whole nodes, the always-on services too). */
  need: RoomTotals;
  room: RoomTotals;
  /** Why it does not fit, with the numbers; empty when it does. */
  shortfalls: string[];
};

/** Numbers in messages: at most two decimals, in millicores' precision. */
const shown = (x: number): string => String(Number(x.toFixed(2)));

/** The CPU the streaming budget shares out: the free room (always-on already in it), or whole nodes. */
export function streamingClusterCpu(room: Room): ClusterCpu {
  const cpu = Math.round(roomTotals(room).cpu * 1000) / 1000;
  return room.kind === 'free' ? { cpu, source: `free: ${room.source}`, alwaysOnCounted: true } : { cpu, source: room.source };
}

function parts(config: LakebenchConfig, sizing: StreamingSizing, room: Room): Part[] {
  const landing = config.datagen.pod ?? DATAGEN_POD;
  const alwaysOn: AlwaysOn | undefined = room.kind === 'whole' ? alwaysOnFor(config.cluster?.queryEngine ?? DEFAULT_ENGINE) : undefined;
  return [
    ...sizing.jobs.map((j) => ({ what: `${j.job} ${j.executors} + driver`, cpu: j.cores, memoryGb: j.memoryGb })),
    { what: 'landing', cpu: LANDING_PODS * landing.cpu, memoryGb: LANDING_PODS * landing.memoryGb },
    ...(alwaysOn ? [{ what: 'always-on', ...alwaysOn }] : []),
  ];
}

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
  const need = { cpu: all.reduce((a, p) => a + p.cpu, 0), memoryGb: all.reduce((a, p) => a + p.memoryGb, 0) };
  const have = roomTotals(room);
  const has = room.kind === 'free' ? 'free' : 'cluster has';
  const shortfalls: string[] = [];
  if (need.cpu > have.cpu + REQUEST_SLACK) shortfalls.push(`streaming needs ${shown(need.cpu)} CPU (${all.map((p) => `${p.what} ${shown(p.cpu)}`).join(', ')}), ${has} ${shown(have.cpu)}`);
  if (need.memoryGb > have.memoryGb + REQUEST_SLACK) shortfalls.push(`streaming needs ${shown(need.memoryGb)} GiB (${all.map((p) => `${p.what} ${shown(p.memoryGb)}`).join(', ')}), ${has} ${shown(have.memoryGb)}`);
  const pod = largestPod(config, sizing);
  const nodes = room.kind === 'free' ? room.rooms : [{ node: 'the average node', cpu: room.cluster.nodeCpu, memoryGb: room.cluster.nodeMemoryGb }];
  const misfit = podMisfit('the largest streaming pod', pod, nodes, room.kind === 'free' ? 'free room' : 'allocatable');
  if (misfit) shortfalls.push(misfit);
  return { sizing, need, room: have, shortfalls };
}
