// Config values that were removed (they were accepted and then ignored, or accepted and then always
// refused at run time) are refused when the config is read, through the real CLI: exit 2, the key
// named with what to do instead, and no run left behind.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lakebench } from '../harness/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-removed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function runWith(name: string, yaml: string, platformFlag: string[]) {
  const config = path.join(tmp, `${name}.yaml`);
  const out = path.join(tmp, name);
  writeFileSync(config, yaml);
  const r = await lakebench(['run', ...platformFlag, '--config', config, '--output', out]);
  const runs = existsSync(path.join(out, 'runs')) ? readdirSync(path.join(out, 'runs')) : [];
  return { ...r, runs };
}

describe('removed config values', () => {
  for (const value of ['true', 'false']) {
    it(`pipeline.preBenchmarkMaintenance: ${value} is refused, naming the key and why`, async () => {
      const r = await runWith(`maintenance-${value}`, `scale: 0.01\npipeline:\n  preBenchmarkMaintenance: ${value}\n`, ['--local']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('pipeline.preBenchmarkMaintenance: removed: pre-benchmark maintenance is not built');
      expect(r.stderr).toContain('delete this key');
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.runs).toEqual([]);
    });
  }

  it('cluster.queryEngine.type: duckdb is refused when the config is read, naming the field and the engines to use', async () => {
    const yaml = [
      'scale: 0.01',
      'cluster:',
      '  storage: { endpoint: "http://127.0.0.1:1" }',
      '  catalog: { type: hive, uri: "thrift://127.0.0.1:1" }',
      '  queryEngine: { type: duckdb }',
      '',
    ].join('\n');
    const r = await runWith('duckdb-cluster', yaml, []);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('cluster.queryEngine.type: duckdb is not a cluster query engine (it runs only on the embedded platform, --local); use trino or spark-thrift');
    expect(r.runs).toEqual([]);
  });

});
