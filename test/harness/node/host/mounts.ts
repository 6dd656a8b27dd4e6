// Mounts the node leaves under its directories: pod volumes (tmpfs for projected service-account
// tokens), container root filesystems (overlay), sandbox /dev/shm and network namespace handles
// (nsfs). Read from /proc/self/mountinfo, unmounted deepest first.
import { readFileSync } from 'node:fs';
import { runTool } from './run.js';

/** mountinfo escapes space, tab, newline and backslash as octal (\040 ...). */
const unescape = (field: string) => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

export type MountEntry = { mountPoint: string; fsType: string };

export function mountTable(): MountEntry[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const fields = line.split(' ');
      const separator = fields.indexOf('-');
      return { mountPoint: unescape(fields[4] ?? ''), fsType: fields[separator + 1] ?? '' };
    });
}

export const isUnder = (file: string, dir: string) => file === dir || file.startsWith(`${dir.replace(/\/$/, '')}/`);

export function mountsUnder(dirs: string[]): string[] {
  return mountTable()
    .map((m) => m.mountPoint)
    .filter((p) => dirs.some((d) => isUnder(p, d)));
}

/** Unmounts everything under `dirs`, deepest first (lazily, so a busy mount cannot stop the cleanup). */
export async function unmountUnder(dirs: string[]): Promise<number> {
  let count = 0;
  // A mount can hide another on the same point: repeat until none is left (bounded).
  for (let round = 0; round < 5; round++) {
    const points = [...new Set(mountsUnder(dirs))].sort((a, b) => b.length - a.length);
    if (points.length === 0) break;
    for (const point of points) {
      const result = await runTool('umount', ['-l', point], { allowFailure: true });
      if (result.code === 0) count++;
    }
  }
  return count;
}
