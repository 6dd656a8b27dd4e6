// `lakebench recommend` judges a continuous config (pipeline.mode: continuous) the way a continuous
// run's capacity preflight does: the three streaming jobs at the executor counts the streaming budget
// (docs/pipeline.md §9.2) leaves them, their drivers and the landing pod, and the base set's datagen
// Job; not by the batch stages' peak, which a continuous run never submits. The same cluster can fit
// one and not the other, so both verdicts are made to happen on it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { recommendCommand } from '../../runner/src/cli/recommend-command.js';
import { largestStreamingScale, streamingFit, wholeRoom } from '../../runner/src/platforms/kubernetes/streaming-capacity.js';
import { clusterConfig, clusterConfigInput } from '../kubernetes/plan-configs.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-recommend-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, mode: 'batch' | 'continuous'): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, JSON.stringify({ ...clusterConfigInput('hive-iceberg', { scale: 1 }), pipeline: { mode } }));
  return file;
}

async function recommend(argv: string[]): Promise<{ out: string; exitCode: number }> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const before = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = ((c: string) => (chunks.push(c), true)) as typeof process.stdout.write;
  try {
    await yargs().command(recommendCommand as never).strict().fail((msg, err) => { throw err ?? new Error(msg); }).parseAsync(['recommend', ...argv]);
    return { out: chunks.join(''), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.stdout.write = write;
    process.exitCode = before;
  }
}

const nodes = (count: number) => ['--nodes', String(count), '--node-cpu', '16', '--node-memory-gb', '128'];

describe('recommend for a continuous config', () => {
  it('fits three 16-CPU / 128 GiB nodes by the streaming budget, where the batch verdict for the same cluster is REFUSED', async () => {
    // Batch at scale 1: silver-build's 8 executors of 60 GiB alone need more than the 384 GiB.
    const batch = await recommend(['--config', configFile('batch', 'batch'), ...nodes(3)]);
    expect(batch.exitCode).toBe(1);
    expect(batch.out).toContain('preflight on 3 nodes × 16 CPU / 128 GiB (48 CPU / 384 GiB): REFUSED');

    const continuous = await recommend(['--config', configFile('continuous', 'continuous'), ...nodes(3)]);
    expect(continuous.exitCode, continuous.out).toBe(0);
    expect(continuous.out).toContain('preflight (continuous) on 3 nodes × 16 CPU / 128 GiB (48 CPU / 384 GiB): fits');
    expect(continuous.out).not.toContain('REFUSED');
    const json = JSON.parse((await recommend(['--config', configFile('continuous-json', 'continuous'), ...nodes(3), '--json'])).out) as { mode: string; fits: boolean; shortfalls: string[]; largestFeasibleScale: number };
    expect(json).toMatchObject({ mode: 'continuous', fits: true, shortfalls: [] });
    // The largest scale it names is one whose streaming fit passes on these nodes.
    const room = wholeRoom({ nodes: 3, nodeCpu: 16, nodeMemoryGb: 128 }, 'test');
    const config = { ...clusterConfig('hive-iceberg', { scale: 1 }), pipeline: { mode: 'continuous' as const } };
    expect(json.largestFeasibleScale).toBe(largestStreamingScale(config, room));
    expect(streamingFit({ ...config, scale: json.largestFeasibleScale }, room).shortfalls).toEqual([]);
    expect(streamingFit({ ...config, scale: json.largestFeasibleScale + 0.01 }, room).shortfalls).not.toEqual([]);
  });

  it('is REFUSED with the streaming figures on two such nodes, exit 1', async () => {
    const r = await recommend(['--config', configFile('continuous-small', 'continuous'), ...nodes(2)]);
    expect(r.exitCode).toBe(1);
    expect(r.out).toContain('preflight (continuous) on 2 nodes × 16 CPU / 128 GiB (32 CPU / 256 GiB): REFUSED');
    expect(r.out).toMatch(/ {2}- streaming needs [\d.]+ CPU \(bronze-ingest 2 \+ driver [\d.]+, silver-stream \d+ \+ driver [\d.]+, gold-refresh 2 \+ driver [\d.]+, landing 4, always-on 3\), cluster has 32/);
  });
});
