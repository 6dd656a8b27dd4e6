// One node shared by every file of the cluster tier: the first file that asks starts it (through a
// detached supervisor, so it outlives that file's worker), later files find it running, and the
// tier's globalSetup teardown stops it when the run ends. A lock file keeps two starts (a test and
// a by-hand `cli.ts up`) from racing.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../cache.js';
import { cleanupHost, type CleanupReport } from './host/index.js';
import { nodeControlDir, nodePaths } from './layout.js';
import { readLastStop, readNodeState, clearNodeState, type NodeState, type NodeStopRecord } from './state.js';

const supervisorPath = fileURLToPath(new URL('./supervisor.ts', import.meta.url));
const startTimeoutMs = 15 * 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const tail = (file: string, chars = 6000) => (existsSync(file) ? readFileSync(file, 'utf8').slice(-chars) : '(no log)');

async function withStartLock<T>(body: () => Promise<T>): Promise<T> {
  mkdirSync(nodeControlDir, { recursive: true });
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    try {
      writeFileSync(nodePaths.lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const holder = Number(readFileSync(nodePaths.lock, 'utf8'));
      if (!isAlive(holder)) rmSync(nodePaths.lock, { force: true });
      else if (Date.now() > deadline) throw new Error(`${nodePaths.lock} is held by process ${holder} for too long`);
      else await sleep(500);
    }
  }
  try {
    return await body();
  } finally {
    rmSync(nodePaths.lock, { force: true });
  }
}

/** The running node (started now if none runs). `ownerPid`: stop the node when that process ends. */
export function ensureNode(ownerPid?: number): Promise<NodeState> {
  return withStartLock(async () => {
    const running = readNodeState();
    if (running && isAlive(running.supervisorPid)) return running;
    if (running) clearNodeState();
    const log = openSync(nodePaths.supervisorLog, 'w');
    const supervisor = spawn(process.execPath, ['--import', 'tsx', supervisorPath], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, ...(ownerPid ? { LAKEBENCH_NODE_OWNER_PID: String(ownerPid) } : {}) },
    });
    closeSync(log);
    supervisor.unref();
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
      const state = readNodeState();
      if (state && state.supervisorPid === supervisor.pid) return state;
      if (supervisor.exitCode !== null || (supervisor.pid !== undefined && !isAlive(supervisor.pid))) break;
      await sleep(500);
    }
    throw new Error(`the node did not start; ${nodePaths.supervisorLog}:\n${tail(nodePaths.supervisorLog)}`);
  });
}

export type NodeStopOutcome = { stopped: 'supervisor'; record: NodeStopRecord | undefined } | { stopped: 'cleanup'; report: CleanupReport } | { stopped: 'nothing' };

/** Stops the node if one runs (through its supervisor; if that is gone or stuck, cleans the host directly). */
export async function stopNode(timeoutMs = 180_000): Promise<NodeStopOutcome> {
  const state = readNodeState();
  const supervisorPid = state?.supervisorPid;
  if (supervisorPid !== undefined && isAlive(supervisorPid)) {
    const before = readLastStop()?.stoppedAt;
    process.kill(supervisorPid, 'SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (isAlive(supervisorPid) && Date.now() < deadline) await sleep(250);
    if (!isAlive(supervisorPid)) {
      const record = readLastStop();
      return { stopped: 'supervisor', record: record && record.stoppedAt !== before ? record : undefined };
    }
    process.kill(supervisorPid, 'SIGKILL');
  }
  clearNodeState();
  // No supervisor (killed, or never cleaned up): whatever it left, if anything, is removed here.
  if (existsSync(nodePaths.hostBefore) || supervisorPid !== undefined) return { stopped: 'cleanup', report: await cleanupHost() };
  return { stopped: 'nothing' };
}
