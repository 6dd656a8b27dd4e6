// Output folders a user can get wrong, through the real CLI. An unusable folder (on /proc or /sys,
// a file, below a file) is refused at once with exit 2 naming it: a folder under /proc used to hang
// forever in Node's recursive mkdir. A folder whose name holds glob characters works end to end
// (DuckDB's file functions glob every path; the folder part is escaped). Names DuckDB cannot read
// literally (a backslash, a `key=value` folder its Hive partitioning would turn into a column) are
// refused up front.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lakebench, type CliResult } from '../harness/cli.js';
import { metricsSchema } from '../../runner/src/model/metrics.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-outdir-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function refused(r: CliResult, folder: string, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.startsWith(`lakebench: ${folder}: `), r.stderr).toBe(true);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('unusable output folders are refused at once', () => {
  it.each([
    ['/proc/lakebench-hostile', /on the proc filesystem/],
    ['/proc/self/lakebench-hostile', /on the proc filesystem/],
    ['/proc/sys/kernel', /on the proc filesystem/],
    ['/sys/kernel/lakebench-hostile', /on the sysfs filesystem/],
  ])('%s', async (folder, message) => {
    const t0 = Date.now();
    // Well within the tier's timeout: the /proc case used to never return.
    const r = await Promise.race([
      lakebench(['generate', '--local', '--scale', '0.01', '--output', folder], { cwd: tmp }),
      new Promise<CliResult>((_, reject) => setTimeout(() => reject(new Error(`no answer within 120 s for ${folder}`)), 120_000)),
    ]);
    refused(r, folder, message);
    expect(Date.now() - t0).toBeLessThan(120_000);
    expect(existsSync(folder)).toBe(folder === '/proc/sys/kernel');
  });

  it('a file, and a folder below a file', async () => {
    const file = path.join(tmp, 'a-file');
    writeFileSync(file, 'not a folder');
    refused(await lakebench(['run', '--local', '--scale', '0.01', '--output', file], { cwd: tmp }), file, /output folder is not writable: it is a file, not a folder/);
    const below = path.join(file, 'out');
    refused(await lakebench(['run', '--local', '--scale', '0.01', '--output', below], { cwd: tmp }), below, new RegExp(`output folder is not writable: ${file} is a file, not a folder`));
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
  });

  it('a backslash, and a key=value folder on the path', async () => {
    const backslash = path.join(tmp, 'back\\slash');
    refused(await lakebench(['run', '--local', '--scale', '0.01', '--output', backslash], { cwd: tmp }), backslash, /backslash, which DuckDB reads as a folder separator/);
    // interaction_date=… on the path would give every silver row that date.
    const hive = path.join(tmp, 'interaction_date=2020-01-01', 'out');
    refused(await lakebench(['generate', '--local', '--scale', '0.01', '--output', hive], { cwd: tmp }), hive, /'interaction_date=2020-01-01' on the path looks like a Hive partition/);
    expect(existsSync(backslash) || existsSync(hive)).toBe(false);
  });
});

describe('an output folder named with glob characters', () => {
  // `[1]` alone made silver-build fail ("No files found that match the pattern"); `*` and `?`
  // would match sibling folders. The sibling below holds a table that must not be read.
  const parent = path.join(tmp, 'globs');
  const out = path.join(parent, 'lake [1] *?');
  const sibling = path.join(parent, 'lake 1 XY');
  let r: CliResult;

  beforeAll(async () => {
    mkdirSync(path.join(sibling, 'warehouse', 'gold', 'customer_executive_dashboard'), { recursive: true });
    writeFileSync(path.join(sibling, 'warehouse', 'gold', 'customer_executive_dashboard', 'part-000000.parquet'), 'not parquet: reading it would fail the run');
    r = await lakebench(['run', '--local', '--scale', '0.01', '--output', out, '--json'], { cwd: tmp });
  }, 600_000);

  it('runs every stage and the benchmark, and PASSES', () => {
    expect(r.code, r.stderr).toBe(0);
    const runs = readdirSync(path.join(out, 'runs'));
    expect(runs).toHaveLength(1);
    const metrics = metricsSchema.parse(JSON.parse(readFileSync(path.join(out, 'runs', runs[0]!, 'metrics.json'), 'utf8')));
    expect(metrics.verdict.status).not.toBe('FAILED');
    for (const stage of ['bronze-verify', 'silver-build', 'gold-finalize', 'benchmark']) {
      expect(metrics.stages.find((s) => s.name === stage)?.status, stage).toBe('succeeded');
    }
    expect(metrics.benchmark?.queries.every((q) => q.success)).toBe(true);
    const record = JSON.parse(readFileSync(path.join(out, 'runs', runs[0]!, 'run.json'), 'utf8')) as { state: string };
    expect(record.state).toBe('complete');
    // Nothing temporary left, and the lock released.
    expect(readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((p) => p.includes('.tmp-') || p.includes('.lakebench.lock'))).toEqual([]);
  });

  // The other commands that write where the user points: they used to hang in the same mkdir.
  it('results --fetch into, and report --out below, a /proc folder are refused at once', async () => {
    const [runId] = readdirSync(path.join(out, 'runs'));
    const procFolder = '/proc/lakebench-hostile';
    const fetched = await lakebench(['results', '--fetch', runId!, '--output', procFolder], { cwd: tmp });
    refused(fetched, procFolder, /on the proc filesystem/);
    const target = path.join(procFolder, 'report.html');
    const report = await lakebench(['report', '--metrics', path.join(out, 'runs', runId!, 'metrics.json'), '--out', target], { cwd: tmp });
    refused(report, target, /cannot write the report here \(ENOENT\)/);
  });
});
