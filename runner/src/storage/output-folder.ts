// The output folder, made ready before anything is written: created one level at a time, on real
// storage, writable. Node's `mkdir(recursive)` never returns for a path under /proc (the kernel
// answers ENOENT for the child and EEXIST for the parent, and it retries forever), and a folder on
// /proc or /sys is a kernel interface, not storage: both are refused up front, naming the folder.
import { access, constants, mkdir, rm, stat, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BadInputError } from '../util/errors.js';

/** Kernel pseudo filesystems (statfs f_type, linux/magic.h): they hold no files of ours. */
const PSEUDO_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xf97cff8c, 'selinuxfs'],
  [0x6165676c, 'pstore'],
  [0xde5e81e4, 'efivarfs'],
  [0xcafe4a11, 'bpf'],
  [0x6e736673, 'nsfs'],
  [0x1cd1, 'devpts'],
]);

const code = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** The deepest existing folder on the way to `target`, and the names still to create below it. */
async function existingAncestor(target: string): Promise<{ existing: string; missing: string[] }> {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    try {
      const info = await stat(current);
      if (!info.isDirectory()) throw new BadInputError(`output folder is not writable: ${current === target ? 'it' : current} is a file, not a folder`, target);
      return { existing: current, missing };
    } catch (e) {
      if (e instanceof BadInputError) throw e;
      if (code(e) !== 'ENOENT' && code(e) !== 'ENOTDIR') throw new BadInputError(`output folder is not usable (${code(e)} on ${current})`, target);
      const parent = path.dirname(current);
      if (parent === current) throw new BadInputError(`output folder is not usable (${code(e)} on ${current})`, target);
      missing.unshift(path.basename(current));
      current = parent;
    }
  }
}

/**
 * Creates the output folder if needed and proves it takes a file. Returns its absolute path.
 * Refused (exit 2, naming the folder): a file in the way, a kernel pseudo filesystem, no write access.
 */
export async function prepareOutputFolder(output: string): Promise<string> {
  const target = path.resolve(output);
  const { existing, missing } = await existingAncestor(target);
  let fsType: number;
  try {
    fsType = Number((await statfs(existing)).type);
  } catch (e) {
    throw new BadInputError(`output folder is not usable (${code(e)} on ${existing})`, target);
  }
  const pseudo = PSEUDO_FILESYSTEMS.get(fsType);
  if (pseudo) throw new BadInputError(`output folder is on the ${pseudo} filesystem (${existing}), a kernel interface rather than storage: choose a folder on a disk`, target);
  let current = existing;
  for (const name of missing) {
    current = path.join(current, name);
    try {
      await mkdir(current);
    } catch (e) {
      // Another process creating the same folder at the same moment is fine.
      if (code(e) !== 'EEXIST' || !(await stat(current)).isDirectory()) throw new BadInputError(`output folder is not writable (${code(e)} creating ${current})`, target);
    }
  }
  const probe = path.join(target, `.lakebench-write-probe-${process.pid}`);
  try {
    await access(target, constants.W_OK);
    await writeFile(probe, '');
  } catch (e) {
    throw new BadInputError(`output folder is not writable (${code(e)})`, target);
  } finally {
    await rm(probe, { force: true });
  }
  return target;
}
