// Kernel settings the node changes: the harness itself (forwarding, bridge netfilter), the kubelet
// (setupKernelTunables: overcommit, panic behaviour, key quotas, unless protectKernelDefaults) and
// the CNI bridge plugin (forwarding). Their values before the first start are recorded and put
// back by stop, so the rest of the suite runs on an unchanged kernel.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const recordedSysctls = [
  'net.ipv4.ip_forward',
  'net.ipv6.conf.all.forwarding',
  'net.bridge.bridge-nf-call-iptables',
  'net.bridge.bridge-nf-call-ip6tables',
  'net.ipv4.conf.all.route_localnet',
  'vm.overcommit_memory',
  'vm.panic_on_oom',
  'kernel.panic',
  'kernel.panic_on_oops',
  'kernel.keys.root_maxkeys',
  'kernel.keys.root_maxbytes',
  'net.netfilter.nf_conntrack_max',
  'net.netfilter.nf_conntrack_tcp_timeout_established',
  'net.netfilter.nf_conntrack_tcp_timeout_close_wait',
  'net.netfilter.nf_conntrack_tcp_be_liberal',
  'net.netfilter.nf_conntrack_udp_timeout',
  'net.netfilter.nf_conntrack_udp_timeout_stream',
] as const;

/** Set while the node runs: Service traffic is routed (forwarding) and bridged pod-to-pod replies pass kube-proxy's NAT (bridge netfilter). */
export const nodeSysctls: Record<string, string> = {
  'net.ipv4.ip_forward': '1',
  'net.bridge.bridge-nf-call-iptables': '1',
  'net.bridge.bridge-nf-call-ip6tables': '1',
};

const procPath = (name: string) => `/proc/sys/${name.replaceAll('.', '/')}`;

export function readSysctl(name: string): string | undefined {
  const file = procPath(name);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

export function writeSysctl(name: string, value: string): void {
  const file = procPath(name);
  if (!existsSync(file)) throw new Error(`${file} does not exist (kernel module missing?); the node needs ${name}=${value}`);
  writeFileSync(file, `${value}\n`);
}

export function snapshotSysctls(): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of recordedSysctls) {
    const value = readSysctl(name);
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/** Writes back every recorded value that differs now; returns the names it changed. */
export function restoreSysctls(before: Record<string, string>): string[] {
  const changed: string[] = [];
  for (const [name, value] of Object.entries(before)) {
    const now = readSysctl(name);
    if (now === undefined || now === value) continue;
    writeSysctl(name, value);
    changed.push(`${name}: ${now} -> ${value}`);
  }
  return changed;
}
