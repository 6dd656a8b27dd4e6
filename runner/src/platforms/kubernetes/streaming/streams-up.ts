// When the three streaming jobs are up, decided in one place. A job is up once its driver wrote this
// run's job report (spark-scripts/lakebench_streaming.py writes it as soon as its session exists, before
// it waits for input). Until then the operator is still submitting it, its driver resolving packages or
// its executors starting: minutes on a loaded cluster (3–5 min on the 2-CPU test node), which must not
// be counted as streaming time, or a short run ends before its first micro-batch.
import type { StreamingJob } from '../../streaming.js';
import type { AppView } from './app-state.js';

/** How long the jobs may take to come up before the run gives up on them. */
export const STREAMS_UP_TIMEOUT_S = 900;

/**
 * How long the landing pod and each streaming job run by themselves (from their own start): a safety
 * net should the runner die. The runner stops them when the window closes, and the window opens only
 * once all three jobs are up, at most STREAMS_UP_TIMEOUT_S after their submission. Ending by themselves
 * after durationSeconds, they stopped before the close (bronze-ingest, up first, by the minute and more
 * the other two took on the real node), and silver's lag at the close was that of a stopped pipeline.
 */
export const selfStopSeconds = (c: { durationSeconds: number }): number => c.durationSeconds + STREAMS_UP_TIMEOUT_S;

export type JobStart = { job: StreamingJob; view: AppView; reportWritten: boolean };

export type StreamsUp = { kind: 'up' } | { kind: 'waiting'; waitingFor: string[] } | { kind: 'failed'; job: StreamingJob; error: string };

export function streamsUp(jobs: readonly JobStart[]): StreamsUp {
  for (const j of jobs) {
    if (j.view.phase === 'failed' || j.view.phase === 'deleted') return { kind: 'failed', job: j.job, error: j.view.error ?? `its application is ${j.view.state}` };
  }
  const waiting = jobs.filter((j) => !j.reportWritten);
  return waiting.length === 0 ? { kind: 'up' } : { kind: 'waiting', waitingFor: waiting.map((j) => `${j.job} (${j.view.state})`) };
}

/** The streaming jobs did not come up: one died first, or not all were up in time. */
export class StreamsNotUpError extends Error {
  override readonly name = 'StreamsNotUpError';
  readonly reason = 'STREAMS_NOT_UP';
}
