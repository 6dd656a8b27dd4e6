// The node's programs: the Kubernetes and containerd binaries test/setup/40-kube.sh and 60-node.sh
// build into the cache, and the Debian packages test/setup/10-apt.sh installs (runc, CNI plugins,
// iptables). Checked up front so a missing one is named instead of failing deep in a start-up.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { cacheBin, cacheDir } from '../cache.js';

export const nodeBinaries = {
  etcd: cacheBin('etcd'),
  kubeApiServer: cacheBin('kube-apiserver'),
  kubeControllerManager: cacheBin('kube-controller-manager'),
  kubeScheduler: cacheBin('kube-scheduler'),
  kubelet: cacheBin('kubelet'),
  kubeProxy: cacheBin('kube-proxy'),
  kubectl: cacheBin('kubectl'),
  containerd: cacheBin('containerd'),
  containerdShim: cacheBin('containerd-shim-runc-v2'),
  ctr: cacheBin('ctr'),
} as const;

export const hostBinaries = {
  runc: '/usr/sbin/runc',
  iptablesSave: '/usr/sbin/iptables-save',
  iptablesRestore: '/usr/sbin/iptables-restore',
  ip6tablesSave: '/usr/sbin/ip6tables-save',
  ip6tablesRestore: '/usr/sbin/ip6tables-restore',
  ip: '/usr/sbin/ip',
  conntrack: '/usr/sbin/conntrack',
} as const;

/** Debian's containernetworking-plugins. */
export const cniBinDir = '/usr/lib/cni';
export const cniPlugins = ['bridge', 'host-local', 'portmap', 'loopback'] as const;

/** Archives of locally built images (<slug>.tar, an oci-archive) and the reference each is imported under (<slug>.ref). */
export const imageCacheDir = path.join(cacheDir, 'images');

export function missingNodePrograms(): string[] {
  const programs = [...Object.values(nodeBinaries), ...Object.values(hostBinaries), ...cniPlugins.map((p) => path.join(cniBinDir, p))];
  return programs.filter((p) => !existsSync(p));
}
