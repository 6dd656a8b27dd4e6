// A cluster runner marks dead runs incomplete before it starts (markStaleRuns). One bad run.json in
// a shared results folder or bucket (truncated, foreign, under a key no store may address) must not
// stop it: the bad record is named in a warning and skipped, and the dead run is still marked.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalStore } from '../../runner/src/storage/local-store.js';
import { writeRunRecord } from '../../runner/src/storage/results.js';
import { markStaleRuns } from '../../runner/src/platforms/kubernetes/run-guard.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-stale-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('markStaleRuns with a bad record beside a dead run', () => {
  it('marks the dead run and names each bad record', async () => {
    const store = new LocalStore(tmp);
    const dead = { run_id: '20260101-000001-badbad', state: 'running' as const, started_at: '2026-01-01T00:00:01Z', heartbeat_at: '2026-01-01T00:00:01Z', ended_at: null, reason: null };
    await writeRunRecord(store, dead);
    mkdirSync(path.join(tmp, 'runs', '20260101-000000-aaaaaa'), { recursive: true });
    writeFileSync(path.join(tmp, 'runs', '20260101-000000-aaaaaa', 'run.json'), '{"run_id": "20260101-000000-aaaaaa", "state": "runn');
    mkdirSync(path.join(tmp, 'runs', 'not-a-run-id'), { recursive: true });
    writeFileSync(path.join(tmp, 'runs', 'not-a-run-id', 'run.json'), JSON.stringify({ ...dead, run_id: '../../x' }));
    const warnings: string[] = [];
    const marked = await markStaleRuns(store, { by: 'runner-2', now: new Date('2026-01-01T01:00:00Z'), warn: (m) => warnings.push(m) });
    expect(marked).toEqual([dead.run_id]);
    expect(JSON.parse(readFileSync(path.join(tmp, 'runs', dead.run_id, 'run.json'), 'utf8')).state).toBe('incomplete');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(new RegExp(`^skipped runs/20260101-000000-aaaaaa/run\\.json in ${tmp}: Unterminated string in JSON`));
    expect(warnings[1]).toBe(`skipped runs/not-a-run-id/run.json in ${tmp}: not a valid run record`);
  });
});
