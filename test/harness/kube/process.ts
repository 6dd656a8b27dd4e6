// A control-plane process started by the harness: keeps the tail of its output for error
// messages, notices when it dies, and is killed if the test process exits without stopping it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';

export type ManagedProcess = {
  name: string;
  /** The last lines the process wrote (stdout and stderr), for failure messages. */
  logTail(): string;
  /** Rejects as soon as the process exits; use in Promise.race while waiting for readiness. */
  exited: Promise<never>;
  isRunning(): boolean;
  stop(): Promise<void>;
};

const keptChars = 20_000;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

// Vitest workers can end without running afterAll (a crash, a timeout, SIGTERM, SIGKILL): do not
// leave etcd and kube-apiserver behind holding ports and memory. The kernel's parent-death signal
// (set by util-linux's setpriv, which then execs the binary under the same pid) covers every way
// the worker can die; the exit hook covers systems without setpriv.
const setpriv = '/usr/bin/setpriv';

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export type StartOptions = {
  /** Also append all output to this file (the in-memory tail keeps only the end). */
  logFile?: string;
  env?: NodeJS.ProcessEnv;
};

export function startProcess(name: string, bin: string, args: string[], options: StartOptions = {}): ManagedProcess {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run bash test/setup/install.sh first`);
  installExitHook();
  const [command, argv] = existsSync(setpriv) ? [setpriv, ['--pdeathsig', 'KILL', '--', bin, ...args]] : [bin, args];
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
  const logFile = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  running.add(child);
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-keptChars);
    logFile?.write(d);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // 'close', not 'exit': output can still arrive after the process has exited.
  child.once('close', () => logFile?.end());
  let stopping = false;
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      if (!stopping) reject(new Error(`${name} exited (code ${code}, signal ${signal}):\n${output.slice(-4000)}`));
    });
    child.once('error', (e) => reject(new Error(`${name} could not start: ${e.message}`)));
  });
  exited.catch(() => undefined); // observed by callers that race on it; never an unhandled rejection

  return {
    name,
    logTail: () => output,
    exited,
    isRunning: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([gone, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await gone;
      }
    },
  };
}
