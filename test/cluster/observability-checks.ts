// What the in-release Prometheus (observability.enabled) sees, read through its own HTTP API behind
// the API server's service proxy: the same answers Grafana gets, without a port-forward. Used by
// runner.test.ts, whose release runs the runner and the Spark stages with observability.enabled (the
// Spark driver, executor and runner targets exist only while those pods run, so they are checked over
// a window, not at one instant), and by any other file of the tier with an observability release.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import fetch from 'node-fetch';
import { z } from 'zod';
import { imageCacheDir } from '../harness/node/binaries.js';
import type { Snapshotter } from '../harness/node/containerd.js';
import { importImages, localImageArchives } from '../harness/node/images.js';
import type { NodeState } from '../harness/node/state.js';

const repo = path.resolve(import.meta.dirname, '../..');

/** The chart's observability.prometheus.image as containerd names it (the stand-in of test/images/prometheus). */
export const prometheusImage = 'docker.io/prom/prometheus:v3.16.0';

/**
 * Imports the Prometheus stand-in into the node unless it is there already (0 s then): a node started
 * before the image was built (a by-hand `cli.ts up`) lacks it. Returns the seconds the import took.
 */
export async function ensurePrometheusImage(state: NodeState): Promise<number> {
  const archive = localImageArchives().filter((a) => a.slug === 'prometheus');
  if (archive.length !== 1 || archive[0]?.ref !== prometheusImage) throw new Error(`no ${prometheusImage} in ${imageCacheDir}: run bash test/setup/install.sh (test/setup/70-images.sh)`);
  return (await importImages(archive, state.snapshotter as Snapshotter))[prometheusImage] ?? 0;
}

const metricSchema = z.record(z.string(), z.string());
const instantSchema = z.object({ metric: metricSchema, value: z.tuple([z.number(), z.string()]) });
const rangeSchema = z.object({ metric: metricSchema, values: z.array(z.tuple([z.number(), z.string()])) });
const targetSchema = z.object({ labels: metricSchema, scrapePool: z.string(), scrapeUrl: z.string(), health: z.string(), lastError: z.string() });
const envelopeSchema = z.object({ status: z.literal('success'), data: z.unknown() });
export type InstantSample = z.infer<typeof instantSchema>;
export type RangeSeries = z.infer<typeof rangeSchema>;
export type ScrapeTarget = z.infer<typeof targetSchema>;

export type PrometheusApi = {
  /** `/api/v1/query` at `time` (default now). */
  query(expr: string, time?: Date): Promise<InstantSample[]>;
  /** `/api/v1/query_range`, what a Grafana timeseries panel sends. */
  queryRange(expr: string, start: Date, end: Date, stepSeconds: number): Promise<RangeSeries[]>;
  /** `/api/v1/targets?state=active`. */
  targets(): Promise<ScrapeTarget[]>;
  /** `/api/v1/label/<name>/values?match[]=<selector>`: Grafana's label_values(selector, name). */
  labelValues(name: string, selector: string): Promise<string[]>;
};

/** The release's Prometheus Service (`<release>-prometheus`, port `http`) through the API server's proxy. */
export function prometheusThroughApiServer(kc: KubeConfig, namespace: string, service = 'lakebench-prometheus'): PrometheusApi {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster');
  const base = `${server}/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}:http/proxy`;
  const api = async <T extends z.ZodType>(pathAndQuery: string, data: T): Promise<z.infer<T>> => {
    const res = await fetch(`${base}${pathAndQuery}`, { ...(await kc.applyToFetchOptions({})), method: 'GET' });
    const text = await res.text();
    if (!res.ok) throw new Error(`Prometheus ${namespace}/${service} ${pathAndQuery}: HTTP ${res.status} ${text.slice(0, 500)}`);
    return data.parse(envelopeSchema.parse(JSON.parse(text)).data);
  };
  const seconds = (d: Date) => (d.getTime() / 1000).toFixed(3);
  return {
    query: async (expr, time = new Date()) =>
      (await api(`/api/v1/query?${new URLSearchParams({ query: expr, time: seconds(time) })}`, z.object({ resultType: z.literal('vector'), result: z.array(instantSchema) }))).result,
    queryRange: async (expr, start, end, step) =>
      (await api(`/api/v1/query_range?${new URLSearchParams({ query: expr, start: seconds(start), end: seconds(end), step: String(step) })}`, z.object({ resultType: z.literal('matrix'), result: z.array(rangeSchema) })))
        .result,
    targets: async () => (await api('/api/v1/targets?state=active', z.object({ activeTargets: z.array(targetSchema) }))).activeTargets,
    labelValues: (name, selector) => api(`/api/v1/label/${encodeURIComponent(name)}/values?${new URLSearchParams({ 'match[]': selector })}`, z.array(z.string())),
  };
}

export type ScrapeOptions = {
  /** Check the window since this moment (targets of pods that have ended count): max_over_time(up[…]) == 1. Without it, every current target of each job must be up now. */
  since?: Date;
  /** How long to wait for the condition (default 3 min: a few scrape intervals and pod discovery). */
  timeoutMs?: number;
  service?: string;
};

/** Per job, the `up` series that were 1 (labels: job, namespace, pod, component, and for Spark stage, run_id). */
export type ScrapedJobs = Record<string, Record<string, string>[]>;

/**
 * Waits until Prometheus has scraped every job in `jobs` successfully (`up == 1` for a target of the
 * job in `namespace`), and returns the series that were up. Fails naming each job that was not,
 * with its targets' health, last error and URL, when `timeoutMs` passes.
 */
export async function assertPrometheusScrapes(kc: KubeConfig, namespace: string, jobs: string[], options: ScrapeOptions = {}): Promise<ScrapedJobs> {
  const prometheus = prometheusThroughApiServer(kc, namespace, options.service);
  const timeoutMs = options.timeoutMs ?? 180_000;
  const deadline = Date.now() + timeoutMs;
  const scraped: ScrapedJobs = {};
  let missing = jobs;
  for (;;) {
    missing = [];
    for (const job of jobs) {
      const selector = `up{job=${JSON.stringify(job)},namespace=${JSON.stringify(namespace)}}`;
      let series: InstantSample[];
      if (options.since) {
        const window = Math.max(60, Math.ceil((Date.now() - options.since.getTime()) / 1000));
        series = await prometheus.query(`max_over_time(${selector}[${window}s])`);
      } else {
        series = await prometheus.query(selector);
      }
      // Now: every current target up. Window: at least one successful scrape of some target.
      const up = series.filter((s) => s.value[1] === '1');
      const ok = options.since ? up.length > 0 : series.length > 0 && up.length === series.length;
      if (ok) scraped[job] = up.map((s) => s.metric);
      else missing.push(job);
    }
    if (missing.length === 0) return scraped;
    if (Date.now() > deadline) {
      const targets = await prometheus.targets();
      const detail = missing.map((job) => {
        const mine = targets.filter((t) => t.scrapePool === job);
        const lines = mine.map((t) => `    ${t.scrapeUrl} health=${t.health}${t.lastError ? ` lastError=${t.lastError}` : ''} pod=${t.labels.pod ?? '?'}`);
        return `  ${job}: ${mine.length === 0 ? 'no active target (no Running pod of the release matched the job)' : `\n${lines.join('\n')}`}`;
      });
      throw new Error(`Prometheus in ${namespace} did not scrape ${missing.join(', ')} successfully within ${timeoutMs / 1000} s:\n${detail.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 3000));
  }
}

export type DashboardPanel = { id: number; title: string; targets: { refId: string; expr: string }[] };

/** The panels of the dashboard the chart ships (charts/lakebench/files/dashboards/lakebench.json). */
export function shippedDashboardPanels(): DashboardPanel[] {
  const file = path.join(repo, 'charts', 'lakebench', 'files', 'dashboards', 'lakebench.json');
  const dashboard = z
    .object({ panels: z.array(z.object({ id: z.number(), title: z.string(), targets: z.array(z.object({ refId: z.string(), expr: z.string() })) })) })
    .parse(JSON.parse(readFileSync(file, 'utf8')));
  return dashboard.panels;
}

/**
 * Runs every query of the given panels as Grafana does for a timeseries panel ($namespace chosen,
 * a range query over [start, end]) and returns the ones without a single finite value, as
 * `panel <id> "<title>" <refId>: <expr>` (empty: every query returned data).
 */
export async function panelQueriesWithoutData(prometheus: PrometheusApi, namespace: string, panels: DashboardPanel[], start: Date, end: Date, stepSeconds: number): Promise<string[]> {
  const empty: string[] = [];
  for (const panel of panels) {
    for (const target of panel.targets) {
      const expr = target.expr.replaceAll('$namespace', namespace);
      const series = await prometheus.queryRange(expr, start, end, stepSeconds);
      const values = series.flatMap((s) => s.values.map(([, v]) => Number(v))).filter((v) => Number.isFinite(v));
      if (values.length === 0) empty.push(`panel ${panel.id} "${panel.title}" ${target.refId}: ${expr}`);
    }
  }
  return empty;
}
