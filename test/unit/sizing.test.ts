// The one sizing model (docs/pipeline.md §9): the spec's table, the ceiling, monotonic outputs over a
// scale grid from 0.01 to 100,000, and the preflight and `recommend` built on the same function.
import { describe, expect, it } from 'vitest';
import { executorCount, jobSizing, requirement, capacityShortfalls, largestFeasibleScale, datagenPods, maxPartitionBytesMb, alwaysOnFor, BATCH_JOBS, STREAMING_JOBS, EXECUTOR_CEILING } from '../../runner/src/model/sizing.js';

const ALWAYS_ON = { cpu: 8, memoryGb: 32 };

describe('sizing model', () => {
  it.each([
    [10, [4, 8, 4, 2, 4, 2], [36, 512, 1200]],
    [50, [5, 12, 7, 3, 7, 3], [52, 752, 1800]],
    [100, [7, 18, 11, 5, 11, 5], [76, 1112, 2700]],
    [200, [11, 28, 19, 9, 19, 9], [116, 1712, 4200]],
    [500, [20, 28, 28, 10, 20, 10], [116, 1712, 4200]],
  ] as const)('matches the spec table at scale %d', (scale, counts, [cores, memory, scratch]) => {
    expect([...BATCH_JOBS, ...STREAMING_JOBS].map((j) => executorCount(j, scale))).toEqual(counts);
    const r = requirement(scale, ALWAYS_ON);
    // The spec's table counts the driver's heap only; the model adds the 4 GiB overhead its pod requests.
    expect(r.batchPeak).toMatchObject({ job: 'silver-build', cores, memoryGb: memory + 4, scratchGi: scratch });
  });

  it('never exceeds the 28-executor ceiling without an override, and flags an override above it', () => {
    for (const j of [...BATCH_JOBS, ...STREAMING_JOBS]) expect(executorCount(j, 1e6)).toBeLessThanOrEqual(EXECUTOR_CEILING);
    expect(jobSizing('silver-build', 10, { override: { executors: 32 } })).toMatchObject({ executors: 32, overCeiling: true });
  });

  it('is non-decreasing in scale for every output, from 0.01 to 100,000', () => {
    const grid: number[] = [];
    for (let s = 0.01; s <= 100_000; s *= 1.07) grid.push(s);
    grid.push(100_000);
    let prev = requirement(grid[0]!, ALWAYS_ON);
    for (const s of grid.slice(1)) {
      const r = requirement(s, ALWAYS_ON);
      r.jobs.forEach((j, i) => {
        const before = prev.jobs[i]!;
        for (const k of ['executors', 'cores', 'memoryGb', 'scratchGi', 'maxResultSizeGb', 'shufflePartitions'] as const) {
          expect(j[k], `${j.job}.${k} at ${s}`).toBeGreaterThanOrEqual(before[k]);
        }
      });
      expect(r.batch.cpu).toBeGreaterThanOrEqual(prev.batch.cpu);
      expect(r.batch.memoryGb).toBeGreaterThanOrEqual(prev.batch.memoryGb);
      expect(r.datagen.pods).toBeGreaterThanOrEqual(prev.datagen.pods);
      expect(maxPartitionBytesMb(s)).toBeGreaterThanOrEqual(maxPartitionBytesMb(prev.scale));
      prev = r;
    }
    // Capped by the batch peak (silver-build: 28 × 4 + 4 = 116 CPU ⇒ 29 pods of 4 CPU), not by 64.
    expect(datagenPods(100_000)).toBe(29);
    expect(datagenPods(1)).toBe(1);
  });

  it('counts the always-on services with the configured query engine', () => {
    expect(alwaysOnFor({ type: 'trino', workers: 2, workerCpu: 4, workerMemoryGb: 16 })).toEqual({ cpu: 10, memoryGb: 38.5 });
    expect(alwaysOnFor({ type: 'duckdb', workers: 0, workerCpu: 0.5, workerMemoryGb: 2 })).toEqual({ cpu: 2, memoryGb: 6.5 });
  });

  it('lets a configured datagen pod count replace the derived one', () => {
    expect(requirement(1, ALWAYS_ON).datagen.pods).toBe(1);
    expect(requirement(1, ALWAYS_ON, { datagenPods: 12 }).datagen).toEqual({ pods: 12, cpu: 48, memoryGb: 48 });
  });

  it('lets a per-stage override replace the profile, field by field, in every number built on it', () => {
    const small = { executors: 1, executorCores: 1, executorHeapGb: 2, executorOverheadGb: 1, driverCores: 1, driverMemoryGb: 2, scratchGi: 5 };
    expect(jobSizing('silver-build', 1, { override: small })).toMatchObject({
      executors: 1, executorCores: 1, executorHeapGb: 2, executorOverheadGb: 1, executorMemoryGb: 3,
      driverCores: 1, driverMemoryGb: 2, driverOverheadGb: 1, cores: 2, memoryGb: 6, scratchGi: 5,
    });
    // Fields left out keep the profile (silver-build: 4 cores, 48 + 12 GiB executors).
    expect(jobSizing('silver-build', 1, { override: { executorHeapGb: 8 } })).toMatchObject({ executorCores: 4, executorMemoryGb: 20, executors: 8 });
    const overrides = { 'bronze-verify': small, 'silver-build': small, 'gold-finalize': small };
    const r = requirement(1, ALWAYS_ON, { overrides, datagenPod: { cpu: 1, memoryGb: 2 } });
    expect(r.batchPeak).toMatchObject({ cores: 2, memoryGb: 6 });
    expect(r.datagen).toEqual({ pods: 1, cpu: 1, memoryGb: 2 });
    expect(r.largestPod).toEqual({ cpu: 1, memoryGb: 3 });
    // The same requirement refused by a kind-sized node with the profile fits it with the overrides.
    const kind = { nodes: 1, nodeCpu: 16, nodeMemoryGb: 48 };
    expect(capacityShortfalls(requirement(1, ALWAYS_ON), kind).length).toBeGreaterThan(0);
    expect(capacityShortfalls(r, kind)).toEqual([]);
  });

  it('sizes the driver result limit by Spark version', () => {
    expect(jobSizing('silver-build', 100).maxResultSizeGb).toBe(9);
    expect(jobSizing('silver-build', 100, { sparkVersion: '3' }).maxResultSizeGb).toBe(6);
    expect(jobSizing('silver-build', 1, { sparkVersion: '3' }).driverMemoryGb).toBe(24);
  });

  it('refuses a cluster that is too small, with the numbers', () => {
    const shortfalls = capacityShortfalls(requirement(1, ALWAYS_ON), { nodes: 3, nodeCpu: 8, nodeMemoryGb: 32 });
    expect(shortfalls.join('\n')).toMatch(/needs 50\.6 CPU .* cluster has 24/);
    expect(shortfalls.join('\n')).toMatch(/needs 630\.2 GiB/);
    expect(shortfalls.join('\n')).toMatch(/largest pod \(4 CPU, 60 GiB\) does not fit a node \(8 CPU, 32 GiB\)/);
  });

  it('finds the largest feasible scale with the same function', () => {
    const cluster = { nodes: 10, nodeCpu: 16, nodeMemoryGb: 128 };
    const s = largestFeasibleScale(cluster, ALWAYS_ON)!;
    expect(s).toBeGreaterThan(10);
    expect(capacityShortfalls(requirement(s, ALWAYS_ON), cluster)).toEqual([]);
    expect(capacityShortfalls(requirement(s + 1, ALWAYS_ON), cluster).length).toBeGreaterThan(0);
    expect(largestFeasibleScale({ nodes: 1, nodeCpu: 4, nodeMemoryGb: 16 }, ALWAYS_ON)).toBeNull();
  });
});
