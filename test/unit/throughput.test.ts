// Throughput mode's pure parts (docs/benchmark.md §7): seeded stream orders, the throughput QpH formula,
// composite QpH and the median over iterations.
import { describe, expect, it } from 'vitest';
import { streamOrder, throughputQph, throughputWallSeconds, medianThroughputQph } from '../../runner/src/benchmark/stream-order.js';
import { compositeQph } from '../../runner/src/benchmark/qph.js';
import { assertThroughputCache } from '../../runner/src/benchmark/throughput-run.js';
import { QUERIES } from '../../runner/src/sql/queries.js';

const IDS = QUERIES.map((q) => q.id);

describe('stream orders', () => {
  it('are deterministic per (seed, stream)', () => {
    for (const seed of [0, 42, 7, 2 ** 31 - 1]) {
      for (let s = 0; s < 8; s++) expect(streamOrder(IDS, seed, s)).toEqual(streamOrder(IDS, seed, s));
    }
    // Recorded once, so a change of the shuffle (which would change every run's orders) is noticed.
    expect(streamOrder(IDS, 42, 0)).toMatchInlineSnapshot(`
      [
        "Q9",
        "Q2",
        "Q4",
        "Q6",
        "Q5",
        "Q3",
        "Q1",
        "Q7",
      ]
    `);
  });

  it('are permutations of the 8 query ids', () => {
    expect(IDS).toHaveLength(8);
    for (const seed of [1, 42, 1234]) {
      for (let s = 0; s < 64; s++) expect([...streamOrder(IDS, seed, s)].sort()).toEqual([...IDS].sort());
    }
  });

  it('differ across streams and across seeds', () => {
    const orders = Array.from({ length: 8 }, (_, s) => streamOrder(IDS, 42, s).join(','));
    expect(new Set(orders).size).toBe(8);
    const first = Array.from({ length: 4 }, (_, s) => streamOrder(IDS, 42, s).join(','));
    const other = Array.from({ length: 4 }, (_, s) => streamOrder(IDS, 43, s).join(','));
    expect(first).not.toEqual(other);
    // Not the catalogue order for every stream: they are shuffled.
    expect(orders.filter((o) => o === IDS.join(','))).toHaveLength(0);
  });

  it('do not mutate the input', () => {
    const ids = [...IDS];
    streamOrder(ids, 42, 3);
    expect(ids).toEqual(IDS);
  });
});

describe('throughput QpH', () => {
  it('is successful executions over all streams ÷ first start → last finish × 3600', () => {
    // Two streams of two queries; stream 1 starts 1 s late and finishes last at 10 s.
    const executions = [
      { success: true, startSeconds: 0, finishSeconds: 4 },
      { success: true, startSeconds: 4, finishSeconds: 6 },
      { success: true, startSeconds: 1, finishSeconds: 7 },
      { success: true, startSeconds: 7, finishSeconds: 10 },
    ];
    expect(throughputWallSeconds(executions)).toBe(10);
    expect(throughputQph(executions)).toBe((4 / 10) * 3600);
  });

  it('counts a failed execution nothing while its time stays in the wall', () => {
    const executions = [
      { success: true, startSeconds: 2, finishSeconds: 5 },
      { success: false, startSeconds: 5, finishSeconds: 20 }, // e.g. a timeout, the last to finish
      { success: true, startSeconds: 2, finishSeconds: 8 },
    ];
    expect(throughputWallSeconds(executions)).toBe(18);
    expect(throughputQph(executions)).toBe((2 / 18) * 3600);
  });

  it('is 0, never NaN, when everything fails or nothing ran', () => {
    expect(throughputQph([{ success: false, startSeconds: 0, finishSeconds: 3 }])).toBe(0);
    expect(throughputQph([])).toBe(0);
    expect(throughputWallSeconds([])).toBe(0);
  });

  it('reports the median over iterations', () => {
    expect(medianThroughputQph([900, 100, 500])).toBe(500);
    expect(medianThroughputQph([100, 300])).toBe(200);
    expect(medianThroughputQph([250])).toBe(250);
  });
});

describe('composite QpH', () => {
  it('is √(power × throughput), null when either part did not run', () => {
    expect(compositeQph(400, 900)).toBe(600);
    expect(compositeQph(1234.5, 987.6)).toBeCloseTo(Math.sqrt(1234.5 * 987.6), 9);
    expect(compositeQph(0, 900)).toBe(0);
    expect(compositeQph(null, 900)).toBeNull();
  });
});

describe('cache with concurrent streams', () => {
  it('refuses cold throughput naming benchmark.cache, allows hot', () => {
    expect(() => assertThroughputCache('throughput', 'cold')).toThrow(/benchmark\.cache 'cold' cannot be used with benchmark\.mode 'throughput'/);
    expect(() => assertThroughputCache('composite', 'hot')).not.toThrow();
    const thrown = (() => {
      try {
        assertThroughputCache('composite', 'cold');
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(thrown?.name).toBe('BadInputError');
  });
});
