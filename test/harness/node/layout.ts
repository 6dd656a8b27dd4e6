// Where the cluster tier's node keeps its files, and the fixed addresses and ports it uses. One
// node per machine: the kubelet and kube-proxy ports are well known, the bridge and the iptables
// chains are host-wide, so the layout is fixed rather than per run (which also lets a later run
// find and clean what a killed one left behind).
import os from 'node:os';
import path from 'node:path';
import { cacheDir } from '../cache.js';

export const nodeBaseDir = process.env.LAKEBENCH_NODE_DIR ?? path.join(os.tmpdir(), 'lakebench-node');
/** Outside nodeBaseDir, which the clean-up empties: who runs the node, and the logs of the last run. */
export const nodeControlDir = `${nodeBaseDir}-control`;

export const nodePaths = {
  base: nodeBaseDir,
  pki: path.join(nodeBaseDir, 'pki'),
  etcd: path.join(nodeBaseDir, 'etcd'),
  /** Each component's full output; kept after stop (overwritten by the next start) for post-mortems. */
  logs: path.join(nodeControlDir, 'logs'),
  config: path.join(nodeBaseDir, 'config'),
  containerdState: path.join(nodeBaseDir, 'containerd', 'state'),
  containerdSocket: path.join(nodeBaseDir, 'containerd', 'containerd.sock'),
  cniConfDir: path.join(nodeBaseDir, 'cni', 'net.d'),
  cniIpamDir: path.join(nodeBaseDir, 'cni', 'networks'),
  kubeletRoot: path.join(nodeBaseDir, 'kubelet'),
  podLogs: path.join(nodeBaseDir, 'pod-logs'),
  adminKubeconfig: path.join(nodeBaseDir, 'admin.kubeconfig'),
  /** What the host looked like before the first start (sysctls, iptables tables): restored by stop. */
  hostBefore: path.join(nodeBaseDir, 'host-before.json'),
  /** Written by the supervisor once the node is up (see shared.ts). */
  state: path.join(nodeControlDir, 'state.json'),
  /** The supervisor's report of its last stop (what the clean-up found and removed). */
  lastStop: path.join(nodeControlDir, 'last-stop.json'),
  supervisorLog: path.join(nodeControlDir, 'supervisor.log'),
  lock: path.join(nodeControlDir, 'start.lock'),
} as const;

export const nodeNetwork = {
  nodeName: 'lakebench-node',
  /** The bridge the CNI bridge plugin attaches pods to; created by the harness so its gateway address can be the node's IP. */
  bridge: 'cni0',
  nodeIp: '10.244.0.1',
  podSubnet: '10.244.0.0/24',
  clusterCidr: '10.244.0.0/16',
  serviceCidr: '10.96.0.0/12',
  kubernetesServiceIp: '10.96.0.1',
  dnsServiceIp: '10.96.0.10',
  clusterDomain: 'cluster.local',
} as const;

/** Fixed ports, checked free before start. etcd, kube-controller-manager and kube-scheduler need none fixed. */
export const nodePorts = {
  apiserver: 6443,
  kubelet: 10250,
  kubeletHealthz: 10248,
  kubeProxyMetrics: 10249,
  kubeProxyHealthz: 10256,
} as const;

export const apiServerUrl = `https://${nodeNetwork.nodeIp}:${nodePorts.apiserver}`;

/**
 * containerd's root (content store, unpacked image layers, metadata) is kept in the cache between
 * runs, one per snapshotter: importing the stand-in images (several GB) took over a minute and a
 * half on every start. Only images live on there: a stop removes every container and sandbox.
 * Its runtime state (mounts, sockets, network namespaces) stays under nodeBaseDir.
 */
export const containerdRootDir = (snapshotter: string) => path.join(cacheDir, 'node', `containerd-${snapshotter}`);
