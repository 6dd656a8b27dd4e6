// Long-running server processes for the engines harness. Each one runs in its own process group
// (detached) with its output in a log file, so stopping it kills the whole tree (spark-submit's JVM,
// postgres' backends) and so `cli.ts up` can leave it running after the CLI exits.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

export type ServerProcess = {
  pid: number;
  logFile: string;
  /** Whether the process has exited (a server that exits during startup failed). */
  exited(): boolean;
  /** The end of the log, for error messages. */
  logTail(): string;
  stop(): Promise<void>;
};

export type LaunchOptions = {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  /** The signal that asks this server for a quick, clean shutdown (PostgreSQL: SIGINT). */
  stopSignal?: NodeJS.Signals;
};

export function launch(options: LaunchOptions): ServerProcess {
  const log = openSync(options.logFile, 'a');
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  let exited = false;
  let spawnError = '';
  child.once('exit', () => (exited = true));
  child.once('error', (e) => {
    exited = true;
    spawnError = `${options.command}: ${e.message}\n`;
  });
  if (child.pid === undefined) throw new Error(`could not start ${options.command}`);
  const pid = child.pid;
  killOnExit(pid);
  // The parent must not wait for the server to end (the CLI exits while servers keep running).
  child.unref();
  return {
    pid,
    logFile: options.logFile,
    exited: () => exited,
    logTail: () => spawnError + tailOf(options.logFile),
    stop: () => stopProcessGroup(pid, options.stopSignal),
  };
}

// Process groups still running when this Node process exits (a crashed test worker, a supervisor
// that was told to stop): killed then, so no server outlives the process that started it.
const running = new Set<number>();
let exitHookInstalled = false;

export function killOnExit(pid: number): void {
  running.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const group of running) signalGroup(group, 'SIGKILL');
  });
}

/** `signal` to the process group, then SIGKILL if it is still there after `graceMs`. */
export async function stopProcessGroup(pid: number, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
  running.delete(pid);
  if (!signalGroup(pid, signal)) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!signalGroup(pid, 0)) return;
    await sleep(100);
  }
  signalGroup(pid, 'SIGKILL');
  const killDeadline = Date.now() + 10_000;
  while (signalGroup(pid, 0) && Date.now() < killDeadline) await sleep(50);
}

/** Sends a signal to a process group; false when no such group exists (any more). */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

export function tailOf(file: string, chars = 4000): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  return text.slice(-chars);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `probe` until it returns true. Fails early, with the log's end, when the process exits,
 * and after `timeoutMs` otherwise.
 */
export async function waitUntilReady(name: string, server: ServerProcess, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.exited()) throw new Error(`${name} exited during startup; log ${server.logFile}:\n${server.logTail()}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${name} not ready after ${timeoutMs} ms; log ${server.logFile}:\n${server.logTail()}`);
    await sleep(250);
  }
}
