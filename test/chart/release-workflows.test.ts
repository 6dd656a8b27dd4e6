// The release path of .github/workflows: release-image.yml (the runner image for linux/amd64 and
// linux/arm64, pushed on a version tag) and release-chart.yml (the chart packaged and pushed to an OCI
// registry). Both are linted by actionlint (with shellcheck on every `run:` script, and its knowledge of
// the docker/* actions' inputs); their version checks run here for real, and so do `helm package` and
// `helm push` to a real (in-memory) OCI registry, from which the chart then renders.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../harness/cache.js';
import { runnerImageFixture } from './helpers/matrix.js';
import { actionlint, chartDir, helmVersions, ociRegistry, run, runAsync, shellcheck, venvBin } from './helpers/tools.js';

const workflowsDir = path.join(repoRoot, '.github', 'workflows');
type Step = { name?: string; id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Workflow = { on: { push: { tags: string[] } }; jobs: Record<string, { permissions?: Record<string, string>; env?: Record<string, string>; steps: Step[] }> };
const workflow = (file: string) => parse(readFileSync(path.join(workflowsDir, file), 'utf8')) as Workflow;
const onlyJob = (w: Workflow) => Object.values(w.jobs)[0]!;

type Finding = { message: string; kind: string; filepath: string };
function lint(files: string[]): { status: number; findings: Finding[]; stderr: string } {
  const result = run(actionlint, ['-shellcheck', shellcheck, '-pyflakes', path.join(venvBin, 'pyflakes'), '-format', '{{json .}}', ...files]);
  return { status: result.status, findings: result.stdout.trim() ? (JSON.parse(result.stdout) as Finding[]) : [], stderr: result.stderr };
}

/** Runs a step's `run:` script the way GitHub's default shell does (bash -e), returning its outputs. */
function runStep(step: Step, env: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-step-'));
  const output = path.join(dir, 'output');
  writeFileSync(output, '');
  const result = spawnSync('bash', ['-e', '-c', step.run!], { cwd: repoRoot, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: output, ...env } });
  const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  rmSync(dir, { recursive: true, force: true });
  return { status: result.status, stdout: result.stdout, outputs };
}

const appVersion = /^appVersion: "?([^"\n]+)"?$/m.exec(readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8'))![1]!;
const dirs: string[] = [];
beforeAll(() => {
  const missing = [actionlint, shellcheck, ociRegistry].filter((p) => !existsSync(p));
  if (missing.length > 0) throw new Error(`release workflow tools missing (${missing.join(', ')}): run bash test/setup/install.sh`);
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('actionlint', () => {
  it('passes both release workflows, shellcheck included', () => {
    const files = readdirSync(workflowsDir).filter((f) => f.endsWith('.yml')).sort();
    expect(files).toEqual(expect.arrayContaining(['release-chart.yml', 'release-image.yml']));
    const { status, findings, stderr } = lint(files.map((f) => path.join(workflowsDir, f)));
    expect(findings, JSON.stringify(findings, null, 1)).toEqual([]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('fails a broken copy: a misspelt docker/build-push-action input and an unquoted variable', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-actionlint-'));
    dirs.push(dir);
    const broken = readFileSync(path.join(workflowsDir, 'release-image.yml'), 'utf8')
      .replace('platforms: linux/amd64,linux/arm64', 'platform: linux/amd64,linux/arm64')
      .replace('echo "version=${version}" >> "$GITHUB_OUTPUT"', 'echo "version=${version}" >> $GITHUB_OUTPUT');
    writeFileSync(path.join(dir, 'release-image.yml'), broken);
    const { status, findings } = lint([path.join(dir, 'release-image.yml')]);
    expect(status).not.toBe(0);
    expect(findings.map((f) => f.kind).sort()).toEqual(['action', 'shellcheck']);
    expect(findings.find((f) => f.kind === 'action')!.message).toMatch(/input "platform" is not defined in action "docker\/build-push-action@v7"/);
  });
});

describe('release-image.yml', () => {
  const w = workflow('release-image.yml');
  const job = onlyJob(w);
  const uses = (prefix: string) => job.steps.findIndex((s) => s.uses?.startsWith(prefix));

  it('on a version tag, builds the Dockerfile with buildx for linux/amd64 and linux/arm64 and pushes it', () => {
    expect(w.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+']);
    expect(job.permissions).toMatchObject({ packages: 'write' });
    const build = job.steps[uses('docker/build-push-action@')]!;
    expect(build.with).toMatchObject({ context: '.', file: 'Dockerfile', push: true });
    expect(String(build.with!.platforms).split(',')).toEqual(['linux/amd64', 'linux/arm64']);
    expect(existsSync(path.join(repoRoot, String(build.with!.file)))).toBe(true);
    expect(build.with!.tags).toBe('${{ steps.meta.outputs.image }}:${{ steps.meta.outputs.version }}');
    expect(String(build.with!['build-args'])).toMatch(/^VERSION=\$\{\{ steps\.meta\.outputs\.version \}\}$/m);
    // QEMU (for arm64) and buildx are set up, and the registry logged into, before the build.
    for (const prefix of ['docker/setup-qemu-action@', 'docker/setup-buildx-action@', 'docker/login-action@']) {
      expect(uses(prefix), prefix).toBeGreaterThanOrEqual(0);
      expect(uses(prefix), prefix).toBeLessThan(uses('docker/build-push-action@'));
    }
  });

  it('names the image after the tag, and refuses a tag that is not the chart’s appVersion', () => {
    const meta = job.steps.find((s) => s.id === 'meta')!;
    const ok = runStep(meta, { GITHUB_REF_NAME: `v${appVersion}`, GITHUB_REPOSITORY_OWNER: 'Example-Org' });
    expect(ok.status, ok.stdout).toBe(0);
    expect(ok.outputs).toEqual({ version: appVersion, image: 'ghcr.io/example-org/lakebench-runner' });
    const wrong = runStep(meta, { GITHUB_REF_NAME: 'v9.9.9', GITHUB_REPOSITORY_OWNER: 'example-org' });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toContain(`::error::tag v9.9.9 does not match the chart's appVersion ${appVersion}`);
  });
});

describe('release-chart.yml', () => {
  const w = workflow('release-chart.yml');
  const job = onlyJob(w);
  const step = (name: string) => job.steps.find((s) => s.name === name)!;

  it('on a version tag, lints, packages and pushes the chart to an OCI registry', () => {
    expect(w.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+']);
    expect(job.permissions).toMatchObject({ packages: 'write' });
    expect(job.env!.CHART_DIR).toBe('charts/lakebench');
    expect(step('Lint').run).toMatch(/helm lint --strict "\$\{CHART_DIR\}" -f "\$values"/);
    expect(step('Package').run!.trim()).toBe('helm package "${CHART_DIR}" --destination dist');
    expect(step('Push to the OCI registry').run).toMatch(/helm push "dist\/lakebench-\$\{VERSION\}\.tgz" "\$REGISTRY"/);
  });

  it('pushes to oci://ghcr.io/<owner>/charts, and refuses a tag that is not the chart’s version', () => {
    const check = step('Check the tag against Chart.yaml');
    const ok = runStep(check, { GITHUB_REF_NAME: `v${appVersion}`, GITHUB_REPOSITORY_OWNER: 'Example-Org', CHART_DIR: 'charts/lakebench' });
    expect(ok.status, ok.stdout).toBe(0);
    expect(ok.outputs).toEqual({ version: appVersion, registry: 'oci://ghcr.io/example-org/charts' });
    const wrong = runStep(check, { GITHUB_REF_NAME: 'v9.9.9', GITHUB_REPOSITORY_OWNER: 'example-org', CHART_DIR: 'charts/lakebench' });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toMatch(/::error::tag v9\.9\.9 does not match the chart's version/);
  });

  let registry: ChildProcess | undefined;
  afterAll(() => void registry?.kill());

  /** An in-memory OCI registry (go-containerregistry) on a free port of 127.0.0.1. */
  async function startRegistry(): Promise<string> {
    registry = spawn(ociRegistry, ['-port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    return new Promise((resolve, reject) => {
      registry!.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        const port = /serving on port (\d+)/.exec(log)?.[1];
        if (port) resolve(`localhost:${port}`);
      });
      registry!.on('exit', (code) => reject(new Error(`OCI registry exited (${code}): ${log}`)));
    });
  }

  it('its Package and Push steps publish a chart that installs from the OCI registry', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-package-'));
    dirs.push(dir);
    const pkg = run(helmVersions.helm3, ['package', chartDir, '--destination', path.join(dir, 'dist')]);
    expect(pkg.status, pkg.stderr).toBe(0);
    const tgz = path.join(dir, 'dist', `lakebench-${appVersion}.tgz`);
    expect(existsSync(tgz)).toBe(true);
    const listing = spawnSync('tar', ['tzf', tgz], { encoding: 'utf8' }).stdout.split('\n');
    for (const f of ['lakebench/values.schema.json', 'lakebench/files/scripts/polaris_bootstrap.py', 'lakebench/templates/validate.yaml']) expect(listing).toContain(f);
    expect(listing.filter((f) => /__pycache__|\.pyc$/.test(f))).toEqual([]);
    // The workflow's `helm push "dist/lakebench-${VERSION}.tgz" "$REGISTRY"`, to a registry served over plain HTTP here.
    const host = await startRegistry();
    const pushed = await runAsync(helmVersions.helm3, ['push', tgz, `oci://${host}/charts`, '--plain-http']);
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(pushed.stderr).toContain(`Pushed: ${host}/charts/lakebench:${appVersion}`);
    copyFileSync(runnerImageFixture, path.join(dir, 'image.yaml'));
    const ref = `oci://${host}/charts/lakebench`;
    const rendered = await runAsync(helmVersions.helm3, ['template', 'lakebench', ref, '--version', appVersion, '--plain-http', '-f', path.join(dir, 'image.yaml'), '--set', 'storage.garage.enabled=true']);
    expect(rendered.status, rendered.stderr).toBe(0);
    expect(rendered.stdout).toContain(`image: registry.example.com/lakebench/lakebench-runner:${appVersion}`);
    // And from the registry, too, the chart refuses to install without a runner image.
    const refused = await runAsync(helmVersions.helm3, ['template', 'lakebench', ref, '--version', appVersion, '--plain-http', '--set', 'storage.garage.enabled=true']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/runner\.image\.repository is required/);
  });
});
