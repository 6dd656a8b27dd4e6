// The observability release on the real node: `helm install` of values/profile-tiny.yaml +
// values/hive-iceberg-trino.yaml + node-overlay.yaml + observability-overlay.yaml
// (observability.enabled; Grafana off, no image of it can be built here) in a namespace enforcing the
// restricted Pod Security Standard. The release's own Prometheus, from the stand-in of
// prom/prometheus:v3.16.0 (test/images/prometheus), becomes Ready under the restricted context,
// discovers the Trino pods through the API with its namespaced Role, scrapes both (as the named user
// Trino asks for), and every Trino panel of the shipped dashboard returns data through its API, after
// queries that complete and one that fails. The Spark and runner jobs of the same configuration are
// checked where the runner runs (observability-checks.ts); the PostgreSQL exporter has no image.
import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureBucket } from '../harness/engines/s3.js';
import { loadKubeconfig } from '../harness/kube/kubeconfig.js';
import { startMinio, type MinioServer } from '../harness/minio.js';
import { imageCacheDir, nodeBinaries } from '../harness/node/binaries.js';
import { nodeNetwork } from '../harness/node/layout.js';
import { createPodSecurityNamespace } from '../harness/node/pods.js';
import { ensureNode } from '../harness/node/shared.js';
import type { NodeState } from '../harness/node/state.js';
import {
  cachedJdbcJar,
  componentOf,
  createStaticVolumes,
  deleteStaticVolumes,
  diagnose,
  helm,
  lakehouseClaims,
  serveFile,
  waitForReleasePods,
  type ServedFile,
} from './fixtures/lakehouse-release.js';
import {
  assertPrometheusScrapes,
  ensurePrometheusImage,
  panelQueriesWithoutData,
  prometheusImage,
  prometheusThroughApiServer,
  shippedDashboardPanels,
  type PrometheusApi,
} from './observability-checks.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const namespace = `observability-${Date.now().toString(36)}`;
const release = 'lakebench';
const claims = lakehouseClaims(release);
const installDeadlineMs = 15 * 60_000;
const scrapeIntervalS = 10; // observability-overlay.yaml
const expectedComponents = ['hive-metastore', 'postgres', 'prometheus', 'trino-coordinator', 'trino-worker'];
// The exporter of observability.postgresExporter has no stand-in image (its Go module is refused by the
// Go proxy, test/images/README.md); with one, the release would enable it and the postgres job be checked.
const exporterImageBuilt = existsSync(path.join(imageCacheDir, 'postgres-exporter.tar'));

describe('the observability release (Prometheus in the release) on the real node', () => {
  let state: NodeState;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let prometheus: PrometheusApi;
  let minio: MinioServer | undefined;
  let jar: ServedFile | undefined;
  let installedAt = new Date();
  const timings: Record<string, number> = {};
  let releaseReady = false;
  const requireRelease = () => {
    if (!releaseReady) throw new Error('not run: the release did not come up (see the install test)');
  };
  const kubectl = (args: string[], timeoutMs: number) => run(nodeBinaries.kubectl, ['--kubeconfig', state.kubeconfigPath, '-n', namespace, ...args], { timeout: timeoutMs });

  beforeAll(async () => {
    state = await ensureNode(inject('lakebenchNodeOwnerPid'));
    kc = loadKubeconfig(state.kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    prometheus = prometheusThroughApiServer(kc, namespace);
    timings.imageImport = await ensurePrometheusImage(state);

    minio = await startMinio({ host: nodeNetwork.nodeIp });
    for (const bucket of ['lakebench-bronze', 'lakebench-silver', 'lakebench-gold', 'lakebench-results']) await ensureBucket(minio, bucket);
    jar = await serveFile(await cachedJdbcJar());
    await createPodSecurityNamespace(kc, namespace, 'restricted');
    await core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: 'lakebench-s3' }, stringData: { AWS_ACCESS_KEY_ID: minio.accessKey, AWS_SECRET_ACCESS_KEY: minio.secretKey } },
    });
    await createStaticVolumes(kc, namespace, claims);
  });

  afterAll(async () => {
    if (state) {
      await helm(state, ['uninstall', release, '--namespace', namespace, '--wait', '--timeout', '3m'], 200_000).catch(() => undefined);
      await run(nodeBinaries.kubectl, ['--kubeconfig', state.kubeconfigPath, 'delete', 'namespace', namespace, '--wait', '--timeout=180s']).catch(() => undefined);
      await deleteStaticVolumes(kc, namespace, claims);
    }
    await jar?.close();
    await minio?.stop();
    console.log(`observability timings (s): ${JSON.stringify(timings)}`);
  });

  it('installs with Prometheus Ready as nobody (65534) under the restricted Pod Security Standard', async () => {
    const started = Date.now();
    await helm(
      state,
      [
        'install', release, path.join(repo, 'charts/lakebench'),
        '--namespace', namespace,
        '-f', path.join(repo, 'values/profile-tiny.yaml'),
        '-f', path.join(repo, 'values/hive-iceberg-trino.yaml'),
        '-f', path.join(repo, 'test/cluster/fixtures/node-overlay.yaml'),
        '-f', path.join(repo, 'test/cluster/fixtures/observability-overlay.yaml'),
        '--set', `storage.s3.endpoint=${minio?.endpoint ?? ''}`,
        '--set', `catalog.hive.jdbcDriver.url=${jar?.url ?? ''}`,
        '--set', `observability.postgresExporter.enabled=${exporterImageBuilt}`,
      ],
      120_000,
    );
    installedAt = new Date(started);
    const pods = await waitForReleasePods(core, namespace, expectedComponents, installDeadlineMs);
    timings.installToReady = Math.round((Date.now() - started) / 1000);
    releaseReady = true;
    expect(pods.map(componentOf).sort()).toEqual(expectedComponents);
    const ns = await core.readNamespace({ name: namespace });
    expect(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const prometheusPod = pods.find((p) => componentOf(p) === 'prometheus') as V1Pod;
    expect(prometheusPod.spec?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 });
    expect(prometheusPod.spec?.containers[0]?.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    const status = prometheusPod.status?.containerStatuses?.[0];
    expect(status?.image).toBe(prometheusImage);
    expect(status?.restartCount).toBe(0);
    // The pod's process really is the image's nobody, writing its TSDB into the chart's emptyDir at /prometheus.
    const { stdout } = await kubectl(['exec', prometheusPod.metadata?.name ?? '', '--', 'sh', '-c', 'id -u; id -g; ls /prometheus'], 60_000);
    expect(stdout.split('\n').slice(0, 2)).toEqual(['65534', '65534']);
    expect(stdout).toMatch(/^wal$/m);
  });

  it('Prometheus discovers both Trino pods through its Role and scrapes them (up == 1)', async () => {
    requireRelease();
    const started = Date.now();
    const scraped = await assertPrometheusScrapes(kc, namespace, ['trino'], { timeoutMs: 180_000 });
    timings.readyToTrinoScraped = Math.round((Date.now() - started) / 1000);
    expect(scraped.trino?.map((s) => s.component).sort()).toEqual(['trino-coordinator', 'trino-worker']);
    for (const s of scraped.trino ?? []) expect(s.pod, JSON.stringify(s)).toMatch(new RegExp(`^${release}-trino-`));
    // Only the jobs of running pods have targets: the runner and Spark drivers are not running here.
    const pools = new Set((await prometheus.targets()).map((t) => t.scrapePool));
    expect([...pools].sort()).toEqual(['trino']);
    // The window form (for pods that have ended by the time of the check) sees the same targets.
    const sinceInstall = await assertPrometheusScrapes(kc, namespace, ['trino'], { since: installedAt, timeoutMs: 30_000 });
    expect(sinceInstall.trino?.map((s) => s.component).sort()).toEqual(['trino-coordinator', 'trino-worker']);
    // Nothing failed on the way: discovery through the Role (a forbidden watch logs an error), scrapes, the TSDB.
    const pod = (await core.listNamespacedPod({ namespace, labelSelector: 'app.kubernetes.io/component=prometheus' })).items[0]?.metadata?.name ?? '';
    const log = await core.readNamespacedPodLog({ namespace, name: pod });
    expect(log).toMatch(/Server is ready to receive web requests/);
    expect(log.split('\n').filter((line) => /level=ERROR/.test(line))).toEqual([]);
  });

  it('every Trino panel of the shipped dashboard returns data, with the queries run and failed', async () => {
    requireRelease();
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: 'app.kubernetes.io/component=trino-coordinator' })).items;
    const coordinator = pods[0]?.metadata?.name ?? '';
    expect(coordinator, 'a Trino coordinator pod').not.toBe('');
    await kubectl(['exec', coordinator, '--', 'trino', '--execute', 'SELECT count(*) FROM lakehouse.information_schema.schemata'], 300_000).catch(async (e: unknown) => {
      throw new Error(`${(e as Error).message}\n${await diagnose(core, namespace, pods)}`, { cause: e });
    });
    // A query that fails on purpose: the failed-queries series.
    const failed = await kubectl(['exec', coordinator, '--', 'trino', '--execute', 'SELECT * FROM lakehouse.no_such_schema.no_such_table'], 120_000).then(
      () => 'succeeded',
      (e: unknown) => String((e as { stderr?: string }).stderr ?? e),
    );
    expect(failed).toMatch(/SCHEMA_NOT_FOUND|TABLE_NOT_FOUND|does not exist/);
    const counterAtLeast = async (expr: string, min: number) => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const values = (await prometheus.query(`max(max_over_time(${expr}{namespace="${namespace}"}[15m]))`)).map((s) => Number(s.value[1]));
        if ((values[0] ?? 0) >= min) return values[0];
        if (Date.now() > deadline) throw new Error(`${expr} in ${namespace} never reached ${min}: ${JSON.stringify(values)}`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    };
    await counterAtLeast('trino_execution_name_QueryManager_CompletedQueries', 1);
    await counterAtLeast('trino_execution_name_QueryManager_FailedQueries', 1);
    expect(await counterAtLeast('trino_metadata_name_DiscoveryNodeManager_ActiveNodeCount', 2)).toBe(2);
    // Two more scrapes, so the rate() panels have two samples after the counters moved.
    await new Promise((r) => setTimeout(r, 2 * scrapeIntervalS * 1000));

    const trinoPanels = shippedDashboardPanels().filter((p) => p.targets.some((t) => t.expr.includes('trino_')));
    expect(trinoPanels.map((p) => p.title)).toEqual(['Trino running queries', 'Trino active nodes', 'Trino queries per minute', 'Trino query memory reserved']);
    const empty = await panelQueriesWithoutData(prometheus, namespace, trinoPanels, installedAt, new Date(), scrapeIntervalS);
    expect(empty).toEqual([]);
    // The queries-per-minute panel saw the queries above, not only zeros.
    const perMinute = await prometheus.queryRange(trinoPanels[2]!.targets[0]!.expr.replaceAll('$namespace', namespace), installedAt, new Date(), scrapeIntervalS);
    expect(Math.max(...perMinute.flatMap((s) => s.values.map(([, v]) => Number(v))))).toBeGreaterThan(0);
    // The dashboard's namespace variable, label_values(up, namespace), offers this release.
    expect(await prometheus.labelValues('namespace', 'up')).toContain(namespace);
  });

  it('the scrape and panel checks fail when there is nothing to see', async () => {
    requireRelease();
    // No runner pod runs in this release: its job has no target, and the check says so.
    await expect(assertPrometheusScrapes(kc, namespace, ['trino', 'lakebench-runner'], { timeoutMs: 1 })).rejects.toThrow(
      /did not scrape lakebench-runner successfully[^]*lakebench-runner: no active target/,
    );
    // No Spark driver ran: every Spark and runner panel query comes back empty, and is reported.
    const others = shippedDashboardPanels().filter((p) => !p.targets.some((t) => t.expr.includes('trino_')));
    const empty = await panelQueriesWithoutData(prometheus, namespace, others, installedAt, new Date(), scrapeIntervalS);
    expect(empty).toHaveLength(others.flatMap((p) => p.targets).length);
  });

  it.skipIf(!exporterImageBuilt)('scrapes PostgreSQL through the exporter sidecar', async () => {
    requireRelease();
    await assertPrometheusScrapes(kc, namespace, ['postgres']);
  });
});
