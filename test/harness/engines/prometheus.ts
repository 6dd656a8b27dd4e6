// A real Prometheus server on 127.0.0.1 (built from the Go module proxy by test/setup/45-prometheus.sh,
// the release the chart's observability.prometheus.image.tag pins), started with a given
// configuration file, and the bits of its HTTP API the tests read: range queries, label values and
// the scrape targets.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { cacheBin } from '../cache.js';
import { freePort } from '../ports.js';
import { launch, waitUntilReady } from './process.js';

export type PrometheusServer = {
  uri: string;
  pid: number;
  workDir: string;
  logFile: string;
  /** `/api/v1/query_range`: every series with at least one sample in [start, end]. */
  queryRange(expr: string, start: Date, end: Date, stepSeconds: number): Promise<RangeSeries[]>;
  /** `/api/v1/query` at `time` (default now). */
  query(expr: string, time?: Date): Promise<InstantSample[]>;
  /** `/api/v1/label/<name>/values?match[]=<selector>`, what Grafana's label_values(selector, name) asks. */
  labelValues(name: string, selector: string): Promise<string[]>;
  targets(): Promise<Target[]>;
  stop(): Promise<void>;
};

const metricSchema = z.record(z.string(), z.string());
const rangeSeriesSchema = z.object({ metric: metricSchema, values: z.array(z.tuple([z.number(), z.string()])) });
const instantSchema = z.object({ metric: metricSchema, value: z.tuple([z.number(), z.string()]) });
const targetSchema = z.object({ labels: metricSchema, scrapePool: z.string(), scrapeUrl: z.string(), health: z.string(), lastError: z.string() });
export type RangeSeries = z.infer<typeof rangeSeriesSchema>;
export type InstantSample = z.infer<typeof instantSchema>;
export type Target = z.infer<typeof targetSchema>;

const statusSchema = z.object({ status: z.literal('success'), data: z.unknown() });

export async function startPrometheus(configYaml: string): Promise<PrometheusServer> {
  const bin = cacheBin('prometheus');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run bash test/setup/install.sh (test/setup/45-prometheus.sh) first`);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-prometheus-'));
  const configFile = path.join(workDir, 'prometheus.yml');
  writeFileSync(configFile, configYaml);
  const port = await freePort();
  const logFile = path.join(workDir, 'prometheus.log');
  const server = launch({
    command: bin,
    args: [`--config.file=${configFile}`, `--storage.tsdb.path=${path.join(workDir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    cwd: workDir,
    env: { PATH: process.env.PATH },
    logFile,
  });
  const uri = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady('Prometheus', server, async () => (await fetch(`${uri}/-/ready`)).ok, 120_000);
  } catch (e) {
    await stop();
    throw e;
  }
  const api = async <T extends z.ZodType>(pathAndQuery: string, data: T): Promise<z.infer<T>> => {
    const res = await fetch(`${uri}${pathAndQuery}`);
    const body: unknown = await res.json();
    if (!res.ok) throw new Error(`Prometheus ${pathAndQuery}: HTTP ${res.status} ${JSON.stringify(body)}`);
    return data.parse(statusSchema.parse(body).data);
  };
  const seconds = (d: Date) => (d.getTime() / 1000).toFixed(3);
  return {
    uri,
    pid: server.pid,
    workDir,
    logFile,
    queryRange: async (expr, start, end, step) =>
      (await api(`/api/v1/query_range?${new URLSearchParams({ query: expr, start: seconds(start), end: seconds(end), step: String(step) })}`, z.object({ resultType: z.literal('matrix'), result: z.array(rangeSeriesSchema) }))).result,
    query: async (expr, time = new Date()) =>
      (await api(`/api/v1/query?${new URLSearchParams({ query: expr, time: seconds(time) })}`, z.object({ resultType: z.literal('vector'), result: z.array(instantSchema) }))).result,
    labelValues: (name, selector) => api(`/api/v1/label/${encodeURIComponent(name)}/values?${new URLSearchParams({ 'match[]': selector })}`, z.array(z.string())),
    targets: async () => (await api('/api/v1/targets?state=active', z.object({ activeTargets: z.array(targetSchema) }))).activeTargets,
    stop,
  };
}
