// Throughput-stream orders and throughput QpH arithmetic (docs/benchmark.md §7), kept pure so they can
// be tested without an engine.
import { Stream } from '../datagen/random.js';
import { median } from './qph.js';

/**
 * Stream `stream`'s order of the query ids: a Fisher–Yates shuffle drawn from the project's one
 * deterministic random stream (datagen's xoshiro128**), keyed by the benchmark seed and the stream
 * index, so the same seed always gives every stream the same order.
 */
export function streamOrder<T>(ids: readonly T[], seed: number, stream: number): T[] {
  const draws = Stream.derive(`benchmark-throughput:${seed}`, `stream:${stream}`);
  const order = [...ids];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(draws.float() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** One execution of a throughput test, times in seconds from any common origin. */
export type TimedExecution = { success: boolean; startSeconds: number; finishSeconds: number };

/** Wall seconds of a throughput test: from the first start to the last finish, over all streams. */
export function throughputWallSeconds(executions: readonly TimedExecution[]): number {
  if (executions.length === 0) return 0;
  return Math.max(...executions.map((e) => e.finishSeconds)) - Math.min(...executions.map((e) => e.startSeconds));
}

/** Successful executions over all streams ÷ wall seconds × 3600; a failure counts nothing (its time stays in the wall). */
export function throughputQph(executions: readonly TimedExecution[]): number {
  const wall = throughputWallSeconds(executions);
  const successes = executions.filter((e) => e.success).length;
  return wall > 0 ? (successes / wall) * 3600 : 0;
}

/** With iterations > 1 the whole throughput test repeats; the median of their QpH is reported. */
export const medianThroughputQph = (perIteration: readonly number[]): number => median(perIteration);
