// Bad input, each through the real CLI: a clear message naming what to fix, exit code 2, and no
// run left behind (no runs/ folder, no index entry).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync, writeSync, closeSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lakebench } from '../harness/cli.js';
import { freePort } from '../harness/ports.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-bad-'));
const write = (name: string, text: string) => {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
};
const noRun = (out: string) => expect(existsSync(path.join(out, 'runs')) ? readdirSync(path.join(out, 'runs')) : []).toEqual([]);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bad input', () => {
  it('malformed YAML', async () => {
    const out = path.join(tmp, 'o1');
    const r = await lakebench(['run', '--local', '--config', write('malformed.yaml', 'scale: [0.1\nseed: 4'), '--output', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/malformed\.yaml: malformed YAML/);
    noRun(out);
  });

  it('an unknown key', async () => {
    const out = path.join(tmp, 'o2');
    const r = await lakebench(['run', '--local', '--config', write('unknown.yaml', 'scale: 0.01\nbenchmark:\n  iteratoins: 2\n'), '--output', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("benchmark.iteratoins: unknown key (did you mean 'iterations'?)");
    noRun(out);
  });

  it('a negative scale', async () => {
    const out = path.join(tmp, 'o3');
    const r = await lakebench(['run', '--local', '--scale', '-1', '--output', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/scale: scale must be at least 0\.01/);
    noRun(out);
  });

  it('an unwritable output folder', async () => {
    const file = write('not-a-folder', 'x');
    const out = path.join(file, 'lakebench-output');
    const r = await lakebench(['run', '--local', '--scale', '0.01', '--output', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${out}: output folder is not writable`);
  });

  it('an unreachable results bucket', async () => {
    const out = path.join(tmp, 'o5');
    const port = await freePort();
    const cfg = write('bucket.yaml', `scale: 0.01\nresults:\n  bucket:\n    endpoint: http://127.0.0.1:${port}\n    bucket: results\n`);
    const r = await lakebench(['run', '--local', '--config', cfg, '--output', out], { env: { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`results.bucket: results bucket 'results' is not reachable at http://127.0.0.1:${port}`);
    noRun(out);
  });

  describe('a corrupted bronze file', () => {
    const out = path.join(tmp, 'o6');
    beforeAll(async () => {
      const g = await lakebench(['generate', '--local', '--scale', '0.01', '--output', out]);
      expect(g.code, g.stderr).toBe(0);
    }, 300_000);

    it('is named, exits 2 and starts no run', async () => {
      const victim = path.join(out, 'warehouse', 'bronze', 'part-000003.parquet');
      const fd = openSync(victim, 'r+');
      writeSync(fd, Buffer.alloc(64, 0x5a), 0, 64, statSync(victim).size - 64); // garble the footer
      closeSync(fd);
      const r = await lakebench(['run', '--local', '--scale', '0.01', '--output', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${victim}: not a readable Parquet file`);
      noRun(out);
    });
  });

  it('benchmark on tables that do not exist', async () => {
    const out = path.join(tmp, 'o7');
    const r = await lakebench(['benchmark', '--local', '--scale', '0.01', '--output', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no table here: run `lakebench run` first/);
    noRun(out);
  });
});
