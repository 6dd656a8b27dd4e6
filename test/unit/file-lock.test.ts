// The lock behind the local store's compare-and-swap, on a real folder and real processes: one
// holder at a time, and a lock left by a dead process is taken over.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withFileLock } from '../../runner/src/storage/file-lock.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-lock-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('withFileLock', () => {
  it('lets one holder in at a time and removes the lock afterwards', async () => {
    const lock = path.join(tmp, 'a.lock');
    const events: string[] = [];
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((r) => (releaseFirst = r));
    let firstEntered!: () => void;
    const entered = new Promise<void>((r) => (firstEntered = r));
    const first = withFileLock(lock, async () => {
      events.push('first in');
      firstEntered();
      await firstHolds;
      events.push('first out');
    });
    await entered;
    const second = withFileLock(lock, async () => void events.push('second in'));
    // The second caller is waiting for the file to go away, not running.
    await new Promise((r) => setTimeout(r, 200));
    expect(events).toEqual(['first in']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(events).toEqual(['first in', 'first out', 'second in']);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose holder process is gone', async () => {
    const lock = path.join(tmp, 'dead.lock');
    // A pid that surely existed and has exited: a child that ran and was reaped.
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(lock, `${child.stdout.toString()}@${os.hostname()}`);
    const t0 = Date.now();
    expect(await withFileLock(lock, async () => 'entered')).toBe('entered');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock older than its stale age, whoever holds it', async () => {
    const lock = path.join(tmp, 'old.lock');
    writeFileSync(lock, `1@another-host`);
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
    expect(await withFileLock(lock, async () => 'entered')).toBe('entered');
  });
});
