// With catalog.hive.provider=stackable, every client (Trino, the Spark Thrift server, the runner, its
// init wait, helm test) must reach the metastore through the Service the Stackable hive-operator
// creates: its name depends on the operator release the chart README documents
// (upstream/stackable-hive-operator.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { byKind, helmTemplate } from './helpers/render.js';
import { runnerImageFixture } from './helpers/matrix.js';
import { chartDir, requireTools } from './helpers/tools.js';
import { metastoreServiceName } from './upstream/stackable-hive-operator.js';

beforeAll(requireTools);

/** The Stackable release in the chart README's prerequisites table. */
function documentedStackableVersion(): string {
  const readme = readFileSync(path.join(chartDir, 'README.md'), 'utf8');
  const row = /^\| Stackable operators \(commons, secret, listener, hive\) \| ([\d.]+) \|/m.exec(readme);
  if (!row) throw new Error('chart README: no "Stackable operators" row in the prerequisites table');
  return row[1]!;
}

/** The metastore host of every client in the rendered release: thrift:// URIs (runner config, Trino or
 *  Spark catalog), the runner's init wait and the helm test's health check. */
function metastoreHosts(yaml: string): string[] {
  return [...yaml.matchAll(/thrift:\/\/([\w.-]+):9083/g), ...yaml.matchAll(/--wait=([\w.-]+):9083/g), ...yaml.matchAll(/"([\w.-]+)", "9083"/g)].map((m) => m[1]!);
}

describe.each([
  { name: 'ci/stackable-hive-values.yaml (Trino)', files: [path.join(chartDir, 'ci', 'stackable-hive-values.yaml')], sets: [] as string[] },
  { name: 'Stackable with the Spark Thrift server', files: [runnerImageFixture], sets: ['storage.garage.enabled=true', 'catalog.hive.provider=stackable', 'queryEngine=spark-thrift'] },
])('$name', ({ files, sets }) => {
  it('sends every metastore client to the Service the documented hive-operator release creates', () => {
    const version = documentedStackableVersion();
    const serviceName = metastoreServiceName[version];
    expect(serviceName, `no recorded Service naming for hive-operator ${version}: read its source and record it`).toBeDefined();
    const rendered = helmTemplate('helm3', files, sets);
    const cluster = byKind(rendered.objects, 'HiveCluster')[0]!.metadata.name;
    const hosts = metastoreHosts(rendered.yaml);
    expect(hosts.length).toBeGreaterThanOrEqual(4);
    expect([...new Set(hosts)]).toEqual([serviceName!(cluster)]);
  });
});
