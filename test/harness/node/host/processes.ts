// Finds the node's own processes that a killed run left behind (its supervisor died before
// stopping them): an executable from the node's binaries whose command line names the node's
// directory. Containerd shims match too (their -address is the node's socket). Nothing else on
// the machine is matched, not even the kubernetes tier's etcd and kube-apiserver, which run the
// same binaries from other directories.
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { nodeBinaries } from '../binaries.js';

const realPath = (file: string) => {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
};

export type HostProcess = { pid: number; exe: string; args: string[] };

export function nodeProcesses(baseDir: string): HostProcess[] {
  const ours = new Set<string>(Object.values(nodeBinaries).map(realPath));
  const found: HostProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      // A binary replaced by a rebuild while it ran reads as "<path> (deleted)".
      const exe = readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
      if (!ours.has(exe)) continue;
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (args.some((a) => a.includes(baseDir))) found.push({ pid, exe, args });
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return found;
}

export async function killNodeProcesses(baseDir: string): Promise<number> {
  const victims = nodeProcesses(baseDir);
  for (const p of victims) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 10_000;
  while (nodeProcesses(baseDir).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return victims.length;
}
