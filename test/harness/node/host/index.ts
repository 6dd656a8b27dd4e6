// The host side of the node: checks before start, the kernel and network set-up, and the clean-up
// that leaves the machine as it was (run by stop, and before a start to clear what a killed run
// left behind).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { hostBinaries, missingNodePrograms } from '../binaries.js';
import { containerdRootDir, nodeNetwork, nodePaths, nodePorts } from '../layout.js';
import { kubepodsCgroups, removeKubepodsCgroups } from './cgroups.js';
import { countNodeIptablesEntries, removeNodeChains } from './iptables.js';
import { mountsUnder, unmountUnder } from './mounts.js';
import { killNodeProcesses, nodeProcesses } from './processes.js';
import { runTool } from './run.js';
import { nodeSysctls, readSysctl, restoreSysctls, snapshotSysctls, writeSysctl } from './sysctls.js';

const netnsDir = '/run/netns';
// containerd's shims put their sockets under /run/containerd/s whatever the daemon's own state dir is.
const runContainerdDir = '/run/containerd';
// Where containerd's persistent roots are (an unpack interrupted by a kill can leave a mount there).
const containerdRootParent = path.dirname(containerdRootDir('overlayfs'));

const hostBeforeSchema = z.object({
  sysctls: z.record(z.string(), z.string()),
  netnsDirExisted: z.boolean(),
  netnsEntries: z.array(z.string()),
  runContainerdExisted: z.boolean(),
  recordedAt: z.string(),
});
export type HostBefore = z.infer<typeof hostBeforeSchema>;

export function readHostBefore(): HostBefore | undefined {
  if (!existsSync(nodePaths.hostBefore)) return undefined;
  return hostBeforeSchema.parse(JSON.parse(readFileSync(nodePaths.hostBefore, 'utf8')));
}

/** The host's state as far as the node would change it (nothing is written). */
export function takeHostSnapshot(): HostBefore {
  return {
    sysctls: snapshotSysctls(),
    netnsDirExisted: existsSync(netnsDir),
    netnsEntries: existsSync(netnsDir) ? readdirSync(netnsDir) : [],
    runContainerdExisted: existsSync(runContainerdDir),
    recordedAt: new Date().toISOString(),
  };
}

/**
 * Records the host's state once, before the node changes anything. A record already there belongs
 * to a run that did not finish its clean-up, and still describes the host before that run: kept.
 */
export function recordHostBefore(): HostBefore {
  const existing = readHostBefore();
  if (existing) return existing;
  const before = takeHostSnapshot();
  mkdirSync(nodePaths.base, { recursive: true });
  writeFileSync(nodePaths.hostBefore, JSON.stringify(before, null, 2) + '\n');
  return before;
}

const bridgeExists = () => existsSync(`/sys/class/net/${nodeNetwork.bridge}`);

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(false)));
  });
}

/** Everything the node needs from the host, each failure named; throws one error listing them all. */
export async function checkHost(): Promise<void> {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push('the node must run as root (it creates a bridge, iptables rules, cgroups and mounts)');
  const missing = missingNodePrograms();
  if (missing.length > 0) problems.push(`missing programs: ${missing.join(', ')} (run bash test/setup/install.sh)`);
  if (!existsSync('/proc/sys/net/bridge')) problems.push('/proc/sys/net/bridge is missing: load the br_netfilter kernel module');
  if (bridgeExists() && !readHostBefore()) {
    problems.push(`a network interface ${nodeNetwork.bridge} exists that this harness did not create (another Kubernetes on this machine?)`);
  }
  // containerd merges these into any config it is given; they would change the node's runtime.
  const dropIns = existsSync('/etc/containerd/conf.d') ? readdirSync('/etc/containerd/conf.d').filter((f) => f.endsWith('.toml')) : [];
  if (dropIns.length > 0) problems.push(`/etc/containerd/conf.d holds ${dropIns.join(', ')}, which containerd would merge into the node's configuration`);
  for (const [component, port] of Object.entries(nodePorts)) {
    if (await portInUse(port)) problems.push(`port ${port} (${component}) is in use by another process`);
  }
  if (problems.length > 0) throw new Error(`the cluster tier's node cannot start on this host:\n- ${problems.join('\n- ')}`);
}

/** Kernel settings and the bridge whose gateway address is the node's IP (so it exists before the first pod). */
export async function prepareHost(): Promise<void> {
  recordHostBefore();
  for (const [name, value] of Object.entries(nodeSysctls)) writeSysctl(name, value);
  if (!bridgeExists()) {
    await runTool(hostBinaries.ip, ['link', 'add', nodeNetwork.bridge, 'type', 'bridge']);
    await runTool(hostBinaries.ip, ['addr', 'add', `${nodeNetwork.nodeIp}/${nodeNetwork.podSubnet.split('/')[1]}`, 'dev', nodeNetwork.bridge]);
    await runTool(hostBinaries.ip, ['link', 'set', nodeNetwork.bridge, 'up']);
  }
}

export type CleanupReport = {
  processesKilled: number;
  containerProcessesKilled: number;
  unmounted: number;
  iptablesChainsRemoved: number;
  bridgeRemoved: boolean;
  sysctlsRestored: string[];
  /** Seconds per clean-up step. */
  steps: Record<string, number>;
};

/**
 * Removes everything the node may have left on the host, whatever state it is in: its processes
 * (and shims), the processes in its pod cgroups, mounts under its directory and in /run/netns, the
 * pod cgroups, its iptables chains, the bridge; then restores the recorded kernel settings and
 * deletes the node's directory. Idempotent.
 */
export async function cleanupHost(): Promise<CleanupReport> {
  const before = readHostBefore();
  const steps: Record<string, number> = {};
  const step = async <T>(name: string, body: () => Promise<T> | T): Promise<T> => {
    const started = Date.now();
    try {
      return await body();
    } finally {
      steps[name] = (Date.now() - started) / 1000;
    }
  };
  const processesKilled = await step('processes', () => killNodeProcesses(nodePaths.base));
  const containerProcessesKilled = await step('cgroups', () =>
    removeKubepodsCgroups().catch(async (e: unknown) => {
      // A cgroup can stay busy for a moment after its last process was killed: once more.
      await new Promise((r) => setTimeout(r, 1000));
      return removeKubepodsCgroups().catch(() => {
        throw e;
      });
    }),
  );
  const newNetns = existsSync(netnsDir) ? readdirSync(netnsDir).filter((n) => !(before?.netnsEntries ?? []).includes(n) && n.startsWith('cni-')) : [];
  const unmounted = await step('mounts', () => unmountUnder([nodePaths.base, containerdRootParent, ...newNetns.map((n) => `${netnsDir}/${n}`)]));
  for (const n of newNetns) rmSync(`${netnsDir}/${n}`, { force: true });
  if (before && !before.netnsDirExisted && existsSync(netnsDir) && readdirSync(netnsDir).length === 0) rmSync(netnsDir, { recursive: true });
  // Without a containerd of the host's own, what is there (shim sockets) is the node's.
  if (before && !before.runContainerdExisted) rmSync(runContainerdDir, { recursive: true, force: true });
  const iptablesChainsRemoved = await step('iptables', () => removeNodeChains());
  const bridgeRemoved = bridgeExists() && before !== undefined;
  if (bridgeRemoved) await step('bridge', () => runTool(hostBinaries.ip, ['link', 'del', nodeNetwork.bridge]));
  const sysctlsRestored = before ? restoreSysctls(before.sysctls) : [];
  await step('files', () => {
    // Never recurse into a mount that is still there: a hostPath bind mount would take host files with it.
    const stillMounted = mountsUnder([nodePaths.base]);
    if (stillMounted.length > 0) throw new Error(`not removing ${nodePaths.base}: still mounted under it: ${stillMounted.join(', ')}`);
    rmSync(nodePaths.base, { recursive: true, force: true });
  });
  return { processesKilled, containerProcessesKilled, unmounted, iptablesChainsRemoved, bridgeRemoved, sysctlsRestored, steps };
}

/**
 * What the node has left on the host right now; empty when the host is clean. With `before`
 * (takeHostSnapshot() before the node started), also kernel settings not restored and a
 * /run/containerd that was not there.
 */
export async function hostLeftovers(before?: HostBefore): Promise<string[]> {
  const found: string[] = [];
  const processes = nodeProcesses(nodePaths.base);
  if (processes.length > 0) found.push(`processes: ${processes.map((p) => `${p.pid} ${p.exe}`).join(', ')}`);
  const cgroups = kubepodsCgroups();
  if (cgroups.length > 0) found.push(`cgroups: ${cgroups.join(', ')}`);
  const mounts = mountsUnder([nodePaths.base, containerdRootParent]);
  if (mounts.length > 0) found.push(`mounts: ${mounts.join(', ')}`);
  const netns = existsSync(netnsDir) ? readdirSync(netnsDir).filter((n) => n.startsWith('cni-')) : [];
  if (netns.length > 0) found.push(`network namespaces: ${netns.join(', ')}`);
  const iptables = await countNodeIptablesEntries();
  if (iptables > 0) found.push(`${iptables} iptables lines with KUBE-/CNI- chains`);
  if (bridgeExists()) found.push(`interface ${nodeNetwork.bridge}`);
  if (before && !before.runContainerdExisted && existsSync(runContainerdDir)) found.push(runContainerdDir);
  for (const [name, value] of Object.entries(before?.sysctls ?? {})) {
    const now = readSysctl(name);
    if (now !== value) found.push(`sysctl ${name}=${now} (was ${value})`);
  }
  return found;
}
