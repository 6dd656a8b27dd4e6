// The continuous run's window closes at its deadline (start + durationSeconds), not when the round or
// maintenance pass still running then has finished: silver's lag is judged at the close and
// duration_seconds is the streaming window (docs/pipeline.md §8.6). Driven through the orchestrator's
// stream phase on real timers and node-cron, with the real embedded platform for its cores and a small
// in-memory StreamingRun whose one maintenance pass takes longer than the window has left (a cluster
// pass over large tables can take minutes).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configSchema, type LakebenchConfig } from '../../runner/src/config/schema.js';
import { EmbeddedPlatform } from '../../runner/src/platforms/embedded/embedded-platform.js';
import { STREAMING_JOBS, type MaintenanceRequest, type StreamingJobState, type StreamingObservation, type StreamingRun } from '../../runner/src/platforms/streaming.js';
import type { MaintenanceActionRecord } from '../../runner/src/model/continuous-maintenance.js';
import { streamPhase } from '../../runner/src/pipeline/run-continuous.js';
import { continuousBlock } from '../../runner/src/model/continuous-scorecard.js';
import { continuousReasons } from '../../runner/src/model/continuous-verdict.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-window-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Streams that land nothing and never refresh gold; their one maintenance pass takes `passMs`. */
class SlowMaintenanceStreams implements StreamingRun {
  readonly maintenanceSkipReason = null;
  passEndedMs: number | null = null;
  stoppedMs: number | null = null;

  constructor(private readonly passMs: number) {}

  async start(): Promise<void> {}

  private jobs(): StreamingJobState[] {
    const stopped = this.stoppedMs !== null;
    return STREAMING_JOBS.map((job) => ({ job, state: stopped ? 'stopped' : 'running', stopped_by: stopped ? 'duration' : null, restarts: 0, batches: [] }));
  }

  async observe(): Promise<StreamingObservation> {
    return { observed_at: new Date().toISOString(), landed: [], jobs: this.jobs(), gold_commits: [], silver_rows: 0 };
  }

  async stop(): Promise<StreamingJobState[]> {
    this.stoppedMs = Date.now();
    return this.jobs();
  }

  async maintain(request: MaintenanceRequest): Promise<MaintenanceActionRecord[]> {
    const started = Date.now();
    await sleep(this.passMs);
    this.passEndedMs = Date.now();
    return [{ pass: request.pass, started_at: new Date(started).toISOString(), table: 'silver', action: 'expire_snapshots', status: 'ok', seconds: (Date.now() - started) / 1000, older_than_seconds: request.retentionThresholdSeconds, detail: null, error: null }];
  }
}

/**
 * A 2 s window with a maintenance pass due 1 s in and rounds every second from the start. The
 * schema's floors (60 s runs, 300 s retention interval) are for users; the orchestrator's timing does
 * not depend on them, so the parsed config is shortened here.
 */
function shortRun(): LakebenchConfig {
  const parsed = configSchema.parse({ scale: 0.01, output: tmp, pipeline: { mode: 'continuous' }, continuous: { rounds: { schedule: '* * * * * *', warmupSeconds: 0 } } });
  return { ...parsed, continuous: { ...parsed.continuous, durationSeconds: 2, maintenance: { ...parsed.continuous.maintenance, retentionIntervalSeconds: 1 } } };
}

describe('continuous run: the window closes at the deadline', () => {
  it('closes the window, and ends duration_seconds, at start + duration though a maintenance pass runs 3 s past it', async () => {
    const config = shortRun();
    const streams = new SlowMaintenanceStreams(4000);
    const logged: string[] = [];
    const facts = await streamPhase({ config, platform: new EmbeddedPlatform(tmp), progress: { line: () => {} }, log: (line) => logged.push(line) }, streams, { files: 0, rows: 0, bytes: 0, filteredRows: 0 });
    const opened = Date.parse(facts.window.openedAt);
    const closed = Date.parse(facts.window.closedAt);
    const deadline = opened + config.continuous.durationSeconds * 1000;
    // The pass (1 s in, 4 s long) was waited for before the stop, and recorded.
    expect(facts.maintenance.passes).toBe(1);
    expect(facts.maintenance.actions.map((a) => `${a.action} ${a.status}`)).toEqual(['expire_snapshots ok']);
    expect(streams.stoppedMs!).toBeGreaterThanOrEqual(streams.passEndedMs!);
    expect(streams.passEndedMs! - deadline).toBeGreaterThan(2000);
    // The window closed at the deadline (never before it: a timer firing a millisecond early by the
    // wall clock is waited out), not when the pass let the stop happen.
    expect(closed).toBeGreaterThanOrEqual(deadline);
    expect(closed - deadline).toBeLessThan(1000);
    expect(closed).toBeLessThan(streams.passEndedMs!);
    expect(facts.durationSeconds).toBe((closed - opened) / 1000);
    expect(facts.durationSeconds).toBeLessThan(3);
    // The run log says what held the stop back.
    expect(logged.some((l) => /^window closed after 2\.\d s; the round or maintenance pass in flight then took \d+\.\d s more to finish$/.test(l)), logged.join('\n')).toBe(true);
    // The rounds fired and found no gold commit: the verdict says so rather than blaming the schedule.
    expect(facts.rounds.length).toBeGreaterThanOrEqual(1);
    for (const r of facts.rounds) expect(r.skip_reason).toBe('gold has no commit yet');
    const noRounds = continuousReasons(continuousBlock(facts), { ingestRatioMin: 0.95, roundsExpected: true }).find((r) => r.code === 'NO_ROUNDS');
    expect(noRounds?.message).toBe(`in-stream rounds were expected but none ran (${facts.rounds.length === 1 ? '1 round fired, skipped' : `${facts.rounds.length} rounds fired, all skipped`}: gold has no commit yet)`);
  }, 20_000);
});
