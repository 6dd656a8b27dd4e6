// Two embedded lakebench processes on one output folder, through the real CLI. They used to
// interleave (one failed in gold-finalize with "Cannot open file", the other PASSED); now the second
// is refused with exit 2 naming the holder (pid, host, start time), or waits with --wait. A lock
// left by a killed process is taken over; a lock is released on exit, SIGINT and SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lakebench, startLakebench, type CliProcess } from '../harness/cli.js';
import { LOCK_FILE, lockHolderSchema, processStart, type LockHolder } from '../../runner/src/storage/output-lock.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-lock-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const lockOf = (out: string) => path.join(out, LOCK_FILE);
const readLock = (out: string): LockHolder => lockHolderSchema.parse(JSON.parse(readFileSync(lockOf(out), 'utf8')));
const runsIn = (out: string) => (existsSync(path.join(out, 'runs')) ? readdirSync(path.join(out, 'runs')) : []);
const leftovers = (out: string) => readdirSync(out).filter((f) => f.startsWith('.lakebench'));

/** Resolves once `p` holds the lock (its lock file names its pid). */
async function holding(p: CliProcess, out: string): Promise<LockHolder> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (existsSync(lockOf(out))) {
      const h = readLock(out);
      if (h.pid === p.child.pid) return h;
    }
    if (p.child.exitCode !== null || Date.now() > deadline) throw new Error(`pid ${p.child.pid} never took the lock: ${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function writeLock(out: string, holder: Partial<LockHolder>): void {
  mkdirSync(out, { recursive: true });
  const full: LockHolder = { pid: 1, host: os.hostname(), command: 'run', started_at: '2026-01-01T00:00:00.000Z', process_start: null, token: 'planted', ...holder };
  writeFileSync(lockOf(out), JSON.stringify(full));
}

describe('two processes on one output folder', () => {
  const out = path.join(tmp, 'shared');
  let first: CliProcess;
  let holder: LockHolder;

  beforeAll(async () => {
    // A fresh folder: this generate runs for several seconds, holding the lock.
    first = startLakebench(['generate', '--local', '--scale', '0.01', '--output', out]);
    holder = await holding(first, out);
  }, 300_000);

  it('refuses the second at once with exit 2 naming the holder, and leaves nothing of it behind; --wait waits', async () => {
    // Paused, the holder stays alive holding the lock for as long as the test needs, however slow the machine.
    first.child.kill('SIGSTOP');
    const second = await lakebench(['run', '--local', '--scale', '0.01', '--output', out]);
    const waiting = startLakebench(['generate', '--local', '--scale', '0.01', '--output', out, '--wait']);
    const deadline = Date.now() + 240_000;
    while (!waiting.stderr().includes('output folder lock: waiting for') && waiting.child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    first.child.kill('SIGCONT');
    const firstResult = await first.done;
    const waited = await waiting.done;

    expect(second.code, second.stderr).toBe(2);
    expect(second.stderr).toContain(`lakebench: ${out}: output folder is in use by lakebench generate (pid ${holder.pid} on host ${os.hostname()}, started ${holder.started_at})`);
    expect(second.stderr).toContain('wait for it with --wait');
    expect(second.stderr).not.toMatch(/\n\s+at /);
    expect(runsIn(out)).toEqual([]);

    expect(firstResult.code, firstResult.stderr).toBe(0);
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stderr).toContain(`output folder lock: waiting for lakebench generate (pid ${holder.pid}`);
    // The waiting generate found the first one's files complete: the same dataset, untouched.
    expect(waited.stdout.match(/data fingerprint (\S+)/)?.[1]).toBe(firstResult.stdout.match(/data fingerprint (\S+)/)?.[1]);
    expect(leftovers(out)).toEqual([]);
  });

  it('--wait <s> gives up after that long, naming the holder', async () => {
    writeLock(out, { pid: process.pid, process_start: processStart(process.pid) ?? null, command: 'run', token: 'held-by-the-test' });
    const t0 = Date.now();
    const r = await lakebench(['generate', '--local', '--scale', '0.01', '--output', out, '--wait', '2']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`output folder is in use by lakebench run (pid ${process.pid} on host ${os.hostname()}, started 2026-01-01T00:00:00.000Z) (waited 2 s)`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    // Someone else's lock is never removed.
    expect(readLock(out).token).toBe('held-by-the-test');
    rmSync(lockOf(out));
  });
});

describe('stale and foreign locks', () => {
  const out = path.join(tmp, 'stale');

  it('takes over the lock of a process killed with SIGKILL', async () => {
    const victim = startLakebench(['generate', '--local', '--scale', '0.01', '--output', out]);
    const held = await holding(victim, out);
    victim.child.kill('SIGKILL');
    await victim.done;
    expect(readLock(out).pid).toBe(held.pid); // left behind by the killed process

    const r = await lakebench(['generate', '--local', '--scale', '0.01', '--output', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`output folder lock: took over from lakebench generate (pid ${held.pid} on host ${os.hostname()}, started ${held.started_at}), which is no longer running`);
    expect(leftovers(out)).toEqual([]);
  });

  it('takes over a lock whose pid now belongs to another process (started at another time)', async () => {
    // The test runner's own pid: alive, but not the process that wrote this lock.
    writeLock(out, { pid: process.pid, process_start: '1' });
    const r = await lakebench(['generate', '--local', '--scale', '0.01', '--output', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`took over from lakebench run (pid ${process.pid}`);
    expect(leftovers(out)).toEqual([]);
  });

  it('respects a lock from another host (its process cannot be checked from here)', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeLock(out, { pid: dead, host: 'elsewhere.example' });
    const r = await lakebench(['run', '--local', '--scale', '0.01', '--output', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`in use by lakebench run (pid ${dead} on host elsewhere.example, started 2026-01-01T00:00:00.000Z) (another host: its process cannot be checked from here)`);
    expect(runsIn(out)).toEqual([]);
    rmSync(lockOf(out));
  });

  it('refuses, naming the file, a lock file that is not one', async () => {
    writeFileSync(lockOf(out), 'garbage');
    const r = await lakebench(['run', '--local', '--scale', '0.01', '--output', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`lakebench: ${lockOf(out)}: not a lakebench lock (unreadable holder)`);
    expect(runsIn(out)).toEqual([]);
    rmSync(lockOf(out));
  });
});

describe('release on signals', () => {
  const out = path.join(tmp, 'signals');

  it.each(['SIGTERM', 'SIGINT'] as const)('a generate stopped by %s releases the lock', async (signal) => {
    const p = startLakebench(['generate', '--local', '--scale', '0.01', '--output', out]);
    await holding(p, out);
    p.child.kill(signal);
    const r = await p.done;
    expect(r.code).toBe(128 + os.constants.signals[signal]);
    expect(existsSync(lockOf(out))).toBe(false);
  });

  it("a generate stopped by SIGTERM while it waits (--wait) for another's lock exits 143 and leaves that lock alone", async () => {
    // Held from another host: never taken over, so the second waits for as long as it is told to.
    const waitOut = path.join(tmp, 'signal-while-waiting');
    writeLock(waitOut, { host: 'elsewhere.example' });
    const p = startLakebench(['generate', '--local', '--scale', '0.01', '--output', waitOut, '--wait']);
    const deadline = Date.now() + 240_000;
    while (!p.stderr().includes('output folder lock: waiting for') && p.child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(p.stderr()).toContain('output folder lock: waiting for lakebench run (pid 1 on host elsewhere.example');
    // The lock's signal handlers are in place before its file can be taken (a SIGTERM right after the
    // file appeared used to kill the process with the lock left behind): the signal ends the wait cleanly.
    p.child.kill('SIGTERM');
    const r = await p.done;
    expect([r.code, r.signal], r.stderr).toEqual([128 + os.constants.signals.SIGTERM, null]);
    expect(readLock(waitOut).token).toBe('planted');
  });

  it('a run stopped by SIGINT records itself incomplete, then releases the lock', async () => {
    const p = startLakebench(['run', '--local', '--scale', '0.01', '--output', out, '--skip-benchmark']);
    await holding(p, out);
    const deadline = Date.now() + 240_000;
    while (runsIn(out).length === 0 && Date.now() < deadline && p.child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code, r.stderr).toBe(130);
    const [runId] = runsIn(out);
    const record = JSON.parse(readFileSync(path.join(out, 'runs', runId!, 'run.json'), 'utf8')) as { state: string; reason: string };
    expect(record).toMatchObject({ state: 'incomplete', reason: 'interrupted by SIGINT' });
    expect(existsSync(lockOf(out))).toBe(false);
  });
});
