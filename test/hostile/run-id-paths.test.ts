// Run ids become paths (runs/<id>/...), in the output folder and in the results bucket. Through the
// real CLI: `report <run-id>` and `results --fetch <run-id>` refuse anything but the run-id form
// with exit 2 naming the argument, read and write nothing outside the output folder, and an index
// entry naming a path instead of a run id is skipped, not followed. A bucket prefix that climbs out
// of itself is refused naming results.bucket.prefix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lakebench } from '../harness/cli.js';
import { freePort } from '../harness/ports.js';
import { makeMetrics } from '../fixtures/metrics.js';
import { indexEntryFromMetrics } from '../../runner/src/model/index-entry.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-runid-'));
const out = path.join(tmp, 'work', 'out');
// What `../../x` resolves to from out/runs/: a folder outside the output folder holding a valid
// run, so a CLI that followed the id would succeed there instead of failing.
const outside = path.join(tmp, 'work', 'x');

/** Every file and folder under tmp with its size and mtime: a write anywhere shows up. */
function snapshot(dir = tmp): string[] {
  const rows: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    const st = statSync(p);
    rows.push(`${path.relative(tmp, p)} ${e.isDirectory() ? 'dir' : `${st.size} ${st.mtimeMs}`}`);
    if (e.isDirectory()) rows.push(...snapshot(p));
  }
  return rows.sort();
}

const HOSTILE_IDS = ['../../x', '..', path.join(tmp, 'work', 'x'), '20261121-143005-3fa9c2/../../../x', '..\\..\\x', '20261121-143005-3fa9c2\n', ''];

beforeAll(() => {
  mkdirSync(path.join(out, 'runs'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  const metrics = makeMetrics({ runId: '20260110-090000-a00000' });
  writeFileSync(path.join(outside, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  writeFileSync(path.join(outside, 'report.html'), '<!DOCTYPE html><title>outside</title>\n');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('lakebench report <run-id>', () => {
  it.each(HOSTILE_IDS)('refuses %j with exit 2 naming the argument, touching nothing', async (id) => {
    const before = snapshot();
    const r = await lakebench(['report', id, '--output', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`lakebench: argument 'run': ${JSON.stringify(id)} is not a run id (expected the form 20261121-143005-3fa9c2`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(snapshot()).toEqual(before);
  });

  it('does not follow an index entry whose run id is a path: it is named and skipped', async () => {
    const entry = { ...indexEntryFromMetrics(makeMetrics({ runId: '20260110-090000-a00000' })), run_id: '../../x' };
    const key = 'index/runs/20260110-090000-a00000.json';
    mkdirSync(path.join(out, 'index', 'runs'), { recursive: true });
    writeFileSync(path.join(out, ...key.split('/')), JSON.stringify(entry));
    try {
      const before = snapshot();
      const r = await lakebench(['report', '--output', out]);
      expect(r.stderr).toContain(`lakebench: warning: skipped ${key} in ${out}: not a valid index entry (run_id: not a run id)`);
      // With that entry skipped there is no run to render: bad input, and nothing written outside.
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('no runs found');
      expect(snapshot()).toEqual(before);
    } finally {
      rmSync(path.join(out, 'index'), { recursive: true, force: true });
    }
  });
});

describe('lakebench results --fetch <run-id>', () => {
  it.each(HOSTILE_IDS)('refuses %j with exit 2 naming --fetch, touching nothing', async (id) => {
    const before = snapshot();
    const r = await lakebench(['results', '--output', out, '--fetch', id]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`lakebench: --fetch: ${JSON.stringify(id)} is not a run id`);
    expect(snapshot()).toEqual(before);
  });

  it('refuses before contacting the results bucket', async () => {
    const config = path.join(tmp, 'bucket.yaml');
    // A port nothing listens on: had the bucket been contacted first, the error would name it.
    writeFileSync(config, `output: ${out}\nresults:\n  bucket:\n    endpoint: http://127.0.0.1:${await freePort()}\n    bucket: results\n`);
    const r = await lakebench(['results', '--config', config, '--bucket', '--fetch', '../../x'], { env: { AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('lakebench: --fetch: "../../x" is not a run id');
    expect(r.stderr).not.toContain('127.0.0.1');
  });

  it('still fetches a well-formed id that exists, and says which file is missing for one that does not', async () => {
    const missing = await lakebench(['results', '--output', out, '--fetch', '20261121-143005-3fa9c2']);
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toContain(`${out}: run 20261121-143005-3fa9c2 has no report.html`);
  });
});

describe('a results bucket prefix that climbs out of itself', () => {
  it.each(['../team-b', 'team-a/../../x', 'team-a\\..\\x'])('refuses the prefix %j naming results.bucket.prefix', async (prefix) => {
    const config = path.join(tmp, 'prefix.yaml');
    writeFileSync(config, `output: ${out}\nresults:\n  bucket:\n    endpoint: http://127.0.0.1:${await freePort()}\n    bucket: results\n    prefix: '${prefix}'\n`);
    const r = await lakebench(['results', '--config', config, '--bucket'], { env: { AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('results.bucket.prefix');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
