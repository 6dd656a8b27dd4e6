// Schedules the in-stream rounds with a node-cron expression (continuous.rounds.schedule). No round
// starts before the warm-up has passed. Rounds never overlap: when the schedule fires while a round
// is still running, that firing is a skipped round, recorded with the round it gave way to.
import cron from 'node-cron';
import type { RoundRecord } from '../model/continuous-metrics.js';
import { skippedRound } from './in-stream-round.js';

export type RoundScheduler = {
  /** Stops the schedule and waits for the round in flight; every record, in firing order. */
  stop(): Promise<RoundRecord[]>;
};

export function startRoundScheduler(opts: {
  schedule: string;
  /** No round before this instant (run start + warm-up). */
  notBefore: Date;
  runRound: (index: number, scheduledAt: Date) => Promise<RoundRecord>;
  log: (line: string) => void;
}): RoundScheduler {
  const records: RoundRecord[] = [];
  let running: { index: number; done: Promise<void> } | undefined;
  let next = 0;
  const fire = (at: Date) => {
    if (at < opts.notBefore) return;
    const index = next++;
    if (running) {
      records.push(skippedRound(index, at, `round ${running.index} was still running`));
      opts.log(`round ${index}: skipped, round ${running.index} is still running`);
      return;
    }
    const done = opts
      .runRound(index, at)
      .then((r) => {
        records.push(r);
        if (r.status === 'skipped') return opts.log(`round ${index}: skipped, ${r.skip_reason}`);
        opts.log(`round ${index}: QpH ${r.qph?.toFixed(1) ?? '—'}, ${r.failed_queries.length} failed, query-time freshness ${r.query_time_freshness_seconds?.toFixed(1) ?? '—'} s`);
      })
      .catch((e: unknown) => opts.log(`round ${index} could not run: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        running = undefined;
      });
    running = { index, done };
  };
  // noOverlap stays off: an overlapping firing must reach `fire` so that the skip is recorded here.
  const task = cron.schedule(opts.schedule, (ctx) => fire(ctx.date), { name: 'lakebench-rounds', noOverlap: false });
  return {
    stop: async () => {
      await task.stop();
      await task.destroy();
      await running?.done;
      return records.sort((a, b) => a.round_index - b.round_index);
    },
  };
}
