// The chart's observability release on real engines: a real Prometheus (the pinned release, built from
// the Go module proxy) runs the scrape configuration the chart renders with observability.enabled,
// pointed at the harness' Trino 476, a real PySpark 4.0.1 job submitted with the metrics settings the
// runner gives the chart's SparkApplications, and the real `lakebench run` with --metrics-port as the
// chart's runner pod starts it. After the run every panel query of the shipped Grafana dashboard must
// return data, and the values must be the engines' and the run's own.
//
// What differs from a cluster, and only that: targets come from static_configs carrying the pod
// discovery labels a pod would have (test/engines/fixtures/scrape-targets.ts) instead of Kubernetes
// pod discovery, on 127.0.0.1 ports chosen here instead of the pods' container ports (Trino's http,
// Spark's UI port 4040 → spark.ui.port, the runner's 9464 → --metrics-port), the scrape interval is
// rendered at 2s instead of 30s, the Spark job runs in local[2] (its one executor is the driver), the
// runner runs embedded at scale 0.01, and the PostgreSQL exporter (optional, not built here) is off.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { BasicAuth, Trino } from 'trino-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../runner/src/config/schema.js';
import { metricsSchema, type Metrics } from '../../runner/src/model/metrics.js';
import { clusterSettings } from '../../runner/src/platforms/kubernetes/manifests/cluster-settings.js';
import { sparkApplicationManifest } from '../../runner/src/platforms/kubernetes/manifests/spark-application.js';
import { repoRoot } from '../harness/cache.js';
import { startLakebench, type CliResult } from '../harness/cli.js';
import { freePort } from '../harness/ports.js';
import { startEngineStack, type EngineStack } from '../harness/engines/stack.js';
import { runPySpark, sparkSubmitEnv, type PySparkRun } from '../harness/engines/spark.js';
import { startPrometheus, type PrometheusServer } from '../harness/engines/prometheus.js';
import { sleep } from '../harness/engines/process.js';
import { byKind, helmTemplate, podSpecs, type K8sObject } from '../chart/helpers/render.js';
import { pointJobsAtHarness, type PodIdentity } from './fixtures/scrape-targets.js';

const NAMESPACE = 'lakebench'; // helmTemplate renders into this namespace
const INTERVAL_S = 2;
const TABLE = 'lakehouse.observability.events';
const here = path.dirname(fileURLToPath(import.meta.url));
const dashboard = JSON.parse(readFileSync(path.join(repoRoot, 'charts', 'lakebench', 'files', 'dashboards', 'lakebench.json'), 'utf8')) as {
  panels: { id: number; title: string; targets: { refId: string; expr: string }[] }[];
};

type Run = {
  stack: EngineStack;
  prometheus: PrometheusServer;
  start: Date;
  end: Date;
  jobs: string[];
  omitted: string[];
  spark: PySparkRun;
  runner: CliResult;
  metrics: Metrics;
  trinoQueries: { completed: number; failed: number };
};
let run: Run | undefined;
let stack: EngineStack | undefined;
let prometheus: PrometheusServer | undefined;
let scratch: string | undefined;
/** Processes still running when setup fails: stopped (or awaited) before the scratch folder goes. */
const stillRunning: { runner?: ReturnType<typeof startLakebench>; spark?: Promise<PySparkRun> } = {};

const data = (objects: K8sObject[], name: string) => (byKind(objects, 'ConfigMap').find((c) => c.metadata.name === name) as unknown as { data: Record<string, string> } | undefined)?.data;

/** The pod a rendered workload of `component` would start, seen as Kubernetes discovery sees it. */
function renderedPod(objects: K8sObject[], component: string, portName: string): PodIdentity {
  const found = podSpecs(objects).find(({ owner }) => owner.metadata.labels?.['app.kubernetes.io/component'] === component);
  if (!found) throw new Error(`the chart renders no ${component} workload`);
  const template = ['Deployment', 'StatefulSet', 'Job'].includes(found.owner.kind) ? (found.owner.spec as { template: { metadata: { labels: Record<string, string> } } }).template : undefined;
  const container = found.spec.containers.find((c) => ((c.ports ?? []) as { name: string }[]).some((p) => p.name === portName));
  if (!template || !container) throw new Error(`${found.owner.kind}/${found.owner.metadata.name} has no container port named ${portName}`);
  return { namespace: NAMESPACE, name: `${found.owner.metadata.name}-0`, container: container.name, portName, labels: template.metadata.labels };
}

async function trinoStatement(uri: string, sql: string): Promise<{ rows: unknown[][]; error: string | null }> {
  const client = Trino.create({ server: uri, catalog: 'lakehouse', auth: new BasicAuth('lakebench'), session: {} });
  const rows: unknown[][] = [];
  for await (const page of await client.query(sql)) {
    if (page.error) return { rows, error: `${page.error.errorName}: ${page.error.message}` };
    rows.push(...((page.data ?? []) as unknown[][]));
  }
  return { rows, error: null };
}

/** Polls an instant query until `ok` holds for its result, or fails with `what` after `timeoutMs`. */
async function waitFor(p: PrometheusServer, expr: string, ok: (values: number[]) => boolean, what: string, timeoutMs: number, stillRunning: () => string | null = () => null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const values = (await p.query(expr)).map((s) => Number(s.value[1]));
    if (ok(values)) return;
    const dead = stillRunning();
    if (dead) throw new Error(`${what}: ${dead}`);
    if (Date.now() > deadline) throw new Error(`${what}: not observed after ${timeoutMs / 1000} s (${expr} = ${JSON.stringify(values)}); targets: ${JSON.stringify(await p.targets())}`);
    await sleep(1000);
  }
}

beforeAll(async () => {
  const start = new Date();
  scratch = mkdtempSync(path.join(os.tmpdir(), 'lakebench-observability-'));
  // The release as a user installs it, with the in-release Prometheus and Grafana.
  const rendered = helmTemplate('helm3', [path.join(repoRoot, 'values', 'profile-tiny.yaml'), path.join(repoRoot, 'values', 'hive-iceberg-trino.yaml')], [
    'runner.image.repository=registry.example/lakebench-runner',
    'observability.enabled=true',
    `observability.interval=${INTERVAL_S}s`,
  ]).objects;
  const scrapeConfig = data(rendered, 'lakebench-prometheus')?.['prometheus.yml'];
  if (!scrapeConfig) throw new Error('the chart renders no Prometheus configuration');
  // The runner's view of the same release: the SparkApplication it would submit for a stage.
  const config = configSchema.parse(parse(data(rendered, 'lakebench-runner')!['config.yaml']!));
  const { manifest } = sparkApplicationManifest({ settings: clusterSettings(config), job: 'silver-build', runId: 'obs-test', scale: 0.01, scriptsConfigMap: 'scripts', jobConfigMap: 'job' });
  const metricsConf = Object.fromEntries(Object.entries(manifest.spec.sparkConf).filter(([k]) => k.startsWith('spark.ui.') || k.startsWith('spark.metrics.')));
  const runnerContainer = podSpecs(rendered).find(({ owner }) => owner.kind === 'Job' && owner.metadata.labels?.['app.kubernetes.io/component'] === 'runner')!.spec.containers[0]!;
  const runnerCommand = runnerContainer.command as string[];

  stack = await startEngineStack();
  const [sparkUiPort, runnerPort] = [await freePort(), await freePort()];
  const driverPod: PodIdentity = { namespace: NAMESPACE, name: 'lakebench-silver-build-driver', container: 'spark-kubernetes-driver', portName: 'spark-ui', labels: { ...manifest.spec.driver.labels, 'spark-role': 'driver' } };
  const pointed = pointJobsAtHarness(scrapeConfig, {
    trino: { address: new URL(stack.trino.uri).host, pod: renderedPod(rendered, 'trino-coordinator', 'http') },
    'spark-driver': { address: `127.0.0.1:${sparkUiPort}`, pod: driverPod },
    'spark-executors': { address: `127.0.0.1:${sparkUiPort}`, pod: driverPod },
    'lakebench-runner': { address: `127.0.0.1:${runnerPort}`, pod: renderedPod(rendered, 'runner', 'metrics') },
  });
  prometheus = await startPrometheus(pointed.yaml);
  const p = prometheus;

  // The runner as the chart starts it (its command line, with the harness port), embedded and small.
  expect(runnerCommand.slice(0, 2)).toEqual(['lakebench', 'run']);
  const portAt = runnerCommand.indexOf('--metrics-port');
  expect(portAt, runnerCommand.join(' ')).toBeGreaterThan(0);
  const runner = startLakebench(['run', '--local', '--scale', '0.01', '--output', path.join(scratch, 'out'), '--json', '--metrics-port', String(runnerPort)]);
  stillRunning.runner = runner;
  // The PySpark job with the runner's metrics settings, the UI on a harness port.
  const releaseFile = path.join(scratch, 'release');
  const sparkDone = runPySpark(sparkSubmitEnv({ s3: stack.minio, restCatalogUri: stack.rest.uri }), path.join(here, 'fixtures', 'observability_job.py'), [TABLE, releaseFile, '900'], {
    ...metricsConf,
    'spark.ui.port': String(sparkUiPort),
  });
  stillRunning.spark = sparkDone;
  let sparkEnded: PySparkRun | undefined;
  void sparkDone.then((r) => (sparkEnded = r));
  const sparkEndedEarly = () => (sparkEnded ? `the Spark job ended first (exit ${sparkEnded.exitCode}):\n${sparkEnded.stderr.slice(-3000)}` : null);
  try {
    // Two scrapes of each Spark endpoint while the application runs (its table is written by then).
    await waitFor(p, 'count_over_time(metrics_executor_activeTasks[10m])', (v) => v.length > 0 && v[0]! >= 2, 'executor summary scraped twice', 600_000, sparkEndedEarly);
    await waitFor(p, 'count_over_time(metrics_lakebench_driver_jvm_heap_used_Value[10m])', (v) => v.length > 0 && v[0]! >= 2, 'driver PrometheusServlet scraped twice', 120_000, sparkEndedEarly);
    // Trino reads what Spark wrote (the driver serves metrics from its start, before the table
    // exists: asked until it does), and one query fails on purpose (the failed-queries panel).
    let count = await trinoStatement(stack.trino.uri, `SELECT count(*) FROM ${TABLE}`);
    for (const deadline = Date.now() + 600_000; count.error && /(SCHEMA|TABLE)_NOT_FOUND/.test(count.error) && Date.now() < deadline && !sparkEndedEarly(); await sleep(2000)) {
      count = await trinoStatement(stack.trino.uri, `SELECT count(*) FROM ${TABLE}`);
    }
    expect(count).toEqual({ rows: [[200000]], error: null });
    const missing = await trinoStatement(stack.trino.uri, 'SELECT * FROM lakehouse.observability.no_such_table');
    expect(missing.error).toMatch(/TABLE_NOT_FOUND/);
  } finally {
    writeFileSync(releaseFile, '');
  }
  const [spark, runnerResult] = await Promise.all([sparkDone, runner.done]);
  // The Trino counters after those queries, scraped.
  await waitFor(p, 'max_over_time(trino_execution_name_QueryManager_FailedQueries[10m])', (v) => v.length > 0 && v[0]! >= 1, 'Trino failed-query counter', 60_000);
  await sleep(2 * INTERVAL_S * 1000);
  const runId = (JSON.parse(runnerResult.stdout) as { run_id: string }).run_id;
  const metrics = metricsSchema.parse(JSON.parse(readFileSync(path.join(scratch, 'out', 'runs', runId, 'metrics.json'), 'utf8')));
  run = { stack, prometheus, start, end: new Date(), jobs: pointed.jobs, omitted: pointed.omitted, spark, runner: runnerResult, metrics, trinoQueries: { completed: 1, failed: 1 } };
}, 1_800_000);

afterAll(async () => {
  if (stillRunning.runner && stillRunning.runner.child.exitCode === null) stillRunning.runner.child.kill('SIGKILL');
  await Promise.allSettled([stillRunning.runner?.done, stillRunning.spark]);
  await prometheus?.stop();
  await stack?.stop();
  if (scratch && existsSync(scratch)) rmSync(scratch, { recursive: true, force: true });
});

const ready = () => {
  if (!run) throw new Error('setup did not finish');
  return run;
};
const values = (series: { values: [number, string][] }[]) => series.flatMap((s) => s.values.map(([, v]) => Number(v)));

describe('observability release on real engines', () => {
  it('the Spark job and the runner ran to completion while scraped', () => {
    const r = ready();
    expect(r.spark.exitCode, r.spark.stderr.slice(-3000)).toBe(0);
    expect(r.spark.stdout).toMatch(/ROWS=200000/);
    expect(r.spark.stdout).toMatch(/RELEASED=True/);
    expect(r.runner.code, r.runner.stderr.slice(-3000)).toBe(0);
    expect(r.runner.stderr).not.toMatch(/metrics: the final values were not scraped/);
    // Every scrape job of the chart ran here, except PostgreSQL's (its exporter is off in this release).
    expect(r.jobs.sort()).toEqual(['lakebench-runner', 'spark-driver', 'spark-executors', 'trino']);
    expect(r.omitted).toEqual([]);
  });

  it('every scrape job of the chart reached its target through the chart’s own relabelling', async () => {
    const r = ready();
    const up = await r.prometheus.queryRange('up', r.start, r.end, INTERVAL_S);
    const everUp = new Set(up.filter((s) => s.values.some(([, v]) => v === '1')).map((s) => s.metric.job));
    expect([...everUp].sort()).toEqual([...r.jobs].sort());
    for (const s of up) {
      expect(s.metric.namespace, JSON.stringify(s.metric)).toBe(NAMESPACE);
      expect(s.metric.pod, JSON.stringify(s.metric)).toBeTruthy();
    }
    const labels = (job: string) => up.find((s) => s.metric.job === job)!.metric;
    expect(labels('trino')).toMatchObject({ component: 'trino-coordinator' });
    expect(labels('lakebench-runner')).toMatchObject({ component: 'runner' });
    expect(labels('spark-driver')).toMatchObject({ component: 'spark', stage: 'silver-build', run_id: 'obs-test' });
  });

  it('every panel query of the shipped dashboard returns data for the run', async () => {
    const r = ready();
    const empty: string[] = [];
    let checked = 0;
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        // What Grafana sends for a timeseries panel over the run, with $namespace chosen.
        const expr = target.expr.replaceAll('$namespace', NAMESPACE);
        const series = await r.prometheus.queryRange(expr, r.start, r.end, INTERVAL_S);
        checked++;
        if (values(series).filter((v) => Number.isFinite(v)).length === 0) empty.push(`panel ${panel.id} "${panel.title}" ${target.refId}: ${expr}`);
      }
    }
    expect(empty).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(dashboard.panels.length);
    // The dashboard's namespace variable: Grafana's label_values(up, namespace).
    expect(await r.prometheus.labelValues('namespace', 'up')).toContain(NAMESPACE);
  });

  it('the runner gauges carry the run’s own numbers', async () => {
    const r = ready();
    const last = async (expr: string) => (await r.prometheus.query(`last_over_time(${expr}[15m])`, r.end)).map((s) => ({ labels: s.metric, value: Number(s.value[1]) }));
    // Each query's latest time is the last sample metrics.json records for it.
    const latest = await last('lakebench_query_duration_seconds');
    const queries = r.metrics.benchmark!.queries;
    expect(latest.map((s) => s.labels.query).sort()).toEqual(queries.map((q) => q.id).sort());
    for (const q of queries) expect(latest.find((s) => s.labels.query === q.id)!.value, q.id).toBe(q.samples_seconds.at(-1));
    // Every timed execution counted once, all successful.
    const executions = await last('lakebench_query_executions_total');
    const byOutcome = (o: string) => executions.filter((s) => s.labels.outcome === o).reduce((a, s) => a + s.value, 0);
    expect(byOutcome('succeeded')).toBe(queries.reduce((a, q) => a + q.samples_seconds.length, 0));
    expect(byOutcome('failed')).toBe(0);
    // The stages ended and succeeded. The gauge is the runner's wall time around each stage, so it
    // holds the time metrics.json records for the stage itself plus the runner's own overhead.
    const durations = await last('lakebench_stage_duration_seconds');
    for (const stage of ['bronze-verify', 'silver-build', 'gold-finalize', 'benchmark'] as const) {
      const recorded = r.metrics.stages.find((s) => s.name === stage)!.elapsed_seconds;
      const gauge = durations.find((s) => s.labels.stage === stage)?.value ?? Number.NaN;
      expect(gauge, stage).toBeGreaterThanOrEqual(recorded - 0.01);
      expect(gauge - recorded, stage).toBeLessThan(5);
    }
    expect((await last('lakebench_stage_running')).map((s) => s.value)).toEqual([0, 0, 0, 0]);
    expect((await last('lakebench_stage_succeeded')).map((s) => s.value)).toEqual([1, 1, 1, 1]);
    const files = r.metrics.datagen!.files;
    expect((await last('lakebench_datagen_files_done')).map((s) => s.value)).toEqual([files]);
    expect((await last('lakebench_datagen_files_total')).map((s) => s.value)).toEqual([files]);
  });

  it('Trino and Spark series are the engines’ own', async () => {
    const r = ready();
    const max = async (expr: string) => Math.max(...(await r.prometheus.query(`max_over_time(${expr}[15m])`, r.end)).map((s) => Number(s.value[1])));
    expect(await max('trino_execution_name_QueryManager_FailedQueries')).toBeGreaterThanOrEqual(r.trinoQueries.failed);
    expect(await max('trino_execution_name_QueryManager_CompletedQueries')).toBeGreaterThanOrEqual(r.trinoQueries.completed);
    expect(await max('trino_metadata_name_DiscoveryNodeManager_ActiveNodeCount')).toBe(1);
    // local[2]: the driver is the one executor, and it ran tasks (the table write and the rounds).
    const executors = await r.prometheus.query('last_over_time(metrics_executor_completedTasks_total[15m])', r.end).catch(() => []);
    const summary = await r.prometheus.query('last_over_time(metrics_executor_activeTasks[15m])', r.end);
    expect(summary.map((s) => s.metric.executor_id)).toEqual(['driver']);
    expect(summary[0]!.metric.application_name).toBe('lakebench-observability');
    if (executors.length > 0) expect(Number(executors[0]!.value[1])).toBeGreaterThan(0);
    expect(await max('metrics_lakebench_driver_jvm_heap_used_Value')).toBeGreaterThan(0);
  });
});
