// Removes the iptables state the node leaves: kube-proxy's and the kubelet's KUBE-* chains, the
// CNI plugins' CNI-* chains (bridge ipMasq, portmap), and the rules in built-in chains that jump
// to them; for IPv4 and IPv6. Done in one iptables-restore --noflush per family (atomic), so
// rules that are not the node's are left exactly as they were.
import { hostBinaries } from '../binaries.js';
import { runTool } from './run.js';

export const nodeChain = (chain: string) => /^(KUBE-|CNI-)/.test(chain);

type Table = { name: string; chains: string[]; rules: { chain: string; spec: string }[] };

export function parseIptablesSave(dump: string): Table[] {
  const tables: Table[] = [];
  let current: Table | undefined;
  for (const line of dump.split('\n')) {
    if (line.startsWith('*')) tables.push((current = { name: line.slice(1).trim(), chains: [], rules: [] }));
    else if (!current) continue;
    else if (line.startsWith(':')) current.chains.push(line.slice(1).split(' ')[0] ?? '');
    else if (line.startsWith('-A ')) {
      const [, chain = '', ...rest] = line.split(' ');
      current.rules.push({ chain, spec: rest.join(' ') });
    }
  }
  return tables;
}

const jumpTarget = (spec: string) => / -[jg] (\S+)/.exec(` ${spec}`)?.[1];

/** The iptables-restore --noflush input that removes the node's chains, or '' when there are none. */
export function nodeChainRemoval(tables: Table[]): string {
  let script = '';
  for (const table of tables) {
    const ours = table.chains.filter(nodeChain);
    const jumps = table.rules.filter((r) => !nodeChain(r.chain) && nodeChain(jumpTarget(r.spec) ?? ''));
    if (ours.length === 0 && jumps.length === 0) continue;
    script += `*${table.name}\n`;
    for (const rule of jumps) script += `-D ${rule.chain} ${rule.spec}\n`;
    // Flush every chain before deleting any: the chains jump to one another.
    for (const chain of ours) script += `-F ${chain}\n`;
    for (const chain of ours) script += `-X ${chain}\n`;
    script += 'COMMIT\n';
  }
  return script;
}

export async function iptablesDump(family: 4 | 6): Promise<string> {
  return (await runTool(family === 4 ? hostBinaries.iptablesSave : hostBinaries.ip6tablesSave, [])).stdout;
}

/** Removes the node's chains for both families; returns how many chains were removed. */
export async function removeNodeChains(): Promise<number> {
  let removed = 0;
  for (const family of [4, 6] as const) {
    const tables = parseIptablesSave(await iptablesDump(family));
    const script = nodeChainRemoval(tables);
    if (!script) continue;
    removed += tables.flatMap((t) => t.chains).filter(nodeChain).length;
    await runTool(family === 4 ? hostBinaries.iptablesRestore : hostBinaries.ip6tablesRestore, ['-w', '--noflush'], { input: script });
  }
  return removed;
}

/** Counts the node's chains and the rules that reference them (0 when the host is clean). */
export async function countNodeIptablesEntries(): Promise<number> {
  let count = 0;
  for (const family of [4, 6] as const) {
    for (const line of (await iptablesDump(family)).split('\n')) if (/(^:|\s|^-A )(KUBE-|CNI-)/.test(line)) count++;
  }
  return count;
}
