// Render assertions about what the chart deploys: one catalog per catalog.type, the runner's
// config (validated by the runner's own schema), the CronJob, Trino's configuration, labels, images.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../runner/src/config/schema.js';
import { alwaysOnFor, capacityShortfalls, requirement } from '../../runner/src/model/sizing.js';
import { sizingOptions } from '../../runner/src/model/sizing-options.js';
import { profileCombinationCases, renderCases } from './helpers/matrix.js';
import { allContainers, byKind, component, helmTemplate, podSpecs, type K8sObject, type Rendered } from './helpers/render.js';
import { memoryGiB, totalRequests } from './helpers/requests.js';
import { chartDir, requireTools } from './helpers/tools.js';

const renders = new Map<string, Rendered>();
beforeAll(() => {
  requireTools();
  for (const c of renderCases) renders.set(c.name, helmTemplate('helm3', c.files));
});
const objectsOf = (name: string) => renders.get(name)!.objects;
const configMapData = (objects: K8sObject[], suffix: string) =>
  (byKind(objects, 'ConfigMap').find((c) => c.metadata.name.endsWith(suffix)) as unknown as { data: Record<string, string> } | undefined)?.data;

function runnerConfig(objects: K8sObject[]) {
  const data = configMapData(objects, '-runner');
  if (!data) throw new Error('no runner ConfigMap');
  return parse(data['config.yaml']!) as Record<string, any>;
}

const catalogObjects = (objects: K8sObject[]) => ({
  hive: objects.filter((o) => component(o) === 'hive-metastore'),
  polaris: objects.filter((o) => component(o).startsWith('polaris')),
});

describe.each(renderCases)('$name', ({ name }) => {
  it('renders exactly one catalog, the one catalog.type selects', () => {
    const objects = objectsOf(name);
    const type = runnerConfig(objects).cluster.catalog.type as 'hive' | 'polaris';
    const found = catalogObjects(objects);
    const other = type === 'hive' ? 'polaris' : 'hive';
    expect(found[other].map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    const servers = found[type].filter((o) => ['Deployment', 'HiveCluster'].includes(o.kind));
    expect(servers).toHaveLength(1);
    if (type === 'polaris') expect(found.polaris.filter((o) => o.kind === 'Job')).toHaveLength(1);
  });

  it("the runner ConfigMap validates against the runner's configSchema and matches the release", () => {
    const objects = objectsOf(name);
    const result = configSchema.safeParse(runnerConfig(objects));
    expect(result.success, result.success ? '' : JSON.stringify(result.error.issues, null, 1)).toBe(true);
    const config = result.data!;
    expect(config.platform).toBe('kubernetes');
    expect(config.cluster?.namespace).toBe('lakebench');
    expect(config.cluster?.release).toBe('lakebench');
    expect(config.results.bucket?.bucket).toBeTruthy();
    const services = byKind(objects, 'Service').map((s) => s.metadata.name);
    const host = (uri: string) => new URL(uri.replace(/^thrift:/, 'http:')).hostname.split('.')[0]!;
    // The Stackable operator creates the metastore Service; external S3 is not in the release.
    if (byKind(objects, 'HiveCluster').length === 0) expect(services).toContain(host(config.cluster!.catalog!.uri));
    if (byKind(objects, 'StatefulSet').some((s) => component(s) === 'garage')) expect(services).toContain(host(config.cluster!.storage!.endpoint));
    else expect(config.cluster!.storage!.endpoint).toMatch(/^https?:\/\/(?!lakebench-)/);
    if (config.cluster!.queryEngine!.type === 'trino') expect(services).toContain(host(config.cluster!.queryEngine!.endpoint ?? ''));
  });

  it('every object carries the app.kubernetes.io labels', () => {
    for (const o of objectsOf(name)) {
      const labels = o.metadata.labels ?? {};
      for (const key of ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component', 'app.kubernetes.io/managed-by', 'helm.sh/chart'])
        expect(labels[key], `${o.kind}/${o.metadata.name} ${key}`).toBeTruthy();
    }
  });

  it('Trino: coordinator-only properties never reach workers; the heap leaves headroom under the limit', () => {
    const objects = objectsOf(name);
    const worker = configMapData(objects, '-trino-worker');
    if (!worker) return expect(runnerConfig(objects).cluster.queryEngine.type).not.toBe('trino');
    for (const forbidden of ['coordinator=true', 'node-scheduler.include-coordinator', 'query.max-memory=', 'discovery-server.enabled'])
      expect(worker['config.properties']).not.toContain(forbidden);
    expect(worker['config.properties']).toContain('coordinator=false');
    expect(configMapData(objects, '-trino-coordinator')!['config.properties']).toContain('coordinator=true');
    const percent = Number(/-XX:MaxRAMPercentage=(\d+)/.exec(worker['jvm.config']!)?.[1]);
    expect(percent).toBeGreaterThan(0);
    expect(percent).toBeLessThanOrEqual(80);
    for (const { owner, spec } of podSpecs(objects).filter((p) => component(p.owner).startsWith('trino-')))
      for (const c of allContainers(spec)) expect((c.resources as any)?.limits?.memory, `${owner.metadata.name}`).toBeTruthy();
  });

  it("Trino's Iceberg catalog lets `lakebench cleanup` expire snapshots and remove orphan files at retention 0s", () => {
    const objects = objectsOf(name);
    const catalog = configMapData(objects, '-trino-catalog');
    if (!catalog) return expect(runnerConfig(objects).cluster.queryEngine.type).not.toBe('trino');
    const properties = Object.values(catalog).join('\n');
    const lowered = ['iceberg.expire-snapshots.min-retention=0s', 'iceberg.remove-orphan-files.min-retention=0s'];
    if (runnerConfig(objects).cluster.tableFormat === 'delta') for (const p of lowered) expect(properties).not.toContain(p);
    else for (const p of lowered) expect(properties.split('\n').map((l) => l.trim())).toContain(p);
  });
});

describe('runner scheduling', () => {
  it('the CronJob forbids overlap and keeps a bounded history', () => {
    const cron = byKind(objectsOf('ci/polaris-iceberg-spark-thrift-values.yaml'), 'CronJob')[0]!.spec as Record<string, unknown>;
    expect(cron).toMatchObject({ schedule: '0 3 * * *', concurrencyPolicy: 'Forbid', timeZone: 'Etc/UTC', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3, startingDeadlineSeconds: 600 });
  });

  it('no CronJob without a schedule; the run Job follows runner.job.enabled', () => {
    const tiny = objectsOf('values/profile-tiny.yaml');
    expect(byKind(tiny, 'CronJob')).toEqual([]);
    expect(byKind(tiny, 'Job').filter((j) => component(j) === 'runner')).toHaveLength(1);
    const off = helmTemplate('helm3', [path.join(chartDir, 'ci', 'hive-iceberg-trino-values.yaml')], ['runner.job.enabled=false']).objects;
    expect(byKind(off, 'Job').filter((j) => component(j) === 'runner')).toEqual([]);
  });

  it('the runner container runs `lakebench run` as uid 10001 with a read-only root and writable /tmp and work dir', () => {
    const job = podSpecs(objectsOf('values/profile-tiny.yaml')).find((p) => component(p.owner) === 'runner')!;
    const runner = job.spec.containers.find((c) => c.name === 'runner')!;
    expect(runner.image).toBe('registry.example.com/lakebench/lakebench-runner:0.1.0');
    expect(runner.command).toEqual(['lakebench', 'run', '--config', '/etc/lakebench/config.yaml']);
    expect((job.spec.securityContext as any).runAsUser).toBe(10001);
    expect((runner.securityContext as any).readOnlyRootFilesystem).toBe(true);
    expect((runner.volumeMounts as { mountPath: string }[]).map((m) => m.mountPath).sort()).toEqual(['/etc/lakebench', '/tmp', '/var/lib/lakebench']);
  });
});

describe('images', () => {
  it('a digest pins the image instead of the tag', () => {
    const images = podSpecs(objectsOf('ci/stackable-hive-values.yaml')).flatMap(({ spec }) => allContainers(spec).map((c) => c.image as string));
    expect(images).toContain(`registry.example.com/lakebench/lakebench-runner@sha256:${'0'.repeat(64)}`);
  });

  it('every image has an explicit tag or digest (no :latest)', () => {
    for (const { name } of renderCases)
      for (const { spec } of podSpecs(objectsOf(name)))
        for (const c of allContainers(spec)) expect(c.image as string, name).toMatch(/^[^:@]+(:(?!latest$)[\w.-]+|@sha256:[a-f0-9]{64})$/);
  });
});

describe('profiles', () => {
  const tinyCases = profileCombinationCases.filter((c) => c.profile === 'tiny');

  it.each(tinyCases)('tiny + $combination fits a kind cluster (≤ 8 CPU, ≤ 24 GiB requested, scale ≤ 1)', ({ files }) => {
    const objects = helmTemplate('helm3', files).objects;
    const total = totalRequests(objects);
    expect(total.cpu).toBeLessThanOrEqual(8);
    expect(total.memoryGiB).toBeLessThanOrEqual(24);
    expect(total.pods).toBeGreaterThanOrEqual(5);
    expect(runnerConfig(objects).scale).toBeLessThanOrEqual(1);
  });

  it.each(tinyCases)('tiny + $combination: the Spark stages and datagen fit the same kind node, by the runner sizing model', ({ files }) => {
    const objects = helmTemplate('helm3', files).objects;
    const config = configSchema.parse(runnerConfig(objects));
    const engine = config.cluster!.queryEngine!;
    const req = requirement(config.scale, alwaysOnFor(engine), sizingOptions(config));
    const kind = { nodes: 1, nodeCpu: 8, nodeMemoryGb: 24 };
    expect(capacityShortfalls(req, kind)).toEqual([]);
    // What the chart really requests plus the largest stage's pods, without the model's headroom.
    const total = totalRequests(objects);
    const peak = Math.max(req.batchPeak.cores, req.datagen.cpu);
    expect(total.cpu + peak).toBeLessThanOrEqual(kind.nodeCpu);
    expect(total.memoryGiB + Math.max(req.batchPeak.memoryGb, req.datagen.memoryGb)).toBeLessThanOrEqual(kind.nodeMemoryGb);
    // Without the tiny profile's Spark sizes the production profiles could never run there.
    const { resources: _r, executors: _e, ...profileSpark } = config.cluster!.spark;
    const production = { ...config, datagen: { ...config.datagen, pod: undefined }, cluster: { ...config.cluster!, spark: { ...profileSpark, resources: {}, executors: {} } } };
    expect(capacityShortfalls(requirement(config.scale, alwaysOnFor(engine), sizingOptions(production)), kind).join('; ')).toMatch(/largest pod \(4 CPU, 60 GiB\)/);
  });

  it('the requests calculation counts what it should', () => {
    expect(memoryGiB('512Mi')).toBe(0.5);
    expect(memoryGiB('3Gi')).toBe(3);
    // 1 coordinator + 3 workers at 4 CPU / 16 GiB in the small profile.
    const small = totalRequests(objectsOf('values/profile-small.yaml'));
    expect(small.cpu).toBeGreaterThan(14);
  });
});

describe('Helm 3 and Helm 4', () => {
  // Generated Secret values are random per render; everything else must be identical.
  const stable = (objects: K8sObject[]) => objects.map((o) => (o.kind === 'Secret' ? { ...o, data: Object.keys((o as any).data ?? {}) } : o));
  it.each(renderCases.slice(0, 6))('$name renders the same objects', ({ files }) => {
    expect(stable(helmTemplate('helm4', files).objects)).toEqual(stable(helmTemplate('helm3', files).objects));
  });
});

describe('values.yaml', () => {
  it('documents every value with a one-line comment right above it', () => {
    const lines = readFileSync(path.join(chartDir, 'values.yaml'), 'utf8').split('\n');
    const undocumented: string[] = [];
    lines.forEach((line, i) => {
      const match = /^(\s*)([\w]+):\s*(\S.*)?$/.exec(line);
      if (!match || match[3] === undefined) return; // section headers hold values below them
      if (!/^\s*# -- \S/.test(lines[i - 1] ?? '')) undocumented.push(`line ${i + 1}: ${match[2]}`);
    });
    expect(undocumented).toEqual([]);
  });
});
