// Continuous mode when things go wrong, each made to happen for real on the embedded platform:
// a pipeline that cannot keep up with the landing (ingest ratio below the threshold), silver still
// behind when the window closes while bronze_raw has every landed row, a job that dies because its
// table folder became a file, and a run stopped by SIGINT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configSchema, type LakebenchConfig } from '../../runner/src/config/schema.js';
import { EmbeddedPlatform } from '../../runner/src/platforms/embedded/embedded-platform.js';
import { streamingPaths } from '../../runner/src/platforms/embedded/streaming-run.js';
import type { StreamingRun } from '../../runner/src/platforms/streaming.js';
import type { Manifest } from '../../runner/src/datagen/manifest.js';
import { startMaintenance } from '../../runner/src/pipeline/maintenance-schedule.js';
import { continuousBlock, silverLagMaxSeconds } from '../../runner/src/model/continuous-scorecard.js';
import { continuousReasons } from '../../runner/src/model/continuous-verdict.js';
import { jobReportSchema } from '../../runner/src/model/streaming-job-report.js';
import { runRecordSchema } from '../../runner/src/storage/results.js';
import { startLakebench } from '../harness/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-continuous-fail-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ONE_MONTH = { start: '2025-11-01', end: '2025-12-01' };

function config(output: string, continuous: Record<string, unknown>, window: { start: string; end: string } = ONE_MONTH): LakebenchConfig {
  return configSchema.parse({
    scale: 0.01,
    output,
    datagen: { fileSizeMb: 2, workers: 1, window },
    pipeline: { mode: 'continuous' },
    continuous,
  });
}

async function openRun(c: LakebenchConfig, runId: string): Promise<{ run: StreamingRun; base: Manifest; platform: EmbeddedPlatform }> {
  const platform = new EmbeddedPlatform(c.output);
  const base = (await platform.existingManifest(c)) ?? (await platform.generate(c, () => {}));
  const run = await platform.openStreaming({ config: c, continuous: c.continuous, runId, referenceDate: base.totals.event_date_max, base, log: () => {} });
  return { run, base, platform };
}

/** Starts the run; what the window needs to know of it (run-continuous.ts records the same). */
async function startRun(run: StreamingRun): Promise<{ openedAt: string }> {
  const openedAt = new Date().toISOString();
  await run.start();
  return { openedAt };
}

/** Closes the window now (as the orchestrator does: the close, then the stop with its catch-up batches) and judges the run. */
async function verdictOf(run: StreamingRun, c: LakebenchConfig, base: Manifest, seconds: number, openedAt: string) {
  const closedAt = new Date().toISOString();
  const jobs = await run.stop('duration');
  const seen = await run.observe();
  const block = continuousBlock({
    durationSeconds: seconds,
    base: { files: base.totals.file_count, rows: base.totals.total_rows, bytes: base.totals.total_bytes, filteredRows: base.aggregates.rows_by_data_quality_flag.duplicate_suspected ?? 0 },
    landed: seen.landed,
    jobs,
    goldCommits: seen.gold_commits,
    rounds: [],
    cores: 2,
    batchBaselineQph: null,
    saturationRatio: 0.95,
    window: { openedAt, closedAt },
    silverLagMaxSeconds: silverLagMaxSeconds(c.continuous.triggers),
    maintenance: await startMaintenance({ streaming: run, config: c.continuous.maintenance, durationSeconds: seconds, startMs: Date.parse(openedAt), log: () => {} }).stop(),
  });
  return { block, reasons: continuousReasons(block, { ingestRatioMin: 0.95, roundsExpected: false }) };
}

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('continuous mode failures, made to happen', () => {
  const out = path.join(tmp, 'shared');
  beforeAll(async () => {
    // The base set, generated once for the tests of this file.
    const c = config(out, {});
    await new EmbeddedPlatform(out).generate(c, () => {});
  }, 300_000);

  it('marks a pipeline that cannot keep up saturated and FAILS it on the ingest ratio', async () => {
    // One file per 4 s trigger against a base set of 13 files and a landing of one file a second.
    const c = config(out, { landing: { filesPerMinute: 60 }, triggers: { bronzeSeconds: 4, silverSeconds: 4, goldRefreshSeconds: 4 }, maxFilesPerTrigger: 1 });
    const { run, base } = await openRun(c, '20260101-000000-aaaaaa');
    const { openedAt } = await startRun(run);
    await sleep(10_000);
    const { block, reasons } = await verdictOf(run, c, base, 10, openedAt);
    expect(block.scorecard.ingest_ratio!).toBeLessThan(0.95);
    expect(block.scorecard.pipeline_saturated).toBe(true);
    expect(block.landed.extra_files).toBeGreaterThanOrEqual(1);
    expect(reasons.map((r) => `${r.severity} ${r.code}`)).toContain('FAILED INGEST_RATIO_LOW');
    // Every job stopped cleanly: saturation is not a crash.
    for (const j of block.jobs) expect(j.stopped_by).toBe('duration');
  }, 120_000);

  it('marks a pipeline saturated and FAILS it when silver is still behind at the window close, though bronze_raw has every landed row', async () => {
    // A base set over a one-year window: silver-stream's first micro-batch writes it into 365 daily
    // partitions, which takes far longer than the 0.1 s triggers allow (a lag of at most
    // 2 × (0.1 + 0.1) s). The window closes right after bronze-ingest committed the base set,
    // while that silver batch runs; the stop's catch-up batches then bring bronze_raw (and silver) up to date.
    const out2 = path.join(tmp, 'one-year');
    const c = config(out2, { landing: { filesPerMinute: 6 }, triggers: { bronzeSeconds: 0.1, silverSeconds: 0.1, goldRefreshSeconds: 60 }, maxFilesPerTrigger: 100 }, { start: '2025-01-01', end: '2026-01-01' });
    const { run, base } = await openRun(c, '20260101-000000-dddddd');
    const { openedAt } = await startRun(run);
    for (let i = 0; i < 600; i++) {
      const seen = await run.observe();
      const ingested = seen.jobs.find((j) => j.job === 'bronze-ingest')!.batches.length > 0;
      if (ingested && Date.now() - Date.parse(openedAt) > 1000 * silverLagMaxSeconds(c.continuous.triggers)) break;
      await sleep(20);
    }
    const { block, reasons } = await verdictOf(run, c, base, 1, openedAt);
    const silver = block.jobs.find((j) => j.job === 'silver-stream')!;
    // Silver did get there, after the close: its rows are all in, so only the lag at the close shows the backlog.
    expect(silver.rows).toBe(base.totals.total_rows - (base.aggregates.rows_by_data_quality_flag.duplicate_suspected ?? 0) + block.landed.files.reduce((n, f) => n + f.rows - f.filtered_rows, 0));
    expect(block.scorecard.ingest_ratio).toBe(1);
    expect(block.scorecard.silver_lag_max_seconds).toBeCloseTo(0.4, 9);
    expect(block.scorecard.silver_lag_seconds!).toBeGreaterThan(0.4);
    expect(block.scorecard.pipeline_saturated).toBe(true);
    expect(reasons.map((r) => `${r.severity} ${r.code}`)).toContain('FAILED SILVER_LAG_HIGH');
    expect(reasons.map((r) => r.code)).not.toContain('INGEST_RATIO_LOW');
    for (const j of block.jobs) expect(j.stopped_by).toBe('duration');
  }, 300_000);

  it('FAILS a run whose job died: bronze_raw turned into a file under bronze-ingest', async () => {
    const c = config(out, { landing: { filesPerMinute: 6 }, triggers: { bronzeSeconds: 2, silverSeconds: 3, goldRefreshSeconds: 5 }, maxFilesPerTrigger: 2 });
    const runId = '20260101-000000-bbbbbb';
    const { run, base, platform } = await openRun(c, runId);
    const { openedAt } = await startRun(run);
    // Wait for the first ingest batch, then make the table's folder a plain file.
    for (let i = 0; i < 100 && (await run.observe()).jobs.find((j) => j.job === 'bronze-ingest')!.batches.length === 0; i++) await sleep(200);
    const bronzeRaw = streamingPaths(platform.warehouse, c.continuous.checkpointBase, runId).bronzeRaw;
    rmSync(bronzeRaw, { recursive: true, force: true });
    writeFileSync(bronzeRaw, 'not a folder');
    await sleep(5000);
    const live = (await run.observe()).jobs.find((j) => j.job === 'bronze-ingest')!;
    expect(live.stopped_by).toBe('failed');
    const { block, reasons } = await verdictOf(run, c, base, 10, openedAt);
    const ingest = block.jobs.find((j) => j.job === 'bronze-ingest')!;
    expect(ingest.stopped_by).toBe('failed');
    expect(ingest.error).toMatch(/EEXIST|ENOTDIR|not a directory|file exists/i);
    expect(reasons.map((r) => `${r.severity} ${r.code}`)).toContain('FAILED STREAMING_JOB_FAILED');
    // Its report says so too, for whoever reads the checkpoints.
    const report = jobReportSchema.parse(JSON.parse(readFileSync(path.join(platform.warehouse.root, 'checkpoints', runId, 'bronze-ingest', 'report.json'), 'utf8')));
    expect(report.stopped_by).toBe('failed');
    rmSync(bronzeRaw, { force: true });
  }, 120_000);

  it('stops cleanly on SIGINT: the jobs record stopped_by signal and the run ends incomplete', async () => {
    const out2 = path.join(tmp, 'signal');
    const cfg = path.join(tmp, 'signal.yaml');
    writeFileSync(cfg, `scale: 0.01\noutput: ${out2}\ndatagen: { fileSizeMb: 2, workers: 1, window: { start: '2025-11-01', end: '2025-12-01' } }\ncontinuous: { triggers: { bronzeSeconds: 2, silverSeconds: 3, goldRefreshSeconds: 5 }, landing: { filesPerMinute: 20 } }\n`);
    const p = startLakebench(['run', '--config', cfg, '--mode', 'continuous', '--duration', '300']);
    for (let i = 0; i < 600 && !/landing: part-\d+\.parquet/.test(p.stderr()); i++) await sleep(250);
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code, r.stderr).toBe(130);
    const runId = /run (\d{8}-\d{6}-[0-9a-f]{6}): continuous/.exec(r.stderr)![1]!;
    const record = runRecordSchema.parse(JSON.parse(readFileSync(path.join(out2, 'runs', runId, 'run.json'), 'utf8')));
    expect(record.state).toBe('incomplete');
    expect(record.reason).toBe('interrupted by SIGINT');
    for (const job of ['bronze-ingest', 'silver-stream', 'gold-refresh']) {
      const report = jobReportSchema.parse(JSON.parse(readFileSync(path.join(out2, 'warehouse', 'checkpoints', runId, job, 'report.json'), 'utf8')));
      expect(report.stopped_by, job).toBe('signal');
    }
  }, 300_000);
});
