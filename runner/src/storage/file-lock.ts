// A short exclusive lock between processes sharing a folder: a lock file created with O_EXCL
// holding `<pid>@<host>`. Meant for critical sections of milliseconds (a read and a rename). A lock
// left by a process that died (same host, pid gone) or older than STALE_MS is taken over, so a
// runner killed inside the section does not block every later one. (Two processes taking over the
// same stale lock at the same moment can both enter; that needs a holder to have died inside its
// few milliseconds first, and the index rebuild that uses this lock re-checks what it wrote.)
import { open, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { processAlive } from '../util/process-alive.js';

const STALE_MS = 30_000;
const WAIT_MS = 15_000;

const owner = () => `${process.pid}@${os.hostname()}`;


async function isStale(lockFile: string): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(lockFile, 'utf8'), stat(lockFile)]);
    if (Date.now() - info.mtimeMs > STALE_MS) return true;
    // Empty while its creator is still writing it: only age makes that one stale.
    const holder = /^(\d+)@(.+)$/.exec(text.trim());
    return holder !== null && holder[2] === os.hostname() && !processAlive(Number(holder[1]));
  } catch (e) {
    // Gone in between (released): not stale, just try again.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

export async function withFileLock<T>(lockFile: string, critical: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx');
      try {
        await handle.writeFile(owner());
      } finally {
        await handle.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (await isStale(lockFile)) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${lockFile} is held by another process (${(await readFile(lockFile, 'utf8').catch(() => '?')).trim()}) for more than ${WAIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 10 + Math.random() * 40));
  }
  try {
    return await critical();
  } finally {
    await rm(lockFile, { force: true });
  }
}
