// docs/cluster-sizing.md carries the per-stage executor counts and peak requests at scale 1, 10, 100
// and 1000 exactly as the sizing model computes them today, and `lakebench recommend` prints the
// same numbers the SparkApplications are built from.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { DOC, withTable } from '../../bench/cluster-sizing-table.js';
import { recommendCommand } from '../../runner/src/cli/recommend-command.js';
import { planCommand } from '../../runner/src/cli/plan-command.js';
import { docTable } from '../../runner/src/platforms/kubernetes/manifests/sizing-table.js';
import { alwaysOnFor, capacityShortfalls, requirement } from '../../runner/src/model/sizing.js';

async function run(command: object, argv: string[]): Promise<{ out: string; exitCode: number }> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const before = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = ((c: string) => (chunks.push(c), true)) as typeof process.stdout.write;
  try {
    await yargs().command(command as never).strict().fail((msg, err) => { throw err ?? new Error(msg); }).parseAsync(argv);
    return { out: chunks.join(''), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.stdout.write = write;
    process.exitCode = before;
  }
}

describe('cluster sizing documentation and commands', () => {
  it('keeps docs/cluster-sizing.md in sync with the model', () => {
    const doc = readFileSync(DOC, 'utf8');
    expect(withTable(doc), 'run: npx tsx bench/cluster-sizing-table.ts').toBe(doc);
    expect(doc).toContain(docTable());
    expect(docTable()).toMatch(/^\| 100 \| 7 × \(2 CPU, 6 GiB\).*\| 18 × \(4 CPU, 60 GiB\) → 76 CPU \/ 1116 GiB \/ 2700 GiB scratch/m);
  });

  it('recommend prints the per-stage numbers, the requirement, and a refusal with the numbers', async () => {
    const small = await run(recommendCommand, ['recommend', '--scale', '100', '--nodes', '3', '--node-cpu', '8', '--node-memory-gb', '32']);
    expect(small.exitCode).toBe(1);
    expect(small.out).toMatch(/silver-build +18 +4 CPU \/ 60 GiB +4 CPU \/ 36 GiB +76 +1116 GiB +2700 GiB/);
    expect(small.out).toContain('preflight on 3 nodes × 8 CPU / 32 GiB (24 CPU / 96 GiB): REFUSED');
    const req = requirement(100, alwaysOnFor({ type: 'trino', workers: 1, workerCpu: 2, workerMemoryGb: 8 }), { datagenPods: 10 });
    for (const line of capacityShortfalls(req, { nodes: 3, nodeCpu: 8, nodeMemoryGb: 32 })) expect(small.out).toContain(line);
    expect(small.out).toContain('largest feasible scale: none');

    const big = await run(recommendCommand, ['recommend', '--scale', '100', '--nodes', '10', '--node-cpu', '32', '--node-memory-gb', '256', '--json']);
    const parsed = JSON.parse(big.out) as { fits: boolean; largestFeasibleScale: number; requirement: { batch: { cpu: number } } };
    expect([big.exitCode, parsed.fits]).toEqual([0, true]);
    expect(parsed.requirement.batch.cpu).toBeCloseTo(req.batch.cpu, 6);
    expect(parsed.largestFeasibleScale).toBeGreaterThanOrEqual(100);
    expect(capacityShortfalls(requirement(parsed.largestFeasibleScale, req.alwaysOn), { nodes: 10, nodeCpu: 32, nodeMemoryGb: 256 })).toEqual([]);
  });

  it('plan refuses a config without a cluster section, naming it', async () => {
    await expect(run(planCommand, ['plan', '--scale', '1'])).rejects.toThrow(/cluster: .*needs a `cluster:` section/);
  });
});
