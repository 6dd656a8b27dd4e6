// chart-testing's own `ct install` (v3.14.0, the `ct` test/setup/30-chart-tools.sh builds and the chart
// tier lints with) against the real node, for the chart's ci/ values files whose images exist here. For
// each file ct runs `helm install --wait` with it into the given namespace, `kubectl rollout status` of
// the release's Deployments, `helm test`, and `helm uninstall` (pkg/chart/chart.go, doInstall).
//
// ct takes every ci/*-values.yaml of the chart it is given and has no flag to choose among them, so it
// gets a temporary copy of charts/lakebench whose ci/ holds only the runnable files, unchanged. The
// others need images that cannot be built here (fixtures/ct-install-ci-files.ts, which refuses a ci file
// that is neither run nor left out with a reason, and README "Tests"). After the ci file,
// ct appends --helm-extra-set-args: there this tier's node changes (values/profile-tiny.yaml for the
// sizes, fixtures/node-overlay.yaml: MinIO instead of Garage or AWS, no run Job; fixtures/ct-overlay.yaml)
// and the run's endpoints.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cacheBin } from '../harness/cache.js';
import { nodeBinaries } from '../harness/node/binaries.js';
import { ensureNode } from '../harness/node/shared.js';
import type { NodeState } from '../harness/node/state.js';
import { waitFor } from '../harness/node/wait.js';
import { selectCiFiles } from './fixtures/ct-install-ci-files.js';
import { createStaticVolumes, prepareLakehouse, teardownLakehouse, type LakehouseSite } from './fixtures/lakehouse-release.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const chartDir = path.join(repo, 'charts/lakebench');
const namespace = `ct-install-${Date.now().toString(36)}`;

/** The ci files ct installs here; refuses (before the node starts) a ci file neither run nor left out with a reason. */
const runnable = selectCiFiles(readdirSync(path.join(chartDir, 'ci')));
// The hooks of a Hive + Trino release (templates/tests).
const testHooks = ['catalog-health', 's3-probe', 'trino-query'];

// hive-iceberg-trino-values.yaml turns on observability.monitors, whose PodMonitor and ServiceMonitor
// kinds need the Prometheus Operator's CRDs: the ones in the module 30-chart-tools.sh takes their schemas from.
const monitorCrds = ['monitoring.coreos.com_podmonitors.yaml', 'monitoring.coreos.com_servicemonitors.yaml'];
const promOperatorVersion = () => {
  const pinned = /^PROM_OPERATOR_VERSION="([^"]+)"/m.exec(readFileSync(path.join(repo, 'test/setup/30-chart-tools.sh'), 'utf8'))?.[1];
  if (!pinned) throw new Error('test/setup/30-chart-tools.sh no longer pins PROM_OPERATOR_VERSION');
  return pinned;
};

async function moduleDir(module: string): Promise<string> {
  const { stdout } = await run('go', ['mod', 'download', '-json', module], { cwd: os.tmpdir(), env: { ...process.env, GOFLAGS: '-mod=mod' } });
  const info = JSON.parse(stdout) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${module}: ${info.Error ?? stdout}`);
  return info.Dir;
}

describe('ct install of the chart ci/ values files on the real node', () => {
  let state: NodeState;
  let site: LakehouseSite | undefined;
  let work: string;
  const createdCrds: string[] = [];
  const kubectl = (args: string[]) => run(nodeBinaries.kubectl, ['--kubeconfig', state.kubeconfigPath, ...args], { timeout: 120_000 });

  beforeAll(async () => {
    state = await ensureNode(inject('lakebenchNodeOwnerPid'));
    work = mkdtempSync(path.join(os.tmpdir(), 'lakebench-ct-install-'));
    site = await prepareLakehouse(state, { namespace, claims: [] });
    // One unclaimed volume per ci file for each StatefulSet claim (fixtures/ct-overlay.yaml says why).
    await createStaticVolumes(site.kc, namespace, [], { storageClass: 'lakebench-ct-postgres', count: runnable.length, size: '2Gi', uid: 999 });
    await createStaticVolumes(site.kc, namespace, [], { storageClass: 'lakebench-ct-spill', count: runnable.length, size: '5Gi', uid: 1000 });
    const crdDir = path.join(await moduleDir(`github.com/prometheus-operator/prometheus-operator@${promOperatorVersion()}`), 'example/prometheus-operator-crd');
    for (const file of monitorCrds) {
      const name = `${file.replace(/^monitoring\.coreos\.com_/, '').replace(/\.yaml$/, '')}.monitoring.coreos.com`;
      if ((await kubectl(['get', 'crd', name]).catch(() => undefined)) !== undefined) continue;
      // create, not apply: these CRDs are too large for apply's last-applied annotation.
      await kubectl(['create', '-f', path.join(crdDir, file)]);
      createdCrds.push(name);
      await kubectl(['wait', '--for=condition=Established', `crd/${name}`, '--timeout=60s']);
    }
  });

  afterAll(async () => {
    await teardownLakehouse(site);
    for (const crd of createdCrds) await kubectl(['delete', 'crd', crd, '--wait=true']).catch(() => undefined);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs, passes helm test and uninstalls the chart with each runnable ci file', { timeout: 30 * 60_000 }, async () => {
    const chart = path.join(work, 'lakebench');
    cpSync(chartDir, chart, { recursive: true });
    for (const file of readdirSync(path.join(chart, 'ci'))) if (!runnable.includes(file)) rmSync(path.join(chart, 'ci', file));
    // ct calls `helm` and `kubectl` from PATH.
    const shim = path.join(work, 'bin');
    mkdirSync(shim);
    symlinkSync(cacheBin('helm3'), path.join(shim, 'helm'));
    symlinkSync(nodeBinaries.kubectl, path.join(shim, 'kubectl'));
    const fixtures = path.join(repo, 'test/cluster/fixtures');
    const extra = [
      `--values=${path.join(repo, 'values/profile-tiny.yaml')}`,
      `--values=${path.join(fixtures, 'node-overlay.yaml')}`,
      `--values=${path.join(fixtures, 'ct-overlay.yaml')}`,
      `--set=storage.s3.endpoint=${site!.minio.endpoint}`,
      `--set=catalog.hive.jdbcDriver.url=${site!.jar.url}`,
    ];
    const args = ['install', '--charts', chart, '--namespace', namespace, '--helm-extra-args', '--timeout 10m', '--helm-extra-set-args', extra.join(' ')];
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${shim}:${process.env.PATH ?? ''}`, KUBECONFIG: state.kubeconfigPath };
    // No ct.yaml may steer it: ct reads one from its working directory or CT_CONFIG_DIR.
    delete env.CT_CONFIG_DIR;
    const started = Date.now();
    let output: string;
    try {
      const { stdout, stderr } = await run(cacheBin('ct'), args, { cwd: work, env, timeout: 29 * 60_000, maxBuffer: 128 * 1024 * 1024 });
      output = stdout + stderr;
    } catch (e) {
      const err = e as Error & { stdout?: string; stderr?: string };
      const printed = `${err.stdout ?? ''}${err.stderr ?? ''}`;
      // The tail (ct prints the namespace's events and every pod's description and logs before each
      // uninstall), then a summary last, where a CI log that keeps only the end still shows it: Helm's
      // error lines, each test hook's phase, the warning events and each pod's conditions.
      const summary = printed.split('\n').filter((line) => /^Error:|^Installing chart with values file|^TEST SUITE:|^Phase:|\bWarning\b|^Name:\s|^\s+(Ready|ContainersReady|PodScheduled)\s+(True|False)|^\s+(State|Reason|Exit Code|Restart Count):/.test(line));
      throw new Error(`ct ${args.join(' ')} failed: ${err.message}\n…\n${printed.slice(-20_000)}\n--- summary (${runnable.join(', ')}):\n${summary.join('\n').slice(-8_000)}`);
    }
    console.log(`ct install of ${runnable.join(', ')}: ${Math.round((Date.now() - started) / 1000)} s`);
    expect(output).toContain('All charts installed successfully');
    expect(output).not.toMatch(/Phase:\s+Failed/);
    // One section per ci file, each with its release's hooks passed and the release deleted.
    const sections = output.split(/Installing chart with values file "/).slice(1);
    expect(sections.map((s) => path.basename(s.slice(0, s.indexOf('"'))))).toEqual(runnable);
    for (const section of sections) {
      const release = /Deleting release "([^"]+)"/.exec(section)?.[1];
      expect(release, section.slice(0, 200)).toMatch(/^lakebench-[a-z0-9]+$/);
      for (const hook of testHooks) expect(section).toMatch(new RegExp(`TEST SUITE:\\s+${release}-test-${hook}\\n[^]*?Phase:\\s+Succeeded`));
    }
    // ct's uninstall removed the releases: their pods go (the garbage collector deletes them after their
    // Deployments and StatefulSets), but for the finished test hooks, which helm keeps.
    await waitFor('pods of the uninstalled releases', 120_000, [], async () => {
      const { stdout } = await kubectl(['get', 'pods', '-n', namespace, '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.phase}{"\\n"}{end}']);
      const left = stdout.split('\n').filter((line) => line && !/-test-[a-z0-9-]+ Succeeded$/.test(line));
      if (left.length > 0) throw new Error(left.join(', '));
      return true;
    });
  });
});
