// containerd 2.x with its CRI plugin, everything under the node's directory (its own socket, root
// and state, network namespace handles under the state dir instead of /run/netns), configured in
// the config format of containerd 2.4 (version 4, as `containerd config default` prints it; in it
// the socket addresses live in the server plugins' tables, where version 3 had [grpc]/[ttrpc]).
// Workarounds for this kind of machine, each needed to run any pod:
// - restrict_oom_score_adj: the VM's capability bounding set lacks CAP_SYS_RESOURCE, so runc cannot
//   lower oom_score_adj (the pause container asks for -998) and every sandbox failed to start
//   ("can't get final child's PID from pipe: EOF"); with it the value is clamped to the current one.
// - the sandbox (pause) image is a local build pinned by name: nothing can be pulled here.
// Plugins that would write outside the node's directory (opt: /opt/containerd, NRI: /var/run/nri)
// or that are unused (image verifiers) are disabled.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheDir } from '../cache.js';
import { startProcess, type ManagedProcess } from '../kube/process.js';
import { cniBinDir, hostBinaries, nodeBinaries } from './binaries.js';
import { runTool } from './host/run.js';
import { containerdRootDir, nodePaths } from './layout.js';
import { waitFor } from './wait.js';

export const criNamespace = 'k8s.io';

export type Snapshotter = 'overlayfs' | 'native';

/** overlayfs when this kernel and filesystem can mount an overlay where containerd keeps its layers, else native (full copies). */
export async function chooseSnapshotter(): Promise<Snapshotter> {
  const parent = path.dirname(containerdRootDir('overlayfs'));
  mkdirSync(parent, { recursive: true });
  const probe = mkdtempSync(path.join(parent, 'overlay-probe-'));
  try {
    for (const d of ['lower', 'upper', 'work', 'merged']) mkdirSync(path.join(probe, d));
    const options = `lowerdir=${probe}/lower,upperdir=${probe}/upper,workdir=${probe}/work`;
    const mounted = await runTool('mount', ['-t', 'overlay', 'overlay', '-o', options, `${probe}/merged`], { allowFailure: true });
    if (mounted.code !== 0) return 'native';
    await runTool('umount', [`${probe}/merged`]);
    return 'overlayfs';
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const q = (s: string) => `'${s}'`; // TOML literal string (the paths hold no single quotes)

export function containerdConfig(snapshotter: Snapshotter, sandboxImage: string): string {
  const runtime = "plugins.'io.containerd.cri.v1.runtime'";
  return `version = 4
root = ${q(containerdRootDir(snapshotter))}
state = ${q(nodePaths.containerdState)}
disabled_plugins = ['io.containerd.internal.v1.opt', 'io.containerd.nri.v1.nri', 'io.containerd.image-verifier.v1.bindir']

[plugins.'io.containerd.server.v1.grpc']
  address = ${q(nodePaths.containerdSocket)}

[plugins.'io.containerd.server.v1.ttrpc']
  address = ${q(`${nodePaths.containerdSocket}.ttrpc`)}

[plugins.'io.containerd.cri.v1.images']
  snapshotter = ${q(snapshotter)}
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = ${q(sandboxImage)}

[${runtime}]
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  cdi_spec_dirs = []
  [${runtime}.cni]
    bin_dirs = [${q(cniBinDir)}]
    conf_dir = ${q(nodePaths.cniConfDir)}
    max_conf_num = 1
  [${runtime}.containerd]
    default_runtime_name = 'runc'
    [${runtime}.containerd.runtimes.runc]
      runtime_type = 'io.containerd.runc.v2'
      [${runtime}.containerd.runtimes.runc.options]
        BinaryName = ${q(hostBinaries.runc)}
        Root = ${q(path.join(nodePaths.containerdState, 'runc'))}
        SystemdCgroup = false

[plugins.'io.containerd.grpc.v1.cri']
  disable_tcp_service = true
  stream_server_address = '127.0.0.1'
  stream_server_port = '0'
`;
}

/** `ctr` against the node's containerd, in the CRI namespace. */
export function ctr(args: string[], options: { allowFailure?: boolean; timeoutMs?: number } = {}) {
  return runTool(nodeBinaries.ctr, ['--address', nodePaths.containerdSocket, '--namespace', criNamespace, ...args], options);
}

export async function startContainerd(snapshotter: Snapshotter, sandboxImage: string): Promise<ManagedProcess> {
  const configPath = path.join(nodePaths.config, 'containerd.toml');
  writeFileSync(configPath, containerdConfig(snapshotter, sandboxImage));
  const containerd = startProcess('containerd', nodeBinaries.containerd, ['--config', configPath, '--log-level', 'info'], {
    logFile: path.join(nodePaths.logs, 'containerd.log'),
    // The shim is found on PATH; the cache's bin dir first so it is the one built with this containerd.
    env: { ...process.env, PATH: `${path.join(cacheDir, 'bin')}:/usr/sbin:/usr/bin:/sbin:/bin`, TMPDIR: os.tmpdir() },
  });
  await waitFor('containerd', 60_000, [containerd], async () => (await ctr(['version'], { allowFailure: true, timeoutMs: 5000 })).code === 0);
  return containerd;
}

/**
 * Kills and removes every container and sandbox the CRI namespace holds (what the kubelet did not
 * get to, or what a killed run left in the persistent root), so no shim or container outlives the
 * node and the next start begins with images only. Returns how many were running.
 */
export async function removeAllContainers(): Promise<number> {
  const ids = async (args: string[]) => (await ctr(args, { allowFailure: true })).stdout.split('\n').filter(Boolean);
  const tasks = await ids(['tasks', 'list', '--quiet']);
  for (const id of tasks) await ctr(['tasks', 'kill', '--signal', 'SIGKILL', id], { allowFailure: true });
  for (const id of tasks) await ctr(['tasks', 'delete', '--force', id], { allowFailure: true });
  for (const id of await ids(['containers', 'list', '--quiet'])) await ctr(['containers', 'delete', id], { allowFailure: true });
  const sandboxes = (await ids(['sandboxes', 'list'])).slice(1).map((line) => line.split(/\s+/)[0] ?? '').filter(Boolean);
  for (const id of sandboxes) await ctr(['sandboxes', 'remove', '--force', id], { allowFailure: true });
  return tasks.length;
}
