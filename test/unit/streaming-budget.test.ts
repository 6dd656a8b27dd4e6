// The streaming budget of docs/pipeline.md §9.2: with a known cluster size, the three streaming jobs'
// executors share 90% of (cluster CPU − always-on − datagen) in proportion to their uncapped demand,
// at least two each; a job whose count the config fixes keeps it. And the sums of §9.1's table.
import { describe, expect, it } from 'vitest';
import { jobSizing, STREAMING_JOBS } from '../../runner/src/model/sizing.js';
import { MIN_STREAMING_EXECUTORS, streamingBudget } from '../../runner/src/platforms/kubernetes/streaming/streaming-budget.js';
import { streamingLines, streamingSizing } from '../../runner/src/platforms/kubernetes/streaming/streaming-sizing.js';
import { clusterConfig } from '../kubernetes/plan-configs.js';

const uncapped = (scale: number) => STREAMING_JOBS.map((j) => jobSizing(j, scale));

describe('streaming budget (docs/pipeline.md §9.2)', () => {
  it('leaves the profile counts alone when the budget covers the demand', () => {
    const b = streamingBudget({ clusterCpu: 100, alwaysOnCpu: 4, datagenCpu: 4, jobs: uncapped(1) });
    expect(b.budgetCpu).toBeCloseTo(0.9 * 92);
    expect(b.demandCpu).toBe(2 * 2 + 4 * 4 + 2 * 4);
    expect(b.capped).toBe(false);
    expect(b.executors).toEqual({ 'bronze-ingest': 2, 'silver-stream': 4, 'gold-refresh': 2 });
  });

  it('shares a short budget in proportion to demand (scale 100 on 64 CPU)', () => {
    // Uncapped at scale 100: 5 × 2, 11 × 4, 5 × 4 = 74 CPU; budget 0.9 × (64 − 4 − 4) = 50.4.
    const b = streamingBudget({ clusterCpu: 64, alwaysOnCpu: 4, datagenCpu: 4, jobs: uncapped(100) });
    expect(b.demandCpu).toBe(74);
    expect(b.capped).toBe(true);
    // 10/74 × 50.4 = 6.8 CPU → 3 × 2; 44/74 × 50.4 = 30.0 → 7 × 4; 20/74 × 50.4 = 13.6 → 3 × 4.
    expect(b.executors).toEqual({ 'bronze-ingest': 3, 'silver-stream': 7, 'gold-refresh': 3 });
    const used = 3 * 2 + 7 * 4 + 3 * 4;
    expect(used).toBeLessThanOrEqual(b.budgetCpu);
  });

  it('never goes below two executors per job, even with no CPU left', () => {
    const b = streamingBudget({ clusterCpu: 6, alwaysOnCpu: 4, datagenCpu: 4, jobs: uncapped(100) });
    expect(b.budgetCpu).toBe(0);
    expect(b.executors).toEqual({ 'bronze-ingest': MIN_STREAMING_EXECUTORS, 'silver-stream': MIN_STREAMING_EXECUTORS, 'gold-refresh': MIN_STREAMING_EXECUTORS });
  });

  it('keeps a count the config fixes and charges it before sharing the rest', () => {
    const jobs = uncapped(100).map((j) => (j.job === 'silver-stream' ? jobSizing('silver-stream', 100, { override: { executors: 10 } }) : j));
    const b = streamingBudget({ clusterCpu: 64, alwaysOnCpu: 4, datagenCpu: 4, jobs, fixed: new Set(['silver-stream']) });
    expect(b.executors['silver-stream']).toBe(10);
    // 50.4 − 40 = 10.4 CPU left for 10 + 20 CPU of demand: 3.5 → 1 → 2, and 6.9 → 1 → 2.
    expect(b.executors['bronze-ingest']).toBe(2);
    expect(b.executors['gold-refresh']).toBe(2);
  });
});

describe('streaming sizing from the config', () => {
  it('has the streaming sums of docs/pipeline.md §9.1 at scale ≤ 10 without a known cluster (38 cores, 640 GiB scratch)', () => {
    const z = streamingSizing(clusterConfig('hive-iceberg', { scale: 1 }), 1, undefined);
    expect(z.budget).toBeNull();
    expect(z.jobs.map((j) => [j.job, j.executors])).toEqual([['bronze-ingest', 2], ['silver-stream', 4], ['gold-refresh', 2]]);
    expect(z.sum.cores).toBe(38);
    expect(z.sum.scratchGi).toBe(640);
    // §9.1 counts the drivers' heap only (272 GB); the pods also request 1 GiB of overhead each.
    expect(z.sum.memoryGb).toBe(272 + 3);
  });

  it('caps by the declared cluster.nodes: always-on from the configured query engine, one landing pod', () => {
    // Query engine of the fixture: 1 Trino worker × 1 CPU + coordinator 0.5 + services 1.5 = 3 CPU; landing 4 CPU.
    const config = clusterConfig('hive-iceberg', { scale: 100, nodes: { count: 4, cpu: 16, memoryGb: 128 } });
    const z = streamingSizing(config, 100, { cpu: 64, kind: 'whole', source: 'declared cluster.nodes' });
    expect(z.budget).toMatchObject({ clusterCpu: 64, alwaysOnCpu: 3, datagenCpu: 4, capped: true });
    expect(z.budget!.budgetCpu).toBeCloseTo(0.9 * 57);
    expect(z.jobs.map((j) => j.executors)).toEqual([3, 7, 3]);
    expect(streamingLines(z).join('\n')).toMatch(/budget +51\.3 CPU for executors = 0\.9 × \(64 cluster CPU \(declared cluster.nodes\) − 3 always-on − 4 datagen\); demand 74 CPU, capped/);
  });
});
