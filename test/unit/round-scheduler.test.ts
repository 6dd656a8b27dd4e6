// The in-stream round scheduler on real node-cron timers: no round before the warm-up, and a round
// still running when the schedule fires again makes that firing a recorded skip, never an overlap.
import { describe, expect, it } from 'vitest';
import { startRoundScheduler } from '../../runner/src/benchmark/round-scheduler.js';
import type { RoundRecord } from '../../runner/src/model/continuous-metrics.js';

const completed = (index: number, at: Date, start: Date): RoundRecord => ({
  round_index: index, scheduled_at: at.toISOString(), start_time: start.toISOString(), end_time: new Date().toISOString(), status: 'completed',
  skip_reason: null, error: null, gold_commit_id: null, source_max_processing_ts: null, query_time_freshness_seconds: null, qph: 1, queries: [], failed_queries: [], q9: null,
});

describe('in-stream round scheduler (node-cron)', () => {
  it('skips, and records, a firing while the previous round still runs; rounds never overlap', async () => {
    let active = 0;
    let maxActive = 0;
    const scheduler = startRoundScheduler({
      schedule: '* * * * * *', // every second
      notBefore: new Date(0),
      log: () => {},
      runRound: async (index, at) => {
        const start = new Date();
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 2500)); // longer than two periods
        active--;
        return completed(index, at, start);
      },
    });
    await new Promise((r) => setTimeout(r, 5600));
    const records = await scheduler.stop();
    expect(maxActive).toBe(1);
    const skipped = records.filter((r) => r.status === 'skipped');
    const ran = records.filter((r) => r.status === 'completed');
    expect(ran.length).toBeGreaterThanOrEqual(1);
    expect(skipped.length).toBeGreaterThanOrEqual(2);
    for (const s of skipped) expect(s.skip_reason).toMatch(/^round \d+ was still running$/);
    expect(records.map((r) => r.round_index)).toEqual(records.map((_, k) => k));
  }, 20_000);

  it('starts no round before the warm-up has passed', async () => {
    const started: Date[] = [];
    const notBefore = new Date(Date.now() + 2200);
    const scheduler = startRoundScheduler({
      schedule: '* * * * * *',
      notBefore,
      log: () => {},
      runRound: async (index, at) => {
        started.push(new Date());
        return completed(index, at, new Date());
      },
    });
    await new Promise((r) => setTimeout(r, 4500));
    const records = await scheduler.stop();
    expect(records.length).toBeGreaterThanOrEqual(1);
    for (const s of started) expect(s.getTime()).toBeGreaterThanOrEqual(notBefore.getTime() - 1000); // cron fires on the second, the check uses its scheduled time
    for (const r of records) expect(Date.parse(r.scheduled_at)).toBeGreaterThanOrEqual(notBefore.getTime());
  }, 20_000);
});
