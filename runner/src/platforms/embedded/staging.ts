// Where the embedded stages write a table before swapping it into place: `<warehouse>/.tmp/<owner>/`,
// outside every table folder, so a reader that globs `silver/**` or `gold/**` never counts a
// half-written copy. `<owner>` is this process's pid and a random tag. The process removes its own
// staging folder when it exits (a SIGTERM ends in process.exit), and every stage first removes what
// dead processes left behind (a SIGKILL leaves no chance to clean up), including the
// `<table>.tmp-<pid>` and `<table>.old-<pid>` folders that earlier versions wrote next to the tables.
import { randomBytes } from 'node:crypto';
import { existsSync, rmdirSync, rmSync } from 'node:fs';
import { readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { processAlive } from '../../util/process-alive.js';

export const STAGING_FOLDER = '.tmp';
const OWNER = `${process.pid}-${randomBytes(4).toString('hex')}`;
const LEGACY = /^(.+)\.(tmp|old)-(\d+)$/;

/** Owner folders this process created; removed synchronously on exit, when nothing async can run. */
const owned = new Set<string>();
/** How to stop each write still filling a staging folder from threads of its own (DuckDB's COPY). */
const writers = new Set<() => void>();
let exitHookInstalled = false;

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * On exit (a SIGTERM ends in process.exit), the stage's own clean-up never gets to run. DuckDB's
 * threads would keep writing partition files while the folder is removed and leave a partial copy
 * behind, so the writes are interrupted first and the removal is repeated until the folder stays
 * gone (about a second at most).
 */
function removeOwnedOnExit(): void {
  for (const stop of writers) {
    try {
      stop();
    } catch {
      // Already finished.
    }
  }
  for (const dir of owned) {
    for (let attempt = 0, quiet = 0; attempt < 50 && quiet < 3; attempt++) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // A thread created a file while the folder was being removed: try again.
      }
      quiet = existsSync(dir) ? 0 : quiet + 1;
      sleepSync(20);
    }
    try {
      rmdirSync(path.dirname(dir)); // the staging root, when no other process stages anything
    } catch {
      // Still in use by another process, or already gone.
    }
  }
}

/** Runs `write` (which fills a staging folder) with `interrupt` registered for the exit clean-up. */
export async function stagingWrite<T>(interrupt: () => void, write: () => Promise<T>): Promise<T> {
  writers.add(interrupt);
  try {
    return await write();
  } finally {
    writers.delete(interrupt);
  }
}

/** A fresh path for `name` in this process's staging folder under `warehouseRoot` (not created). */
export function stagingPath(warehouseRoot: string, name: string): string {
  const ownerDir = path.join(warehouseRoot, STAGING_FOLDER, OWNER);
  owned.add(ownerDir);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', removeOwnedOnExit);
  }
  return path.join(ownerDir, name);
}

/** Removes a staging path and, once it holds nothing else, this process's owner folder. */
export async function removeStaging(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  const ownerDir = path.dirname(dir);
  if (owned.has(ownerDir) && (await readdir(ownerDir).catch(() => [])).length === 0) {
    await rm(ownerDir, { recursive: true, force: true });
    owned.delete(ownerDir);
    await removeIfEmpty(path.dirname(ownerDir));
  }
}

/** The staging root goes too once no process stages anything; another may have just created its folder. */
async function removeIfEmpty(dir: string): Promise<void> {
  await rmdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT' && e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
  });
}

/**
 * Removes staging folders whose process is gone: under `<warehouse>/.tmp/` every owner but this one
 * whose pid is dead or is this process's own pid (a previous process in the same container), and next
 * to each table folder the legacy `<table>.tmp-<pid>` / `<table>.old-<pid>` of dead processes.
 * Returns what it removed.
 */
export async function sweepStaleStaging(warehouseRoot: string, tables: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  const stagingRoot = path.join(warehouseRoot, STAGING_FOLDER);
  for (const name of await listOrEmpty(stagingRoot)) {
    if (name === OWNER) continue;
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) continue;
    await rm(path.join(stagingRoot, name), { recursive: true, force: true, maxRetries: 5 });
    removed.push(path.join(stagingRoot, name));
  }
  if (removed.length > 0) await removeIfEmpty(stagingRoot);
  for (const table of tables) {
    const parent = path.dirname(table);
    for (const name of await listOrEmpty(parent)) {
      const m = LEGACY.exec(name);
      if (!m || m[1] !== path.basename(table)) continue;
      const pid = Number(m[3]);
      if (pid !== process.pid && processAlive(pid)) continue;
      await rm(path.join(parent, name), { recursive: true, force: true, maxRetries: 5 });
      removed.push(path.join(parent, name));
    }
  }
  return removed;
}

async function listOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
