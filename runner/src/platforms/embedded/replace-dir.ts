// Swaps a freshly written table folder into place: readers see the old table or the new one,
// never a half-written mix.
import { rename, rm } from 'node:fs/promises';

export async function replaceDir(fresh: string, target: string): Promise<void> {
  const old = `${target}.old-${process.pid}`;
  await rm(old, { recursive: true, force: true });
  await rename(target, old).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
  await rename(fresh, target);
  await rm(old, { recursive: true, force: true });
}
