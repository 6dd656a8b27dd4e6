// The observability release as rendered: Prometheus and Grafana deployed by observability.enabled,
// Prometheus' least-privilege pod discovery and its scrape jobs, the runner's metrics endpoint and
// the drivers' PrometheusServlet switched on, the optional PostgreSQL exporter, and the shipped
// dashboard checked structurally against what Grafana is provisioned with. (Grafana itself cannot run
// here: its Go module is AGPL-licensed and not to be used on this machine, so the dashboard JSON is
// checked for what Grafana needs to render it: data source references, targets, ids, grid positions.
// Every panel query is run against a real Prometheus by test/engines/observability.test.ts.)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../runner/src/config/schema.js';
import { clusterSettings } from '../../runner/src/platforms/kubernetes/manifests/cluster-settings.js';
import { sparkApplicationManifest } from '../../runner/src/platforms/kubernetes/manifests/spark-application.js';
import { repoRoot } from '../harness/cache.js';
import { allContainers, byKind, component, helmTemplate, podSpecs, type Container, type K8sObject } from './helpers/render.js';
import { chartDir, requireTools } from './helpers/tools.js';

const ciFile = path.join(chartDir, 'ci', 'observability-values.yaml');
const tiny = [path.join(repoRoot, 'values', 'profile-tiny.yaml'), path.join(repoRoot, 'values', 'hive-iceberg-trino.yaml')];
const image = 'runner.image.repository=registry.example/lakebench-runner';

let on: K8sObject[] = [];
let off: K8sObject[] = [];
beforeAll(() => {
  requireTools();
  on = helmTemplate('helm3', [ciFile]).objects;
  off = helmTemplate('helm3', tiny, [image]).objects;
});

const named = (objects: K8sObject[], kind: string, name: string) => byKind(objects, kind).find((o) => o.metadata.name === name);
const dataOf = (objects: K8sObject[], name: string) => (named(objects, 'ConfigMap', name) as unknown as { data: Record<string, string> } | undefined)?.data;
type ScrapeJob = { job_name: string; metrics_path: string; basic_auth?: { username: string }; kubernetes_sd_configs: { role: string; namespaces: { names: string[] } }[]; relabel_configs: { source_labels?: string[]; regex?: string; action?: string; target_label?: string }[] };
const scrapeJobs = (objects: K8sObject[]) => (parse(dataOf(objects, 'lakebench-prometheus')!['prometheus.yml']!) as { scrape_configs: ScrapeJob[] }).scrape_configs;
const runnerPod = (objects: K8sObject[]) => podSpecs(objects).find(({ owner }) => owner.kind === 'Job' && component(owner) === 'runner')!.spec;
const runnerConfig = (objects: K8sObject[]) => configSchema.parse(parse(dataOf(objects, 'lakebench-runner')!['config.yaml']!));
const containerOf = (objects: K8sObject[], kind: string, name: string): Container =>
  podSpecs(objects).find(({ owner }) => owner.kind === kind && owner.metadata.name === name)!.spec.containers[0]!;

describe('observability.enabled', () => {
  it('deploys Prometheus and Grafana from their pinned upstream images; off, nothing of either renders', () => {
    expect(containerOf(on, 'Deployment', 'lakebench-prometheus').image).toBe('prom/prometheus:v3.16.0');
    expect(containerOf(on, 'Deployment', 'lakebench-grafana').image).toBe('grafana/grafana:13.2.3');
    for (const name of ['lakebench-prometheus', 'lakebench-grafana']) expect(named(on, 'Service', name), name).toBeTruthy();
    const observabilityParts = off.filter((o) => ['prometheus', 'grafana'].includes(component(o)));
    expect(observabilityParts.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
  });

  it('observability.grafana.enabled=false keeps Prometheus and the dashboard ConfigMap and drops everything of Grafana', () => {
    const prometheusOnly = helmTemplate('helm3', [ciFile], ['observability.grafana.enabled=false']).objects;
    const grafanaParts = prometheusOnly.filter((o) => component(o) === 'grafana');
    expect(grafanaParts.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    expect(named(prometheusOnly, 'Secret', 'lakebench-grafana-admin')).toBeUndefined();
    expect(containerOf(prometheusOnly, 'Deployment', 'lakebench-prometheus').image).toBe('prom/prometheus:v3.16.0');
    expect(byKind(prometheusOnly, 'ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard === '1')).toHaveLength(1);
    // On by default with observability.enabled.
    expect(named(on, 'Deployment', 'lakebench-grafana')).toBeTruthy();
  });

  it('the Prometheus the tests build is the release the chart deploys', () => {
    const setup = readFileSync(path.join(repoRoot, 'test', 'setup', '45-prometheus.sh'), 'utf8');
    const release = /^PROMETHEUS_RELEASE="(v[0-9.]+)"/m.exec(setup)?.[1];
    expect(containerOf(on, 'Deployment', 'lakebench-prometheus').image).toBe(`prom/prometheus:${release}`);
  });

  it('Prometheus discovers pods of its own namespace only, with a Role that allows exactly that', () => {
    const role = named(on, 'Role', 'lakebench-prometheus') as unknown as { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
    const binding = named(on, 'RoleBinding', 'lakebench-prometheus') as unknown as { roleRef: unknown; subjects: unknown };
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'lakebench-prometheus' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'lakebench-prometheus', namespace: 'lakebench' }]);
    expect([...byKind(on, 'ClusterRole'), ...byKind(on, 'ClusterRoleBinding')].filter((o) => o.metadata.name.includes('prometheus'))).toEqual([]);
    const pod = podSpecs(on).find(({ owner }) => owner.metadata.name === 'lakebench-prometheus')!.spec as Record<string, unknown>;
    expect(pod).toMatchObject({ serviceAccountName: 'lakebench-prometheus', automountServiceAccountToken: true });
    for (const job of scrapeJobs(on)) expect(job.kubernetes_sd_configs, job.job_name).toEqual([{ role: 'pod', namespaces: { names: ['lakebench'] } }]);
    // Grafana needs no token at all.
    expect((podSpecs(on).find(({ owner }) => owner.metadata.name === 'lakebench-grafana')!.spec as Record<string, unknown>).automountServiceAccountToken).toBe(false);
  });

  it('scrapes the query engine, the Spark drivers and executors, the runner and, with its exporter, PostgreSQL', () => {
    const jobs = scrapeJobs(on);
    const summary = Object.fromEntries(jobs.map((j) => [j.job_name, `${j.metrics_path} ${j.relabel_configs[0]!.regex}`]));
    expect(summary).toEqual({
      trino: '/metrics lakebench;trino-(coordinator|worker);http',
      'spark-driver': '/metrics/prometheus lakebench;spark;spark-ui',
      'spark-executors': '/metrics/executors/prometheus lakebench;spark;spark-ui',
      'lakebench-runner': '/metrics lakebench;runner;metrics',
      postgres: '/metrics lakebench;postgres;metrics',
    });
    // Trino answers /metrics only to a named user.
    expect(jobs.find((j) => j.job_name === 'trino')!.basic_auth).toEqual({ username: 'lakebench-prometheus' });
    // The Spark jobs keep drivers only and label series with the stage and run the runner put on the pod.
    for (const name of ['spark-driver', 'spark-executors']) {
      const rules = jobs.find((j) => j.job_name === name)!.relabel_configs;
      expect(rules).toContainEqual({ source_labels: ['__meta_kubernetes_pod_label_spark_role'], regex: 'driver', action: 'keep' });
      expect(rules).toContainEqual({ source_labels: ['__meta_kubernetes_pod_label_lakebench_io_stage'], target_label: 'stage' });
    }
    // Without the exporter there is no PostgreSQL job; with the Spark Thrift server, its own job replaces Trino's.
    const thrift = scrapeJobs(helmTemplate('helm3', tiny, [image, 'observability.enabled=true', 'queryEngine=spark-thrift']).objects).map((j) => j.job_name);
    expect(thrift).toEqual(['spark-thrift', 'spark-driver', 'spark-executors', 'lakebench-runner']);
  });

  it("the runner serves its gauges and submits drivers that serve Spark's PrometheusServlet; off, neither", () => {
    const runner = runnerPod(on).containers.find((c) => c.name === 'runner')!;
    expect(runner.command).toEqual(['lakebench', 'run', '--config', '/etc/lakebench/config.yaml', '--metrics-port', '9464']);
    expect(runner.ports).toEqual([{ name: 'metrics', containerPort: 9464 }]);
    const sparkConf = (objects: K8sObject[]) =>
      sparkApplicationManifest({ settings: clusterSettings(runnerConfig(objects)), job: 'gold-finalize', runId: 'r', scale: 1, scriptsConfigMap: 's', jobConfigMap: 'j' }).manifest.spec.sparkConf;
    expect(sparkConf(on)).toMatchObject({
      'spark.ui.enabled': 'true',
      'spark.ui.port': '4040',
      'spark.ui.prometheus.enabled': 'true',
      'spark.metrics.conf.*.sink.prometheusServlet.class': 'org.apache.spark.metrics.sink.PrometheusServlet',
      'spark.metrics.conf.*.sink.prometheusServlet.path': '/metrics/prometheus',
      'spark.metrics.namespace': 'lakebench',
    });
    const plain = runnerPod(off).containers.find((c) => c.name === 'runner')!;
    expect(plain.command).toEqual(['lakebench', 'run', '--config', '/etc/lakebench/config.yaml']);
    expect(plain.ports).toBeUndefined();
    expect(sparkConf(off)['spark.ui.enabled']).toBe('false');
    expect(Object.keys(sparkConf(off)).filter((k) => k.startsWith('spark.metrics.'))).toEqual([]);
    // The Operator path alone turns both on as well: its monitors scrape the same endpoints.
    const monitorsOnly = helmTemplate('helm3', tiny, [image, 'observability.monitors=true']).objects;
    expect(runnerConfig(monitorsOnly).cluster!.spark.prometheusMetrics).toBe(true);
    expect(byKind(monitorsOnly, 'Deployment').filter((d) => ['prometheus', 'grafana'].includes(component(d)))).toEqual([]);
  });

  it('the PostgreSQL exporter reads the PostgreSQL Secret from the environment and serves a port named metrics', () => {
    const postgres = podSpecs(on).find(({ owner }) => component(owner) === 'postgres')!.spec;
    const exporter = postgres.containers.find((c) => c.name === 'postgres-exporter')!;
    expect(exporter.image).toBe('quay.io/prometheuscommunity/postgres-exporter:v0.20.1');
    expect(exporter.env).toEqual([
      { name: 'DATA_SOURCE_URI', value: '127.0.0.1:5432/lakebench?sslmode=disable' },
      { name: 'DATA_SOURCE_USER', valueFrom: { secretKeyRef: { name: 'lakebench-postgres', key: 'username' } } },
      { name: 'DATA_SOURCE_PASS', valueFrom: { secretKeyRef: { name: 'lakebench-postgres', key: 'password' } } },
    ]);
    expect(exporter.ports).toEqual([{ name: 'metrics', containerPort: 9187 }]);
    expect(podSpecs(off).find(({ owner }) => component(owner) === 'postgres')!.spec.containers.map((c) => c.name)).toEqual(['postgres']);
  });

  it('keeps the Prometheus Operator path: monitors for Trino (as a named user), the drivers, the runner and the exporter', () => {
    const monitors = [...byKind(on, 'ServiceMonitor'), ...byKind(on, 'PodMonitor')].map((m) => `${m.kind}/${m.metadata.name}`).sort();
    expect(monitors).toEqual(['PodMonitor/lakebench-postgres', 'PodMonitor/lakebench-runner', 'PodMonitor/lakebench-spark-drivers', 'ServiceMonitor/lakebench-trino-coordinator', 'ServiceMonitor/lakebench-trino-worker']);
    const drivers = named(on, 'PodMonitor', 'lakebench-spark-drivers') as unknown as { spec: { podMetricsEndpoints: { path: string }[] } };
    expect(drivers.spec.podMetricsEndpoints.map((e) => e.path)).toEqual(['/metrics/prometheus', '/metrics/executors/prometheus']);
    const trino = named(on, 'ServiceMonitor', 'lakebench-trino-coordinator') as unknown as { spec: { endpoints: { basicAuth: { username: { name: string; key: string } } }[] } };
    const secret = named(on, 'Secret', trino.spec.endpoints[0]!.basicAuth.username.name) as unknown as { stringData: Record<string, string> };
    expect(secret.stringData).toEqual({ username: 'lakebench-prometheus', password: '' });
  });

  it('Grafana is provisioned with the in-release Prometheus and the dashboard ConfigMap', () => {
    const provisioning = dataOf(on, 'lakebench-grafana')!;
    const datasources = (parse(provisioning['datasources.yaml']!) as { datasources: Record<string, unknown>[] }).datasources;
    expect(datasources).toEqual([expect.objectContaining({ uid: 'lakebench-prometheus', type: 'prometheus', url: 'http://lakebench-prometheus:9090', isDefault: true })]);
    const provider = (parse(provisioning['dashboards.yaml']!) as { providers: { type: string; options: { path: string } }[] }).providers[0]!;
    const grafana = podSpecs(on).find(({ owner }) => owner.metadata.name === 'lakebench-grafana')!.spec as unknown as {
      containers: { env: { name: string; valueFrom?: unknown }[]; volumeMounts: { name: string; mountPath: string; subPath?: string }[] }[];
      volumes: { name: string; configMap?: { name: string } }[];
    };
    const mounts = grafana.containers[0]!.volumeMounts;
    const dashboardsVolume = mounts.find((m) => m.mountPath === provider.options.path)!.name;
    const dashboardsConfigMap = grafana.volumes.find((v) => v.name === dashboardsVolume)!.configMap!.name;
    expect(JSON.parse(dataOf(on, dashboardsConfigMap)!['lakebench.json']!)).toEqual(JSON.parse(readFileSync(path.join(chartDir, 'files', 'dashboards', 'lakebench.json'), 'utf8')));
    expect(mounts.filter((m) => m.subPath).map((m) => m.mountPath).sort()).toEqual(['/etc/grafana/provisioning/dashboards/lakebench.yaml', '/etc/grafana/provisioning/datasources/lakebench.yaml']);
    // Admin credentials only from a Secret.
    const admin = grafana.containers[0]!.env.filter((e) => e.name.startsWith('GF_SECURITY_ADMIN'));
    expect(admin.map((e) => e.valueFrom)).toEqual([
      { secretKeyRef: { name: 'lakebench-grafana-admin', key: 'admin-user' } },
      { secretKeyRef: { name: 'lakebench-grafana-admin', key: 'admin-password' } },
    ]);
  });

  it('every observability pod runs restricted with resources set', () => {
    const pods = podSpecs(on).filter(({ owner }) => ['prometheus', 'grafana', 'postgres'].includes(component(owner)));
    expect(pods.map(({ owner }) => owner.metadata.name).sort()).toEqual(['lakebench-grafana', 'lakebench-postgres', 'lakebench-prometheus']);
    for (const { owner, spec } of pods) {
      expect(spec.securityContext, owner.metadata.name).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      for (const c of allContainers(spec)) {
        expect(c.securityContext, c.name).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        expect(c.resources, c.name).toMatchObject({ requests: { cpu: expect.anything(), memory: expect.anything() }, limits: { memory: expect.anything() } });
      }
    }
  });
});

type Panel = { id: unknown; title?: unknown; type?: unknown; datasource?: unknown; gridPos?: Record<string, unknown>; targets?: { refId?: unknown; expr?: unknown; datasource?: unknown }[] };
type Dashboard = { uid?: unknown; panels: Panel[]; templating: { list: { name: string; type: string; query?: unknown; current?: { value?: unknown }; datasource?: unknown }[] } };

/** What Grafana needs to render the dashboard against the provisioned data source; one line per problem. */
function dashboardProblems(d: Dashboard, datasourceUid: string): string[] {
  const problems: string[] = [];
  const variable = d.templating.list.find((v) => v.name === 'datasource');
  if (variable?.type !== 'datasource' || variable.query !== 'prometheus') problems.push('no datasource variable of type prometheus');
  if (variable?.current?.value !== datasourceUid) problems.push(`the datasource variable does not default to the provisioned uid ${datasourceUid}`);
  const reference = { type: 'prometheus', uid: '${datasource}' };
  const same = (a: unknown) => JSON.stringify(a) === JSON.stringify(reference);
  for (const v of d.templating.list.filter((x) => x.type === 'query')) if (!same(v.datasource)) problems.push(`variable ${v.name}: datasource`);
  const ids = new Set<unknown>();
  const cells = new Set<string>();
  for (const p of d.panels) {
    const where = `panel ${String(p.id)} ${String(p.title)}`;
    if (typeof p.id !== 'number' || ids.has(p.id)) problems.push(`${where}: id missing or not unique`);
    ids.add(p.id);
    if (typeof p.title !== 'string' || p.title === '' || typeof p.type !== 'string') problems.push(`${where}: title or type`);
    if (!same(p.datasource)) problems.push(`${where}: datasource is not the datasource variable`);
    const g = p.gridPos ?? {};
    const [x, y, w, h] = [g.x, g.y, g.w, g.h];
    if (![x, y, w, h].every((n) => Number.isInteger(n)) || (w as number) < 1 || (h as number) < 1 || (x as number) < 0 || (x as number) + (w as number) > 24) problems.push(`${where}: gridPos`);
    else
      for (let cx = x as number; cx < (x as number) + (w as number); cx++)
        for (let cy = y as number; cy < (y as number) + (h as number); cy++) {
          if (cells.has(`${cx},${cy}`)) problems.push(`${where}: overlaps another panel at ${cx},${cy}`);
          cells.add(`${cx},${cy}`);
        }
    if (!p.targets?.length) problems.push(`${where}: no targets`);
    const refIds = new Set<unknown>();
    for (const t of p.targets ?? []) {
      if (typeof t.refId !== 'string' || refIds.has(t.refId)) problems.push(`${where}: refId missing or repeated`);
      refIds.add(t.refId);
      if (typeof t.expr !== 'string' || t.expr.trim() === '') problems.push(`${where} ${String(t.refId)}: no expr`);
      else if (!t.expr.includes('namespace="$namespace"')) problems.push(`${where} ${String(t.refId)}: not filtered by the namespace variable`);
      if (t.datasource !== undefined && !same(t.datasource)) problems.push(`${where} ${String(t.refId)}: datasource`);
    }
  }
  return [...new Set(problems)];
}

describe('the shipped dashboard', () => {
  const dashboard = JSON.parse(readFileSync(path.join(chartDir, 'files', 'dashboards', 'lakebench.json'), 'utf8')) as Dashboard;

  it('references the provisioned Prometheus data source everywhere, with unique ids, targets and grid positions', () => {
    const uid = (parse(dataOf(on, 'lakebench-grafana')!['datasources.yaml']!) as { datasources: { uid: string }[] }).datasources[0]!.uid;
    expect(dashboardProblems(dashboard, uid)).toEqual([]);
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(8);
  });

  it('the structural check finds each kind of defect (it can fail)', () => {
    const broken = structuredClone(dashboard);
    broken.panels[1]!.id = broken.panels[0]!.id;
    broken.panels[2]!.datasource = { type: 'prometheus', uid: 'some-other' };
    broken.panels[3]!.targets = [];
    broken.panels[4]!.gridPos = { ...broken.panels[5]!.gridPos };
    broken.panels[6]!.targets![0]!.expr = 'up';
    const problems = dashboardProblems(broken, 'lakebench-prometheus');
    expect(problems.some((p) => p.includes('id missing or not unique'))).toBe(true);
    expect(problems.some((p) => p.includes('datasource is not the datasource variable'))).toBe(true);
    expect(problems.some((p) => p.includes('no targets'))).toBe(true);
    expect(problems.some((p) => p.includes('overlaps'))).toBe(true);
    expect(problems.some((p) => p.includes('not filtered by the namespace variable'))).toBe(true);
    expect(dashboardProblems(dashboard, 'another-uid')).toEqual(['the datasource variable does not default to the provisioned uid another-uid']);
  });
});
