// What can be tested of the runner image without a Docker engine: the files the Dockerfile copies
// (read from the Dockerfile itself) go through .dockerignore, its production install step runs in a
// temporary copy of exactly those files, and the entrypoint then works there as uid 10001 without any
// dev dependency: `lakebench --help`, `lakebench plan` (byte-identical to the in-repo plan) and a small
// `lakebench generate` that loads DuckDB's native bindings.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { repoRoot } from '../harness/cache.js';
import { planYaml, runPlan } from '../../runner/src/platforms/kubernetes/manifests/plan.js';
import { clusterConfig, RUN_ID } from './plan-configs.js';

const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
const stages = dockerfile.split(/^FROM /m).slice(1);
const runtime = stages.find((s) => / AS runtime/.test(s))!;
const deps = stages.find((s) => / AS deps/.test(s))!;
/** Sources of the runtime stage's `COPY <src…> <dest>` lines (not those copied from another stage). */
const copied = [...runtime.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/).slice(0, -1));
const installStep = /^RUN (npm install [^&\n]+)/m.exec(deps)![1]!.trim().split(/\s+/);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-image-'));
const app = path.join(tmp, 'opt', 'lakebench');
const binDir = path.join(tmp, 'usr-local-bin');
const asRunner = (args: string[], cwd = tmp) =>
  spawnSync('setpriv', ['--reuid', '10001', '--regid', '10001', '--clear-groups', 'env', '-i', `PATH=${binDir}:/usr/local/bin:/usr/bin:/bin`, 'HOME=/tmp', 'NODE_ENV=production', 'lakebench', ...args], { cwd, encoding: 'utf8', timeout: 240_000 });

beforeAll(() => {
  mkdirSync(app, { recursive: true });
  for (const src of copied) {
    if (src.endsWith('*.py')) {
      const dir = path.dirname(src);
      mkdirSync(path.join(app, dir), { recursive: true });
      for (const f of readdirSync(path.join(repoRoot, dir)).filter((n) => n.endsWith('.py'))) cpSync(path.join(repoRoot, dir, f), path.join(app, dir, f));
    } else {
      cpSync(path.join(repoRoot, src), path.join(app, src.replace(/\/$/, '')), { recursive: true });
    }
  }
  // The deps stage's command, in a copy holding only package.json and the lock file at that point.
  execFileSync(installStep[0]!, installStep.slice(1), { cwd: app, stdio: 'pipe', timeout: 600_000 });
  execFileSync('chmod', ['-R', 'a+rX', tmp]);
  chmodSync(tmp, 0o755);
  mkdirSync(binDir);
  symlinkSync(path.join(app, 'bin', 'lakebench.cjs'), path.join(binDir, 'lakebench'));
}, 900_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('runner image (Dockerfile)', () => {
  it('copies the runner, the CLI launcher and the Spark scripts, all let through by .dockerignore', () => {
    expect(copied).toEqual(['package.json', 'package-lock.json', 'tsconfig.json', 'bin/', 'runner/', 'spark-scripts/*.py']);
    const ignore = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toContain('*');
    for (const src of copied) expect(ignore, src).toContain(`!${src}`);
    expect(runtime).toMatch(/^USER 10001:10001$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["lakebench"\]$/m);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:22-bookworm-slim$/m);
    expect(dockerfile).toContain('ARG VERSION=0.1.0');
    // No registry serves this image: the chart names none and refuses to install without one.
    expect(readFileSync(path.join(repoRoot, 'charts/lakebench/values.yaml'), 'utf8')).toMatch(/^ {4}repository: ""$/m);
    expect(readFileSync(path.join(repoRoot, 'charts/lakebench/Chart.yaml'), 'utf8')).toContain('appVersion: "0.1.0"');
  });

  it('installs production dependencies only, DuckDB bindings and tsx included', () => {
    const nm = path.join(app, 'node_modules');
    for (const dev of ['vitest', 'typescript', 'playwright-core', '@types/yargs', '@types/ejs']) expect(existsSync(path.join(nm, dev)), dev).toBe(false);
    for (const prod of ['tsx', 'yargs', '@duckdb/node-api', `@duckdb/node-bindings-linux-${process.arch}`, '@kubernetes/client-node', '@aws-sdk/lib-storage']) expect(existsSync(path.join(nm, prod)), prod).toBe(true);
  });

  it('runs `lakebench --help` from PATH as uid 10001', () => {
    const r = asRunner(['--help']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^lakebench <command>/);
    expect(r.stdout).toContain('lakebench run');
  });

  it('prints the same plan as the repository, as uid 10001', () => {
    const config = clusterConfig('polaris-iceberg', { scale: 1 });
    const file = path.join(tmp, 'lakebench.yaml');
    writeFileSync(file, stringify(config));
    const r = asRunner(['plan', '--config', file, '--run-id', RUN_ID]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(planYaml(runPlan(config, { runId: RUN_ID })));
  });

  it('generates a small dataset with DuckDB’s native bindings, as uid 10001', () => {
    const out = path.join(tmp, 'out');
    mkdirSync(out);
    chownSync(out, 10001, 10001);
    const r = asRunner(['generate', '--local', '--scale', '0.01', '--output', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ files: 6, rows: 25_565 });
  });
});
