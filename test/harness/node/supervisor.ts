// The process that owns a running node (started detached by shared.ts for the cluster tier, or by
// `cli.ts up`): starts it, writes state.json, and stops it cleanly on SIGTERM/SIGINT, or when the
// process named by LAKEBENCH_NODE_OWNER_PID (the vitest run) is gone, so a killed test run does not
// leave a node behind. The node's processes die with this one (parent-death signal), and the next
// start cleans what that leaves.
import { startNode, type NodeCluster } from './cluster.js';
import { hostLeftovers, readHostBefore } from './host/index.js';
import { isAlive } from './shared.js';
import { clearNodeState, writeLastStop, writeNodeState } from './state.js';

async function main(): Promise<void> {
  const owner = Number(process.env.LAKEBENCH_NODE_OWNER_PID ?? '');
  const ownerPid = Number.isInteger(owner) && owner > 0 ? owner : undefined;
  let node: NodeCluster | undefined;
  let stopReason: string | undefined;
  let stopping = false;
  const shutdown = async (running: NodeCluster, reason: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`stopping the node: ${reason}`);
    clearNodeState();
    let exitCode = 0;
    try {
      const before = readHostBefore();
      const report = await running.stop();
      const leftovers = await hostLeftovers(before);
      writeLastStop({ supervisorPid: process.pid, stoppedAt: new Date().toISOString(), reason, report, leftovers });
      console.log(`node stopped in ${report.seconds} s; ${leftovers.length === 0 ? 'host clean' : `LEFT ON THE HOST: ${leftovers.join('; ')}`}`);
    } catch (e) {
      console.error(`stopping the node failed: ${e instanceof Error ? e.stack : String(e)}`);
      exitCode = 1;
    }
    process.exit(exitCode);
  };
  // A stop asked for while the node is starting waits for the start to finish, then stops it.
  const requestStop = (reason: string) => {
    stopReason ??= reason;
    if (node) void shutdown(node, stopReason);
  };
  process.on('SIGTERM', () => requestStop('SIGTERM'));
  process.on('SIGINT', () => requestStop('SIGINT'));
  setInterval(() => {
    if (ownerPid !== undefined && !isAlive(ownerPid)) requestStop(`owner process ${ownerPid} is gone`);
  }, 2000);

  node = await startNode();
  if (stopReason) return shutdown(node, stopReason);
  writeNodeState({
    supervisorPid: process.pid,
    ownerPid,
    server: node.server,
    kubeconfigPath: node.kubeconfigPath,
    nodeName: node.nodeName,
    snapshotter: node.snapshotter,
    startedAt: new Date().toISOString(),
    timings: node.timings,
    imageImportSeconds: node.imageImportSeconds,
  });
  console.log(`node ready: ${JSON.stringify(node.timings)}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
