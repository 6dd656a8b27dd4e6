// Runs the real `lakebench` CLI in a child process, the way a user does.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './cache.js';

export type CliResult = { code: number; signal: NodeJS.Signals | null; stdout: string; stderr: string };
export type CliProcess = {
  child: ChildProcess;
  /** Everything written to stderr so far (progress goes there). */
  stderr(): string;
  done: Promise<CliResult>;
};

/** Starts the CLI and returns at once, for tests that signal the process while it runs. */
export function startLakebench(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliProcess {
  // The image's entrypoint: one node process, so a signal sent to `child` reaches the CLI itself.
  const launcher = path.join(repoRoot, 'bin', 'lakebench.cjs');
  const child = spawn(process.execPath, [launcher, ...args], { cwd: options.cwd ?? repoRoot, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
  return { child, stderr: () => stderr, done };
}

export function lakebench(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  return startLakebench(args, options).done;
}
