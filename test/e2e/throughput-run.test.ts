// Throughput and composite modes end to end, through the real CLI on the embedded DuckDB engine at
// scale 0.01: one `run` in throughput mode (3 streams), then `benchmark` in composite mode on the
// tables it left. Checks the recorded orders, the QpH arithmetic against the recorded times, that the
// streams really overlapped in time, and the report's streams table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lakebench, type CliResult } from '../harness/cli.js';
import { metricsSchema, type Metrics } from '../../runner/src/model/metrics.js';
import { QUERIES } from '../../runner/src/sql/queries.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-throughput-'));
const out = path.join(tmp, 'out');
const IDS = QUERIES.map((q) => q.id);

let tp: CliResult;
let cp: CliResult;
let t: Metrics;
let c: Metrics;

const read = (summary: CliResult): { metrics: Metrics; report: string } => {
  const s = JSON.parse(summary.stdout) as { metrics: string; report: string };
  return { metrics: metricsSchema.parse(JSON.parse(readFileSync(s.metrics, 'utf8'))), report: s.report };
};

/** Throughput QpH of one iteration recomputed from the recorded execution times. */
function recomputed(m: Metrics, iteration: number): { qph: number; wall: number; successes: number } {
  const streams = m.benchmark!.streams_results.filter((s) => s.iteration === iteration);
  const ex = streams.flatMap((s) => s.executions);
  const wall = Math.max(...ex.map((e) => e.finish_offset_seconds)) - Math.min(...ex.map((e) => e.start_offset_seconds));
  const successes = ex.filter((e) => e.success).length;
  return { qph: (successes / wall) * 3600, wall, successes };
}

beforeAll(async () => {
  const config = path.join(tmp, 'throughput.yaml');
  writeFileSync(config, 'scale: 0.01\nbenchmark:\n  mode: throughput\n  streams: 3\n  seed: 42\n');
  tp = await lakebench(['run', '--local', '--config', config, '--output', out, '--json']);
  cp = await lakebench(['benchmark', '--local', '--config', config, '--output', out, '--mode', 'composite', '--streams', '2', '--json']);
  t = read(tp).metrics;
  c = read(cp).metrics;
}, 600_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('throughput mode through the CLI', () => {
  it('runs 3 streams of all 8 queries, each in its recorded seeded order', () => {
    expect(tp.code, tp.stderr).toBe(0);
    expect(t.verdict.status).toBe('PASSED');
    const b = t.benchmark!;
    expect(b.mode).toBe('throughput');
    expect(b.streams).toBe(3);
    expect(b.streams_results).toHaveLength(3);
    expect(b.streams_results.map((s) => s.stream_id)).toEqual([0, 1, 2]);
    for (const s of b.streams_results) {
      expect([...s.order].sort()).toEqual([...IDS].sort());
      expect(s.queries.map((q) => q.id)).toEqual(s.order);
      expect(s.executions.map((e) => e.id)).toEqual(s.order);
      expect(s.successes).toBe(8);
    }
    expect(new Set(b.streams_results.map((s) => s.order.join(','))).size).toBeGreaterThan(1);
    expect(b.streams_results.flatMap((s) => s.executions)).toHaveLength(24);
    // Progress names the stream of each execution.
    expect(tp.stderr).toMatch(/Q\d #1 stream 2: \d+ rows/);
  });

  it('scores successes ÷ (first start → last finish) × 3600 from the recorded times', () => {
    const b = t.benchmark!;
    const r = recomputed(t, 1);
    expect(r.successes).toBe(24);
    expect(b.throughput_qph).toBeGreaterThan(0);
    expect(b.throughput_qph).toBeCloseTo(r.qph, 6);
    expect(b.qph).toBe(b.throughput_qph);
    expect(b.power_qph).toBeNull();
    expect(b.composite_qph).toBeNull();
    expect(b.throughput_iterations).toEqual([{ iteration: 1, wall_seconds: r.wall, executions: 24, successes: 24, qph: b.throughput_qph }]);
    expect(t.scorecard.headline_qph).toBe(b.throughput_qph);
    expect(t.scorecard.headline_qph_kind).toBe('throughput');
  });

  it('ran the streams concurrently: their time intervals overlap', () => {
    const spans = t.benchmark!.streams_results.map((s) => [s.start_offset_seconds, s.finish_offset_seconds] as const);
    // Every pair of streams was running at the same time at some point...
    for (let i = 0; i < spans.length; i++) {
      for (let j = i + 1; j < spans.length; j++) expect(Math.max(spans[i]![0], spans[j]![0])).toBeLessThan(Math.min(spans[i]![1], spans[j]![1]));
    }
    // ...and the wall time is well below the sum of the streams' times, which serial streams would take.
    const wall = recomputed(t, 1).wall;
    const serial = t.benchmark!.streams_results.reduce((sum, s) => sum + s.wall_seconds, 0);
    expect(wall).toBeLessThan(serial * 0.8);
    // Executions of different streams overlap, not only the streams' outer spans.
    const ex = t.benchmark!.streams_results.map((s) => s.executions);
    const overlapping = ex[0]!.some((a) => ex[1]!.some((b) => Math.max(a.start_offset_seconds, b.start_offset_seconds) < Math.min(a.finish_offset_seconds, b.finish_offset_seconds)));
    expect(overlapping).toBe(true);
  });

  it('renders the streams table in the report', () => {
    const html = readFileSync(read(tp).report, 'utf8');
    expect(html).toContain('Throughput streams');
    const rows = html.match(/<tr[^>]*data-stream="\d+"/g) ?? [];
    expect(rows).toHaveLength(3);
    for (const s of t.benchmark!.streams_results) expect(html).toContain(s.order.join(' → '));
    expect(html).toMatch(/8 \/ 8/);
  });
});

describe('composite mode through the CLI', () => {
  it('runs power, then throughput, and reports √(power × throughput)', () => {
    expect(cp.code, cp.stderr).toBe(0);
    const b = c.benchmark!;
    expect(b.mode).toBe('composite');
    expect(b.power_qph).toBeGreaterThan(0);
    expect(b.throughput_qph).toBeGreaterThan(0);
    expect(b.composite_qph).toBeCloseTo(Math.sqrt(b.power_qph! * b.throughput_qph!), 6);
    expect(b.qph).toBe(b.composite_qph);
    expect(b.throughput_qph).toBeCloseTo(recomputed(c, 1).qph, 6);
    expect(b.streams_results).toHaveLength(2);
    // The same seed gives the same orders as the throughput run's first two streams.
    expect(b.streams_results.map((s) => s.order)).toEqual(t.benchmark!.streams_results.slice(0, 2).map((s) => s.order));
    expect(b.queries.every((q) => q.success)).toBe(true);
    expect(c.scorecard.composite_qph).toBe(b.composite_qph);
    expect(c.scorecard.headline_qph_kind).toBe('composite');
  });

  it('refuses a cold throughput run before running anything, naming benchmark.cache', async () => {
    const r = await lakebench(['benchmark', '--local', '--output', out, '--mode', 'throughput', '--cache', 'cold']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/benchmark\.cache/);
    expect(r.stderr).not.toMatch(/Q1 #1/);
  });
});
