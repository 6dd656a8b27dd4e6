// The continuous mode's three streaming jobs are sized from the chart like the batch stages:
// spark.executors.{bronzeIngest,silverStream,goldRefresh} and spark.resources.<job>.* reach the
// runner's config.yaml as cluster.spark.executors/resources of bronze-ingest, silver-stream and
// gold-refresh, accepted by its configSchema and used by its streaming sizing. Without them a chart
// user could not size the streaming pods at all: their profiles (docs/pipeline.md §9.1: silver-stream
// and gold-refresh executors of 4 CPU and 40 GiB) do not fit a small cluster, whose capacity
// preflight then refuses every continuous run (found on the real node, test/cluster/continuous.test.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../runner/src/config/schema.js';
import { streamingSizing } from '../../runner/src/platforms/kubernetes/streaming/streaming-sizing.js';
import { repoRoot } from '../harness/cache.js';
import { byKind, helmTemplate, type K8sObject } from './helpers/render.js';
import { chartDir, helmVersions, requireTools, run, type HelmName } from './helpers/tools.js';

const tiny = [path.join(repoRoot, 'values', 'profile-tiny.yaml'), path.join(repoRoot, 'values', 'hive-iceberg-trino.yaml')];
const base = ['runner.image.repository=registry.example/lakebench-runner', 'runner.config.pipeline.mode=continuous'];

beforeAll(requireTools);
const work = mkdtempSync(path.join(os.tmpdir(), 'lakebench-streaming-sizes-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function runnerConfig(objects: K8sObject[]): Record<string, unknown> {
  const cm = byKind(objects, 'ConfigMap').find((c) => c.metadata.name.endsWith('-runner')) as unknown as { data: Record<string, string> } | undefined;
  if (!cm) throw new Error('no runner ConfigMap');
  return parse(cm.data['config.yaml']!) as Record<string, unknown>;
}

describe('streaming job sizes from the chart', () => {
  it('spark.executors and spark.resources of the three streaming jobs reach the runner and size its SparkApplications', () => {
    // A values file, not --set: helm's --set reads 0.1 as a string, which the chart's schema refuses.
    const small = { executorCores: 1, executorHeapGb: 1, executorOverheadGb: 1, driverCores: 1, driverMemoryGb: 1, scratchGi: 1, executorCoreRequest: 0.1, driverCoreRequest: 0.1 };
    const file = path.join(work, 'values.yaml');
    writeFileSync(file, stringify({ spark: { executors: { bronzeIngest: 1, silverStream: 1, goldRefresh: 1 }, resources: { bronzeIngest: small, silverStream: small, goldRefresh: small } } }));
    const raw = runnerConfig(helmTemplate('helm3', [...tiny, file], base).objects);
    const parsed = configSchema.safeParse(raw);
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true);
    const config = parsed.data!;
    for (const job of ['bronze-ingest', 'silver-stream', 'gold-refresh'] as const) {
      expect(config.cluster?.spark.executors[job], job).toBe(1);
      expect(config.cluster?.spark.resources[job], job).toEqual(small);
    }
    // The runner's streaming sizing takes them (and fixed counts are never capped by the budget).
    const sizing = streamingSizing(config, config.scale, undefined);
    expect(sizing.jobs.map((j) => [j.job, j.executors, j.executorCoreRequest, j.executorMemoryGb, j.driverCoreRequest, j.driverMemoryGb])).toEqual([
      ['bronze-ingest', 1, 0.1, 2, 0.1, 1],
      ['silver-stream', 1, 0.1, 2, 0.1, 1],
      ['gold-refresh', 1, 0.1, 2, 0.1, 1],
    ]);
  });

  it('left at 0, the streaming jobs keep their profiles: no streaming key reaches the runner', () => {
    const raw = runnerConfig(helmTemplate('helm3', tiny, base).objects);
    const spark = (raw.cluster as { spark: { executors: Record<string, number>; resources: Record<string, unknown> } }).spark;
    for (const job of ['bronze-ingest', 'silver-stream', 'gold-refresh']) {
      expect(spark.executors, job).not.toHaveProperty(job);
      expect(spark.resources, job).not.toHaveProperty(job);
    }
  });
});

describe.each(Object.keys(helmVersions) as HelmName[])('%s template', (helm) => {
  it.each([
    { what: 'a negative executor count of silver-stream', set: 'spark.executors.silverStream=-1', names: /spark[./]executors[./]silverStream/ },
    { what: 'an unknown field of gold-refresh', set: 'spark.resources.goldRefresh.executorMemory=4', names: /executorMemory/ },
  ])('rejects $what, naming the value', ({ set, names }) => {
    const args = ['template', 'lakebench', chartDir, ...tiny.flatMap((f) => ['-f', f]), ...[...base, set].flatMap((s) => ['--set', s])];
    const result = run(helmVersions[helm], args);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(names);
  });
});
