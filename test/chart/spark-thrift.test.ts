// The Spark Thrift server's first start: the packages it resolves are exactly the ones the runner's
// SparkApplications use for the same release (one Iceberg version everywhere, and hadoop-aws's AWS SDK
// bundle excluded, since iceberg-aws-bundle already holds those classes), and a startup probe, not a
// long liveness delay, covers the download.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../runner/src/config/schema.js';
import { clusterSettings } from '../../runner/src/platforms/kubernetes/manifests/cluster-settings.js';
import { sparkPackages } from '../../runner/src/platforms/kubernetes/manifests/spark-packages.js';
import { repoRoot } from '../harness/cache.js';
import { renderCases } from './helpers/matrix.js';
import { byKind, component, helmTemplate, podSpecs, type K8sObject } from './helpers/render.js';
import { requireTools } from './helpers/tools.js';

const thriftCases = renderCases.filter((c) => c.name.includes('spark-thrift'));
const renders = new Map<string, K8sObject[]>();
beforeAll(() => {
  requireTools();
  for (const c of thriftCases) renders.set(c.name, helmTemplate('helm3', c.files).objects);
});
const configMap = (objects: K8sObject[], suffix: string) =>
  (byKind(objects, 'ConfigMap').find((c) => c.metadata.name.endsWith(suffix)) as unknown as { data: Record<string, string> }).data;

/** spark-defaults.conf as a map (whitespace-separated key and value, # comments). */
function sparkDefaults(objects: K8sObject[]): Record<string, string> {
  const lines = configMap(objects, '-spark-thrift')['spark-defaults.conf']!.split('\n').map((l) => l.trim());
  return Object.fromEntries(lines.filter((l) => l && !l.startsWith('#')).map((l) => [l.split(/\s+/, 1)[0]!, l.slice(l.search(/\s/)).trim()]));
}

describe.each(thriftCases)('$name', ({ name }) => {
  it("resolves exactly the runner's Spark packages for this release, without the AWS SDK bundle", () => {
    const objects = renders.get(name)!;
    const config = configSchema.parse(parse(configMap(objects, '-runner')['config.yaml']!));
    const runner = sparkPackages(clusterSettings(config));
    const conf = sparkDefaults(objects);
    expect(conf['spark.jars.packages']!.split(',')).toEqual(runner.packages);
    expect(conf['spark.jars.excludes']!.split(',')).toEqual(runner.excludePackages);
    expect(runner.excludePackages).toContain('software.amazon.awssdk:bundle');
  });

  it("keeps Spark's own session catalog in memory with the Hive catalog, where its Hive 2.3.10 client next to Hive 4's fails at start", () => {
    const conf = sparkDefaults(renders.get(name)!);
    const catalogType = Object.entries(conf).find(([k]) => /^spark\.sql\.catalog\.[^.]+\.type$/.test(k))?.[1];
    expect(['hive', 'rest']).toContain(catalogType);
    expect(conf['spark.sql.catalogImplementation']).toBe(catalogType === 'hive' ? 'in-memory' : undefined);
  });

  it('sets no default catalog while the catalog classes come from spark.jars.packages (a JDBC session opens with USE, on a thread that cannot load them)', () => {
    const conf = sparkDefaults(renders.get(name)!);
    expect(conf['spark.jars.packages']).toBeTruthy();
    expect(conf['spark.sql.defaultCatalog']).toBeUndefined();
  });

  it('gives the first start a startup probe; liveness has no long initial delay', () => {
    const pod = podSpecs(renders.get(name)!).find((p) => component(p.owner) === 'spark-thrift')!;
    type Probe = { tcpSocket?: { port: string }; periodSeconds: number; failureThreshold: number; initialDelaySeconds?: number };
    const thrift = pod.spec.containers.find((c) => c.name === 'thrift') as unknown as { startupProbe: Probe; livenessProbe: Probe };
    expect(thrift.startupProbe.tcpSocket?.port).toBe('thrift');
    expect(thrift.startupProbe.periodSeconds * thrift.startupProbe.failureThreshold).toBeGreaterThanOrEqual(600);
    expect(thrift.livenessProbe.initialDelaySeconds ?? 0).toBeLessThanOrEqual(30);
  });
});

it('has Spark Thrift renders to check', () => expect(thriftCases.length).toBeGreaterThanOrEqual(3));

it('makes the lakehouse the default catalog when its jars are baked into spark.image (spark.thrift.packages: [])', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-thrift-'));
  try {
    const baked = path.join(dir, 'baked-jars.yaml');
    writeFileSync(baked, 'spark:\n  thrift:\n    packages: []\n');
    const conf = sparkDefaults(helmTemplate('helm3', [...thriftCases[0]!.files, baked]).objects);
    expect(conf['spark.jars.packages']).toBeUndefined();
    expect(conf['spark.sql.defaultCatalog']).toBe('lakehouse');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('uses one Iceberg version everywhere: chart, runner, engines tier', () => {
  const found = new Map<string, string[]>();
  const patterns = [/org\.apache\.iceberg:[\w.-]+:(\d+\.\d+\.\d+)/g, /ICEBERG_VERSION="(\d+\.\d+\.\d+)"/g, /iceberg-[a-z\d._-]+?-(\d+\.\d+\.\d+)\.jar/g];
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = path.join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : /\.(ts|ya?ml|sh|lock|py|tpl|json|md)$/.test(f) ? [p] : [];
    });
  const files = ['charts', 'runner/src', 'spark-scripts', 'values', 'test/setup', 'test/harness', 'docs'].flatMap((d) => walk(path.join(repoRoot, d)));
  for (const file of [...files, path.join(repoRoot, 'README.md')])
    for (const re of patterns)
      for (const m of readFileSync(file, 'utf8').matchAll(re)) found.set(m[1]!, [...(found.get(m[1]!) ?? []), path.relative(repoRoot, file)]);
  expect(found.size, JSON.stringify(Object.fromEntries(found))).toBe(1);
  expect([...found.values()][0]!.length).toBeGreaterThanOrEqual(4);
});
