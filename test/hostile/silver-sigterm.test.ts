// A real `lakebench run` killed while silver-build is writing, with SIGTERM (the process cleans up
// after itself) and with SIGKILL (it cannot: the next run must). Afterwards no half-written copy of a
// table is left anywhere under the warehouse, and silver read through the glob any reader would use
// (`silver/**/*.parquet`) holds exactly the rows the manifest predicts, never a table counted twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lakebench, startLakebench, type CliProcess } from '../harness/cli.js';
import { manifestSchema, silverRowsExpected, type Manifest } from '../../runner/src/datagen/manifest.js';
import { openDuckDb, closeDuckDb, queryNumbers, sqlString } from '../../runner/src/engines/duckdb-session.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-sigterm-'));
const out = path.join(tmp, 'out');
const wh = path.join(out, 'warehouse');
const args = ['run', '--local', '--scale', '0.01', '--output', out, '--skip-benchmark'];
let manifest: Manifest;

/**
 * Every table copy being written or parked: the entries of the staging folder `warehouse/.tmp/`, and
 * the `<table>.tmp-<pid>` / `<table>.old-<pid>` folders earlier versions wrote next to the tables.
 */
function temporaries(): string[] {
  const found: string[] = [];
  const staging = path.join(wh, '.tmp');
  if (existsSync(staging)) found.push(...readdirSync(staging).map((n) => path.join('.tmp', n)));
  for (const layer of ['silver', 'gold']) {
    const dir = path.join(wh, layer);
    if (existsSync(dir)) found.push(...readdirSync(dir).filter((n) => /\.(tmp|old)-\d+$/.test(n)).map((n) => path.join(layer, n)));
  }
  return found;
}

/** True once a staging folder already holds Parquet files, i.e. silver's COPY is under way. */
function writingSilver(): boolean {
  const hasParquet = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? hasParquet(path.join(dir, e.name)) : e.name.endsWith('.parquet')));
  return temporaries().some((t) => {
    try {
      return hasParquet(path.join(wh, t));
    } catch {
      return false; // renamed or removed while we looked
    }
  });
}

async function killDuringSilver(signal: NodeJS.Signals): Promise<{ code: number; signal: NodeJS.Signals | null; stderr: string; sawStaging: boolean }> {
  const p: CliProcess = startLakebench(args);
  let sawStaging = false;
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline && p.child.exitCode === null) {
    if (p.stderr().includes('silver-build: started') && writingSilver()) {
      sawStaging = true;
      p.child.kill(signal);
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const r = await p.done;
  return { code: r.code, signal: r.signal, stderr: r.stderr, sawStaging };
}

/** Silver rows as a reader that globs the layer folder would count them. */
async function silverRowsByGlob(): Promise<number> {
  const s = await openDuckDb({ threads: 1 });
  try {
    return (await queryNumbers(s.connection, `SELECT count(*) AS n FROM read_parquet(${sqlString(path.join(wh, 'silver', '**', '*.parquet'))})`)).n ?? -1;
  } finally {
    closeDuckDb(s);
  }
}

const runStates = () =>
  readdirSync(path.join(out, 'runs')).map((id) => (JSON.parse(readFileSync(path.join(out, 'runs', id, 'run.json'), 'utf8')) as { state: string }).state);

beforeAll(async () => {
  const g = await lakebench(['generate', '--local', '--scale', '0.01', '--output', out]);
  expect(g.code, g.stderr).toBe(0);
  manifest = manifestSchema.parse(JSON.parse(readFileSync(path.join(wh, 'bronze', '_manifest', 'manifest.json'), 'utf8')));
}, 300_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a run killed during silver-build', () => {
  it('SIGTERM: the process removes its own staging folder and records the run incomplete', async () => {
    const r = await killDuringSilver('SIGTERM');
    expect(r.sawStaging, r.stderr).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(temporaries()).toEqual([]);
    expect(existsSync(path.join(wh, '.tmp'))).toBe(false);
    expect(runStates()).toEqual(['incomplete']);
  });

  it('SIGKILL: nothing can clean up, so the staging folder stays behind (outside the table folders)', async () => {
    const r = await killDuringSilver('SIGKILL');
    expect(r.sawStaging, r.stderr).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(temporaries().length).toBeGreaterThan(0);
  });

  it('the rerun removes what the dead process left, completes, and silver is counted once', async () => {
    const r = await lakebench(args);
    expect(r.code, r.stderr).toBe(0);
    expect(await silverRowsByGlob()).toBe(silverRowsExpected(manifest));
    expect(temporaries()).toEqual([]);
    expect(existsSync(path.join(wh, '.tmp'))).toBe(false);
  });
});
