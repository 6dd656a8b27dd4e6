// Swaps a freshly written table folder into place: readers see the old table or the new one,
// never a half-written mix. The old table is parked next to `fresh` (in the staging folder, outside
// every table folder) and removed after the swap.
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export async function replaceDir(fresh: string, target: string): Promise<void> {
  const old = `${fresh}.old`;
  await rm(old, { recursive: true, force: true });
  await rename(target, old).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
  await mkdir(path.dirname(target), { recursive: true }); // the layer folder, on a first run
  await rename(fresh, target);
  await rm(old, { recursive: true, force: true });
}
