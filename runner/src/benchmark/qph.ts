// QpH arithmetic (docs/benchmark.md §7). A failed query adds its time to the denominator and nothing to
// the numerator; if every query fails QpH is 0, never undefined.
import type { QueryClass } from '../model/metrics.js';

export type Timed = { success: boolean; elapsedSeconds: number };

export function qph(results: readonly Timed[]): number {
  const seconds = results.reduce((s, r) => s + r.elapsedSeconds, 0);
  const successes = results.filter((r) => r.success).length;
  return seconds > 0 ? (successes / seconds) * 3600 : 0;
}

/** Per class: successful queries of the class ÷ Σ of their elapsed × 3600; null for an absent class. */
export function qphByClass(results: readonly (Timed & { class: QueryClass })[]): Record<QueryClass, number | null> {
  const classes: QueryClass[] = ['scan', 'filter_prune', 'aggregation', 'analytics', 'operational'];
  return Object.fromEntries(
    classes.map((c) => {
      const of = results.filter((r) => r.class === c);
      return [c, of.length ? qph(of) : null];
    }),
  ) as Record<QueryClass, number | null>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1]!;
}

export const compositeQph = (power: number | null, throughput: number | null): number | null =>
  power === null || throughput === null ? null : Math.sqrt(power * throughput);
