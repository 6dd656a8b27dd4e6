// By-hand use of the cluster tier's node: `npx tsx test/harness/node/cli.ts up` starts it in the
// background and prints how to reach it; `down` stops it and cleans the host; `status` says what
// runs and what is left on the host. Needs root.
import { hostLeftovers, readHostBefore } from './host/index.js';
import { nodePaths } from './layout.js';
import { ensureNode, isAlive, stopNode } from './shared.js';
import { readNodeState } from './state.js';

async function up(): Promise<void> {
  const state = await ensureNode();
  console.log(`node ${state.nodeName} ready (supervisor pid ${state.supervisorPid}), API server ${state.server}
  start-up (s since start): ${JSON.stringify(state.timings)}
  export KUBECONFIG=${state.kubeconfigPath}
  kubectl: ${'$'}LAKEBENCH_CACHE/bin/kubectl (default .cache/bin/kubectl); component logs: ${nodePaths.logs}
stop with: npx tsx test/harness/node/cli.ts down`);
}

async function down(): Promise<void> {
  const before = readHostBefore();
  const outcome = await stopNode();
  const leftovers = await hostLeftovers(before);
  console.log(JSON.stringify(outcome, null, 2));
  if (leftovers.length > 0) {
    console.error(`left on the host: ${leftovers.join('; ')}`);
    process.exitCode = 1;
  } else console.log('host clean');
}

async function status(): Promise<void> {
  const state = readNodeState();
  if (state && isAlive(state.supervisorPid)) console.log(`running: ${JSON.stringify(state, null, 2)}`);
  else console.log('no node running');
  const leftovers = await hostLeftovers();
  console.log(leftovers.length === 0 ? 'nothing of the node on the host' : `on the host: ${leftovers.join('; ')}`);
}

const actions: Record<string, () => Promise<void>> = { up, down, status };
const action = actions[process.argv[2] ?? ''];
if (!action) {
  console.error('usage: npx tsx test/harness/node/cli.ts up|down|status');
  process.exit(2);
}
action().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
