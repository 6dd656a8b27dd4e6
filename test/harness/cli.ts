// Runs the real `lakebench` CLI in a child process, the way a user does.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './cache.js';

export type CliResult = { code: number; stdout: string; stderr: string };

export function lakebench(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const main = path.join(repoRoot, 'runner', 'src', 'cli', 'main.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [main, ...args], { cwd: options.cwd ?? repoRoot, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
