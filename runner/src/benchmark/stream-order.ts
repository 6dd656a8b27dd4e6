// Throughput-stream orders and throughput QpH arithmetic (benchmark.md §7), kept pure so they can
// be tested without an engine.
import { median } from './qph.js';

/** 32-bit mix of the benchmark seed and the stream index (murmur3's finaliser over both). */
function mix(seed: number, stream: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32: a small seeded generator of floats in [0, 1). */
function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Stream `stream`'s order of the query ids: a Fisher–Yates shuffle seeded by the benchmark seed
 * combined with the stream index, so the same seed always gives every stream the same order.
 */
export function streamOrder<T>(ids: readonly T[], seed: number, stream: number): T[] {
  const random = mulberry32(mix(seed, stream));
  const order = [...ids];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
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
