// The output folder lock: the decision whether a holder still runs, and acquire/release/takeover on
// a real folder in this process (the hostile tier drives it with real CLI processes).
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { holderState, LOCK_FILE, lockHolderSchema, OutputLock, processStart, takeOver, type LockHolder } from '../../runner/src/storage/output-lock.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-lock-unit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const holder = (over: Partial<LockHolder> = {}): LockHolder => ({ pid: 4242, host: 'here', command: 'run', started_at: '2026-01-01T00:00:00.000Z', process_start: '1000', token: 't', ...over });
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
const readLockToken = (f: string) => lockHolderSchema.parse(JSON.parse(readFileSync(path.join(f, LOCK_FILE), 'utf8'))).token;

describe('holderState', () => {
  const here = (starts: Record<number, string | null>) => ({ host: 'here', processStart: (pid: number) => starts[pid] });

  it('alive: same host, the pid runs and started when the lock says', () => {
    expect(holderState(holder(), here({ 4242: '1000' }))).toBe('alive');
  });
  it('gone: no process has the pid', () => {
    expect(holderState(holder(), here({}))).toBe('gone');
  });
  it('gone: the pid was reused by a process started at another time', () => {
    expect(holderState(holder(), here({ 4242: '2000' }))).toBe('gone');
  });
  it('alive when a start time is unknown on either side (no /proc): the pid decides', () => {
    expect(holderState(holder(), here({ 4242: null }))).toBe('alive');
    expect(holderState(holder({ process_start: null }), here({ 4242: '2000' }))).toBe('alive');
  });
  it('unknown: another host, whatever runs here under that pid', () => {
    expect(holderState(holder({ host: 'elsewhere' }), here({}))).toBe('unknown');
  });
});

describe('processStart', () => {
  it('reads this process, and nothing for a pid that exited', () => {
    expect(processStart(process.pid)).toMatch(/^\d+$/);
    expect(processStart(deadPid())).toBeUndefined();
  });
});

describe('OutputLock on a folder', () => {
  const folder = () => mkdtempSync(path.join(tmp, 'f-'));
  const lines: string[] = [];
  const opts = (waitSeconds = 0) => ({ command: 'run', waitSeconds, log: (l: string) => lines.push(l) });
  afterEach(() => {
    lines.length = 0;
  });

  it('writes its holder, refuses a second taker naming it, and is released only by its own holder', async () => {
    const f = folder();
    const listeners = () => ['exit', 'SIGINT', 'SIGTERM'].map((e) => process.listenerCount(e));
    const before = listeners();
    const lock = await OutputLock.acquire(f, opts());
    expect(listeners()).toEqual(before.map((c) => c + 1));
    const held = lockHolderSchema.parse(JSON.parse(readFileSync(path.join(f, LOCK_FILE), 'utf8')));
    expect(held).toMatchObject({ pid: process.pid, host: os.hostname(), command: 'run' });
    await expect(OutputLock.acquire(f, opts())).rejects.toThrow(`${f}: output folder is in use by lakebench run (pid ${process.pid} on host ${os.hostname()}, started ${held.started_at})`);
    await lock.release();
    expect(existsSync(path.join(f, LOCK_FILE))).toBe(false);
    await lock.release(); // idempotent
    expect(readdirSync(f)).toEqual([]);
    expect(listeners()).toEqual(before);
  });

  it('does not remove a lock that another holder put in its place', async () => {
    const f = folder();
    const lock = await OutputLock.acquire(f, opts());
    writeFileSync(path.join(f, LOCK_FILE), JSON.stringify(holder({ host: 'elsewhere', token: 'theirs' })));
    await lock.release();
    expect(lockHolderSchema.parse(JSON.parse(readFileSync(path.join(f, LOCK_FILE), 'utf8'))).token).toBe('theirs');
  });

  it('waits for a live holder up to waitSeconds, then refuses', async () => {
    const f = folder();
    const lock = await OutputLock.acquire(f, opts());
    const t0 = Date.now();
    await expect(OutputLock.acquire(f, opts(1))).rejects.toThrow('(waited 1 s)');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(lines.some((l) => l.startsWith('output folder lock: waiting for lakebench run'))).toBe(true);
    // Released while another waits: the waiter gets it.
    const waiter = OutputLock.acquire(f, opts(30));
    setTimeout(() => void lock.release(), 300);
    const next = await waiter;
    expect(next.holder.token).not.toBe(lock.holder.token);
    await next.release();
  });

  it('takes over a stale lock exactly once when takers race for it', async () => {
    // Rounds of eight takers on one stale lock: a takeover that removed whatever lock it found
    // (instead of re-checking, under the guard, that it is still the stale one) lets several win.
    for (let round = 0; round < 3; round++) {
      const f = folder();
      writeFileSync(path.join(f, LOCK_FILE), JSON.stringify(holder({ host: os.hostname(), pid: deadPid(), token: 'stale' })));
      lines.length = 0;
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => OutputLock.acquire(f, opts())));
      const won = outcomes.filter((o): o is PromiseFulfilledResult<OutputLock> => o.status === 'fulfilled');
      expect(won, `round ${round}`).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect(String(o.reason)).toContain('output folder is in use by lakebench run');
      // The winner may be a taker that found the folder free right after another removed the stale lock.
      expect(lines.filter((l) => l.includes('took over')).length).toBeLessThanOrEqual(1);
      expect(readdirSync(f).sort()).toEqual([LOCK_FILE]);
      expect(readLockToken(f)).toBe(won[0]!.value.holder.token);
      await won[0]!.value.release();
    }
  });

  it('a taker that read the stale lock after another took it over leaves the new lock alone', async () => {
    const f = folder();
    const stale = holder({ host: os.hostname(), pid: deadPid(), token: 'stale' });
    // Another taker already replaced the stale lock with its own.
    writeFileSync(path.join(f, LOCK_FILE), JSON.stringify(holder({ host: os.hostname(), pid: process.pid, process_start: processStart(process.pid) ?? null, token: 'first-taker' })));
    expect(await takeOver(f, stale, holder({ token: 'late-taker' }))).toBe(false);
    expect(readLockToken(f)).toBe('first-taker');
    expect(readdirSync(f)).toEqual([LOCK_FILE]); // no guard or temporary left
    // Still the stale one: taken over.
    writeFileSync(path.join(f, LOCK_FILE), JSON.stringify(stale));
    expect(await takeOver(f, stale, holder({ token: 'late-taker' }))).toBe(true);
    expect(readLockToken(f)).toBe('late-taker');
    expect(readdirSync(f)).toEqual([LOCK_FILE]);
  });

  it('refuses a lock file that is not one, naming it, and leaves it alone', async () => {
    const f = folder();
    writeFileSync(path.join(f, LOCK_FILE), '{"pid": "x"}');
    await expect(OutputLock.acquire(f, opts())).rejects.toThrow(`${path.join(f, LOCK_FILE)}: not a lakebench lock`);
    expect(readFileSync(path.join(f, LOCK_FILE), 'utf8')).toBe('{"pid": "x"}');
  });
});
