// An exclusive lock on an embedded output folder for as long as a command writes it (run, generate,
// benchmark). Two embedded runs in one folder would replace each other's silver and gold tables
// mid-stage; the second is refused, naming the holder, or waits for it (--wait).
//
// The lock is `<folder>/.lakebench.lock`, a JSON document naming its holder. It is created complete
// or not at all: written under a temporary name, then hard-linked into place (link(2) fails when
// the name exists, so exactly one creator wins). A lock whose holder is gone (same host, no process
// with that pid and start time) is stale and taken over; a takeover happens under a second,
// short-lived guard file, so two processes finding the same stale lock cannot both take it.
import { link, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { BadInputError, errorMessage } from '../util/errors.js';
import { processAlive } from '../util/process-alive.js';

export const LOCK_FILE = '.lakebench.lock';
const GUARD_FILE = '.lakebench.lock.takeover';
/** The guard is held for a read, an unlink and a link; one older than this belongs to a dead process. */
const GUARD_STALE_MS = 10_000;
const POLL_MS = 500;

export const lockHolderSchema = z.strictObject({
  pid: z.number().int().positive(),
  host: z.string().min(1),
  command: z.string(),
  started_at: z.string(),
  /** The holder's start time as the kernel counts it (Linux /proc/<pid>/stat), so a reused pid is not mistaken for it. */
  process_start: z.string().nullable(),
  /** Identifies this acquisition: a holder only ever removes the lock carrying its own token. */
  token: z.string(),
});
export type LockHolder = z.infer<typeof lockHolderSchema>;

/**
 * A process's start time (field 22 of /proc/<pid>/stat): undefined when no such process exists,
 * null when it exists but the start time cannot be read (no /proc).
 */
export function processStart(pid: number): string | null | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return processAlive(pid) ? null : undefined;
  }
}

export type HolderState = 'alive' | 'gone' | 'unknown';

/**
 * Whether a lock's holder still runs. A holder on another host cannot be checked from here
 * ('unknown', so the lock is respected); on this host it is gone when no process has its pid, or
 * the process with its pid started at another time (the pid was reused).
 */
export function holderState(holder: LockHolder, here: { host: string; processStart: (pid: number) => string | null | undefined }): HolderState {
  if (holder.host !== here.host) return 'unknown';
  const start = here.processStart(holder.pid);
  if (start === undefined) return 'gone';
  if (start !== null && holder.process_start !== null && start !== holder.process_start) return 'gone';
  return 'alive';
}

const describeHolder = (h: LockHolder) => `lakebench ${h.command} (pid ${h.pid} on host ${h.host}, started ${h.started_at})`;

export type LockOptions = {
  /** The command taking the lock, shown to anyone it refuses. */
  command: string;
  /** 0: refuse at once; Infinity: wait as long as it takes. */
  waitSeconds: number;
  log: (line: string) => void;
};

export class OutputLock {
  private released = false;
  private readonly onExit = () => this.releaseSync();
  private readonly onSignal = (signal: NodeJS.Signals) => {
    // A run in progress has its own handler, which records the run as incomplete and then exits;
    // the exit hook releases the lock after it. Alone, this handler releases and exits itself.
    if (process.listenerCount(signal) > 1) return;
    this.releaseSync();
    process.exit(128 + (os.constants.signals[signal] ?? 1));
  };

  private constructor(
    readonly file: string,
    readonly holder: LockHolder,
  ) {
    process.on('exit', this.onExit);
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  /** Takes the lock on `folder` (which must exist), waiting up to `waitSeconds` for a live holder. */
  static async acquire(folder: string, opts: LockOptions): Promise<OutputLock> {
    const file = path.join(folder, LOCK_FILE);
    const holder: LockHolder = {
      pid: process.pid,
      host: os.hostname(),
      command: opts.command,
      started_at: new Date().toISOString(),
      process_start: processStart(process.pid) ?? null,
      token: randomBytes(12).toString('hex'),
    };
    const deadline = Date.now() + opts.waitSeconds * 1000;
    let waitingFor: string | undefined;
    // The exit and signal handlers go in before the file can appear: a SIGTERM landing between the
    // link that creates it and the return (seen under load) killed the process with the lock left
    // behind. Until the file holds this holder's token, releasing leaves it alone.
    const lock = new OutputLock(file, holder);
    try {
      for (;;) {
        if (await createExclusive(file, holder)) return lock;
        const current = await readHolder(file);
        if (current === undefined) continue; // released in between: try again at once
        const state = holderState(current, { host: holder.host, processStart });
        if (state === 'gone') {
          if (await takeOver(folder, current, holder)) {
            opts.log(`output folder lock: took over from ${describeHolder(current)}, which is no longer running`);
            return lock;
          }
          continue;
        }
        if (Date.now() >= deadline) {
          const waited = opts.waitSeconds > 0 ? ` (waited ${opts.waitSeconds} s)` : '';
          const unknown = state === 'unknown' ? ' (another host: its process cannot be checked from here)' : '';
          throw new BadInputError(
            `output folder is in use by ${describeHolder(current)}${unknown}${waited}: wait for it with --wait, choose another --output, or remove ${file} if that process no longer runs`,
            folder,
          );
        }
        if (waitingFor !== current.token) {
          waitingFor = current.token;
          opts.log(`output folder lock: waiting for ${describeHolder(current)} to finish`);
        }
        await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
      }
    } catch (e) {
      lock.detach();
      throw e;
    }
  }

  /** Removes the lock if it is still this acquisition's; idempotent. */
  async release(): Promise<void> {
    if (this.released) return;
    this.detach();
    const current = await readHolder(this.file).catch(() => undefined);
    if (current?.token === this.holder.token) await rm(this.file, { force: true });
  }

  /** For the exit hook and signals: nothing asynchronous runs any more there. */
  releaseSync(): void {
    if (this.released) return;
    this.detach();
    try {
      const current = lockHolderSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      if (current.success && current.data.token === this.holder.token) rmSync(this.file, { force: true });
    } catch {
      // Already gone, or replaced by something that is not ours: leave it.
    }
  }

  private detach(): void {
    this.released = true;
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}

/** Creates `file` holding `holder`, complete, only if it does not exist. */
async function createExclusive(file: string, holder: LockHolder): Promise<boolean> {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, `${JSON.stringify(holder, null, 2)}\n`);
  try {
    await link(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new BadInputError(`cannot create the output folder lock (${(e as NodeJS.ErrnoException).code ?? errorMessage(e)})`, file);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** The lock's holder, or undefined when there is no lock. Anything else in its place is refused. */
async function readHolder(file: string): Promise<LockHolder | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BadInputError(`cannot read the output folder lock (${(e as NodeJS.ErrnoException).code ?? errorMessage(e)})`, file);
  }
  let parsed;
  try {
    parsed = lockHolderSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) throw new BadInputError('not a lakebench lock (unreadable holder): remove it if no lakebench process uses this folder', file);
  return parsed.data;
}

/**
 * Replaces the stale lock of `gone` with one for `holder`, under the guard file. False when the
 * guard is busy or the lock is no longer `gone`'s (another taker got there first: the caller looks
 * again). Exported for its test, which sets up exactly that state.
 */
export async function takeOver(folder: string, gone: LockHolder, holder: LockHolder): Promise<boolean> {
  const file = path.join(folder, LOCK_FILE);
  const guard = path.join(folder, GUARD_FILE);
  const guardHolder = { ...holder, command: `${holder.command} (taking over the lock)` };
  if (!(await createExclusive(guard, guardHolder))) {
    const age = await stat(guard).then((s) => Date.now() - s.mtimeMs, () => 0);
    // A guard left by a process killed inside its few milliseconds: remove it and look again.
    if (age > GUARD_STALE_MS) await rm(guard, { force: true });
    else await sleep(20 + Math.random() * 30);
    return false;
  }
  try {
    const current = await readHolder(file);
    if (current !== undefined && current.token !== gone.token) return false;
    await rm(file, { force: true });
    return createExclusive(file, holder);
  } finally {
    await rm(guard, { force: true });
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
