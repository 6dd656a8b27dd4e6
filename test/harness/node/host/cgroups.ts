// The kubelet's pod cgroups (cgroupfs driver: /kubepods/{besteffort,burstable}/pod<uid>/<container>
// in every cgroup hierarchy). Left-over containers are killed through them (a container outlives
// its shim, so killing processes by name would not find them), then the directories are removed.
import { existsSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { mountTable } from './mounts.js';

export function cgroupMountPoints(): string[] {
  return mountTable()
    .filter((m) => m.fsType === 'cgroup' || m.fsType === 'cgroup2')
    .map((m) => m.mountPoint);
}

/** Top-level kubepods* cgroup directories in every hierarchy. */
export function kubepodsCgroups(): string[] {
  return cgroupMountPoints().flatMap((root) => {
    try {
      return readdirSync(root)
        .filter((name) => name.startsWith('kubepods'))
        .map((name) => path.join(root, name))
        .filter((dir) => statSync(dir).isDirectory());
    } catch {
      return [];
    }
  });
}

function subtree(dir: string): string[] {
  const children = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => subtree(path.join(dir, e.name)));
  return [...children, dir]; // post-order: children before their parent
}

function pidsIn(dir: string): number[] {
  const procs = path.join(dir, 'cgroup.procs');
  if (!existsSync(procs)) return [];
  return readFileSync(procs, 'utf8').split('\n').filter(Boolean).map(Number);
}

/** Kills every process left in the kubepods cgroups and removes them; returns the number of processes killed. */
export async function removeKubepodsCgroups(): Promise<number> {
  let killed = 0;
  for (const top of kubepodsCgroups()) {
    const dirs = subtree(top);
    for (let round = 0; round < 50; round++) {
      const pids = dirs.flatMap(pidsIn);
      if (pids.length === 0) break;
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
          killed++;
        } catch {
          // already gone
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const dir of dirs) {
      try {
        rmdirSync(dir);
      } catch (e) {
        throw new Error(`cannot remove cgroup ${dir}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    }
  }
  return killed;
}
