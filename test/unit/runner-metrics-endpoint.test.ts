// The runner's Prometheus gauges and their endpoint: what a scrape returns while a stage runs and after
// it ends, label escaping, the HTTP surface (only GET /metrics), waiting for the final scrape, and a
// port that cannot be served refused as bad input.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RunGauges, label } from '../../runner/src/platforms/kubernetes/run-gauges.js';
import { startMetricsEndpoint, type MetricsEndpoint } from '../../runner/src/platforms/kubernetes/metrics-endpoint.js';
import { BadInputError } from '../../runner/src/util/errors.js';

const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('RunGauges', () => {
  it('a running stage reports 1 and its growing duration; an ended one 0, its duration and success', () => {
    let now = 1_000_000;
    const g = new RunGauges(0.5, () => now);
    g.stageStarted('silver-build');
    now += 2_500;
    let text = g.render();
    expect(sample(text, 'lakebench_run_scale')).toBe(0.5);
    expect(sample(text, 'lakebench_stage_running{stage="silver-build"}')).toBe(1);
    expect(sample(text, 'lakebench_stage_duration_seconds{stage="silver-build"}')).toBe(2.5);
    expect(text).not.toContain('lakebench_stage_succeeded{');
    now += 1_500;
    g.stageEnded('silver-build', false);
    now += 60_000; // an ended stage's duration no longer grows
    text = g.render();
    expect(sample(text, 'lakebench_stage_running{stage="silver-build"}')).toBe(0);
    expect(sample(text, 'lakebench_stage_duration_seconds{stage="silver-build"}')).toBe(4);
    expect(sample(text, 'lakebench_stage_succeeded{stage="silver-build"}')).toBe(0);
  });

  it('counts query executions by outcome and keeps the latest time', () => {
    const g = new RunGauges(1);
    g.queryExecuted('Q1', true, 0.25);
    g.queryExecuted('Q1', false, 3.5);
    g.queryExecuted('Q1', true, 0.125);
    g.datagen(3, 10);
    const text = g.render();
    expect(sample(text, 'lakebench_query_duration_seconds{query="Q1"}')).toBe(0.125);
    expect(sample(text, 'lakebench_query_executions_total{query="Q1",outcome="succeeded"}')).toBe(2);
    expect(sample(text, 'lakebench_query_executions_total{query="Q1",outcome="failed"}')).toBe(1);
    expect(sample(text, 'lakebench_datagen_files_done')).toBe(3);
    expect(sample(text, 'lakebench_datagen_files_total')).toBe(10);
    expect(text).toContain('# TYPE lakebench_query_executions_total counter');
    // Families without samples are left out rather than announced empty.
    expect(new RunGauges(1).render()).not.toContain('lakebench_stage_running');
  });

  it('escapes label values as the text format requires', () => {
    expect(label('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });
});

describe('the metrics endpoint', () => {
  let endpoint: MetricsEndpoint | undefined;
  afterEach(async () => {
    await endpoint?.close();
    endpoint = undefined;
  });

  it('serves GET /metrics in the text format and nothing else', async () => {
    const g = new RunGauges(2);
    g.stageStarted('bronze-verify');
    endpoint = await startMetricsEndpoint(g, 0, '127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${endpoint.port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(sample(await res.text(), 'lakebench_stage_running{stage="bronze-verify"}')).toBe(1);
    expect((await fetch(`http://127.0.0.1:${endpoint.port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${endpoint.port}/metrics`, { method: 'POST' })).status).toBe(404);
  });

  it('waits for a scrape of the latest values, and gives up after the timeout', async () => {
    const g = new RunGauges(1);
    endpoint = await startMetricsEndpoint(g, 0, '127.0.0.1');
    g.stageStarted('benchmark');
    g.stageEnded('benchmark', true);
    expect(await endpoint.waitForScrape(300)).toBe(false);
    const waiting = endpoint.waitForScrape(10_000);
    await fetch(`http://127.0.0.1:${endpoint.port}/metrics`);
    expect(await waiting).toBe(true);
    g.queryExecuted('Q2', true, 1); // a change after the scrape needs another one
    expect(await endpoint.waitForScrape(300)).toBe(false);
  });

  it('a port that cannot be served is bad input naming --metrics-port', async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const busy = startMetricsEndpoint(new RunGauges(1), port, '127.0.0.1');
      await expect(busy).rejects.toBeInstanceOf(BadInputError);
      await expect(busy).rejects.toThrow(`--metrics-port: cannot serve metrics on 127.0.0.1:${port} (EADDRINUSE)`);
      await expect(startMetricsEndpoint(new RunGauges(1), 70_000)).rejects.toThrow('--metrics-port: must be a port number (0-65535), got 70000');
    } finally {
      holder.close();
    }
  });
});
