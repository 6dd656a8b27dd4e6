// docs/cluster-sizing.md carries the per-stage executor counts and peak requests at scale 1, 10, 100
// and 1000 exactly as the sizing model computes them today, and `lakebench recommend` prints the
// same numbers the SparkApplications are built from. `lakebench plan` works up to the largest scale.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { parseAllDocuments } from 'yaml';
import { DOCS, withTable } from '../../bench/cluster-sizing-table.js';
import { recommendCommand } from '../../runner/src/cli/recommend-command.js';
import { planCommand } from '../../runner/src/cli/plan-command.js';
import { docTable } from '../../runner/src/platforms/kubernetes/manifests/sizing-table.js';
import { alwaysOnFor, capacityShortfalls, requirement } from '../../runner/src/model/sizing.js';
import { clusterConfigInput, RUN_ID } from './plan-configs.js';

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
  it.each(DOCS)('keeps %s in sync with the model', (file) => {
    const doc = readFileSync(file, 'utf8');
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

  it('plan at the largest scale (10,000) prints every object: the stage documents point at the datagen manifest instead of listing 200,000 files', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-plan-'));
    try {
      const config = path.join(dir, 'lakebench.yaml');
      writeFileSync(config, JSON.stringify(clusterConfigInput('hive-iceberg')));
      const { out, exitCode } = await run(planCommand, ['plan', '--config', config, '--scale', '10000', '--run-id', RUN_ID]);
      expect(exitCode).toBe(0);
      expect(out).toMatch(/^# lakebench plan: scale 10000, run 20261121-143005-3fa9c2/);
      const objects = parseAllDocuments(out).map((d) => d.toJS() as { kind?: string; metadata?: { name: string }; data?: Record<string, string> }).filter((o) => o?.kind);
      expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual(expect.arrayContaining(['bronze-verify', 'silver-build', 'gold-finalize'].map((s) => `ConfigMap/lakebench-${s}-${RUN_ID}`)));
      expect(objects.filter((o) => o.kind === 'SparkApplication')).toHaveLength(3);
      for (const o of objects.filter((x) => x.data?.['job.json'])) {
        const doc = JSON.parse(o.data!['job.json']!) as { bronze: { manifest: { uri: string; files: number } } };
        expect(doc.bronze.manifest).toMatchObject({ uri: 's3a://lakebench-bronze/customer/_manifest/manifest.json', files: 200_000 });
        expect(o.data!['job.json']!.length).toBeLessThan(16 * 1024);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('plan refuses a config without a cluster section, naming it', async () => {
    await expect(run(planCommand, ['plan', '--scale', '1'])).rejects.toThrow(/cluster: .*needs a `cluster:` section/);
  });
});
