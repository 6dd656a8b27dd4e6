// Continuous mode judged against the same room as the batch preflight (room.ts): the streaming budget
// shares the free room without budgeting the always-on services a second time (their pods are in it),
// and the three streaming jobs at the budget's counts, with their drivers and the landing pod, either
// fit or are refused with the numbers; whole nodes (no pod read, or the declared cluster.nodes, as
// `plan` and `recommend` have) still budget the always-on services at the chart's default requests.
import { describe, expect, it } from 'vitest';
import type { LakebenchConfig } from '../../runner/src/config/schema.js';
import type { Room } from '../../runner/src/platforms/kubernetes/room.js';
import { streamingClusterCpu, streamingFit } from '../../runner/src/platforms/kubernetes/streaming-capacity.js';
import { streamingSizing } from '../../runner/src/platforms/kubernetes/streaming/streaming-sizing.js';
import { clusterConfig } from '../kubernetes/plan-configs.js';

const continuous = (c: LakebenchConfig): LakebenchConfig => ({ ...c, pipeline: { ...c.pipeline, mode: 'continuous' } });

// Each streaming job: 1-core executors of 1 + 1 GiB and a 1-core / 1 GiB driver (+ 1 GiB overhead),
// every pod requesting `request` CPU; the landing pod 0.1 CPU / 2 GiB unless given. At scale 0.01 the
// profiles run 2, 4 and 2 executors: 1.1 CPU for the jobs, 22 GiB.
const tiny = (request: number, landing = { cpu: 0.1, memoryGb: 2 }): LakebenchConfig => {
  const job = { executorCores: 1, executorHeapGb: 1, executorOverheadGb: 1, driverCores: 1, driverMemoryGb: 1, scratchGi: 1, executorCoreRequest: request, driverCoreRequest: request };
  return continuous(clusterConfig('hive-iceberg', { scale: 0.01, spark: { resources: { 'bronze-ingest': job, 'silver-stream': job, 'gold-refresh': job } }, datagen: { pod: landing } }));
};
const free = (...rooms: [string, number, number][]): Room => ({ kind: 'free', rooms: rooms.map(([node, cpu, memoryGb]) => ({ node, cpu, memoryGb })), source: 'test room' });
const whole = (nodes: number, nodeCpu: number, nodeMemoryGb: number): Room => ({ kind: 'whole', cluster: { nodes, nodeCpu, nodeMemoryGb }, source: 'declared cluster.nodes' });

describe('the streaming budget from the room', () => {
  it('shares the free room without taking the always-on services off again; whole nodes still take them off', () => {
    // Scale 100 at the profiles: 74 CPU of executor demand; landing pod 4 CPU; always-on 3 CPU (1 Trino worker of 1 CPU).
    const config = continuous(clusterConfig('hive-iceberg', { scale: 100 }));
    const fromFree = streamingSizing(config, 100, streamingClusterCpu(free(['a', 32, 256], ['b', 32, 256])));
    expect(fromFree.budget).toMatchObject({ clusterCpu: 64, alwaysOnCpu: 0, datagenCpu: 4, capped: true });
    expect(fromFree.budget!.budgetCpu).toBeCloseTo(0.9 * 60);
    const fromWhole = streamingSizing(config, 100, streamingClusterCpu(whole(4, 16, 128)));
    expect(fromWhole.budget).toMatchObject({ clusterCpu: 64, alwaysOnCpu: 3, datagenCpu: 4, source: 'declared cluster.nodes' });
    expect(fromWhole.budget!.budgetCpu).toBeCloseTo(0.9 * 57);
    // 54 CPU leaves silver-stream one executor more than 51.3 does.
    expect(fromFree.jobs.map((j) => j.executors)).toEqual([3, 8, 3]);
    expect(fromWhole.jobs.map((j) => j.executors)).toEqual([3, 7, 3]);
  });

  it('names where the free CPU came from, in millicores', () => {
    expect(streamingClusterCpu(free(['a', 0.7, 4], ['b', 0.7000000001, 4]))).toEqual({ cpu: 1.4, kind: 'free', source: 'free: test room' });
  });
});

describe('streamingFit', () => {
  it('fits when the jobs, their drivers and the landing pod fit the free room', () => {
    const fit = streamingFit(tiny(0.1), free(['n', 1.4, 27]));
    expect(fit.shortfalls).toEqual([]);
    expect(fit.sizing.jobs.map((j) => j.executors)).toEqual([2, 4, 2]);
    expect(fit.need.cpu).toBeCloseTo(1.2);
    expect(fit.need.memoryGb).toBe(24);
  });

  it('is refused with the figures when other pods leave too little CPU, or too little memory', () => {
    expect(streamingFit(tiny(0.1), free(['n', 1.1, 27])).shortfalls).toEqual([
      'streaming needs 1.2 CPU (bronze-ingest 2 + driver 0.3, silver-stream 4 + driver 0.5, gold-refresh 2 + driver 0.3, landing 0.1), free 1.1',
    ]);
    expect(streamingFit(tiny(0.1), free(['n', 1.4, 16])).shortfalls).toEqual([
      'streaming needs 24 GiB (bronze-ingest 2 + driver 6, silver-stream 4 + driver 10, gold-refresh 2 + driver 6, landing 2), free 16',
    ]);
  });

  it('never gives a job fewer than two executors, so a room below that minimum is refused, not silently overcommitted', () => {
    // 0.3 CPU free: the budget (0.9 × (0.3 − 0.1)) would leave each job under one executor; it keeps two.
    const fit = streamingFit(tiny(0.1), free(['n', 0.3, 64]));
    expect(fit.sizing.jobs.map((j) => j.executors)).toEqual([2, 2, 2]);
    expect(fit.shortfalls).toEqual(['streaming needs 1 CPU (bronze-ingest 2 + driver 0.3, silver-stream 2 + driver 0.3, gold-refresh 2 + driver 0.3, landing 0.1), free 0.3']);
  });

  it('refuses when the totals suffice but the largest pod fits no single node', () => {
    const fit = streamingFit(tiny(0.05, { cpu: 0.6, memoryGb: 2 }), free(['a', 0.5, 20], ['b', 0.5, 20], ['c', 0.5, 1]));
    expect(fit.shortfalls).toEqual(["the largest streaming pod (0.6 CPU, 2 GiB) fits no node's free room (a: 0.5 CPU, 20 GiB; b: 0.5 CPU, 20 GiB; c: 0.5 CPU, 1 GiB)"]);
  });

  it('counts the base set\'s datagen Job, which runs alone before the streams: refused when its pods need more than the room, fits with fewer', () => {
    // Scale 200: 20 datagen pods of 4 CPU / 4 GiB (one per ten scale units) = 80 CPU, while the
    // budget caps the three streams to the 64 free CPU (3 + 8 + 3 executors, their drivers, the landing pod).
    const config = continuous(clusterConfig('hive-iceberg', { scale: 200 }));
    const room = free(['a', 32, 256], ['b', 32, 256]);
    const fit = streamingFit(config, room);
    expect(fit.need.cpu).toBeLessThanOrEqual(64);
    expect(fit.datagen).toEqual({ pods: 20, need: { cpu: 80, memoryGb: 80 } });
    expect(fit.shortfalls).toEqual(["the base set's datagen Job (before the streams; fewer pods with datagen.parallelism) needs 80 CPU (datagen 20 pods 80), free 64"]);
    // datagen.parallelism: 16 → 64 CPU: fits.
    const fewer = streamingFit({ ...config, datagen: { ...config.datagen, parallelism: 16 } }, room);
    expect(fewer.datagen.need.cpu).toBe(64);
    expect(fewer.shortfalls).toEqual([]);
    // At scale 10 and below it is one pod, well inside what the streams need anyway.
    expect(streamingFit(continuous(clusterConfig('hive-iceberg', { scale: 10 })), room).datagen.pods).toBe(1);
  });

  it('on whole nodes counts the always-on services at the default requests, and says what the cluster has', () => {
    // Always-on: 3 CPU / 9.5 GiB (services 1.5 / 4.5, coordinator 0.5 / 2, one worker 1 / 3).
    expect(streamingFit(tiny(0.1), whole(1, 8, 64)).shortfalls).toEqual([]);
    expect(streamingFit(tiny(0.1), whole(1, 8, 24)).shortfalls).toEqual([
      'streaming needs 33.5 GiB (bronze-ingest 2 + driver 6, silver-stream 4 + driver 10, gold-refresh 2 + driver 6, landing 2, always-on 9.5), cluster has 24',
    ]);
  });
});
