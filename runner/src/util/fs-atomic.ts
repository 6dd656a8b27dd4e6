// Files are written under a temporary name and renamed into place, so a reader (or a crash) never
// sees half a file.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * `mkdir -p` that gives up. Node's `mkdir(recursive)` retries forever where the kernel answers ENOENT
 * for a folder whose parent exists (anywhere under /proc); this creates each missing level once.
 */
export async function makeFolders(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || path.dirname(dir) === dir) throw e;
    await makeFolders(path.dirname(dir));
    await mkdir(dir).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await makeFolders(path.dirname(file));
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(16).slice(2)}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

export const writeJsonAtomic = (file: string, value: unknown): Promise<void> => writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
