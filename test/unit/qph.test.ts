import { describe, expect, it } from 'vitest';
import { qph, qphByClass, median, percentile, compositeQph } from '../../runner/src/benchmark/qph.js';

describe('QpH maths', () => {
  it('is successes ÷ total seconds × 3600', () => {
    expect(qph([{ success: true, elapsedSeconds: 1 }, { success: true, elapsedSeconds: 3 }])).toBe(1800);
  });

  it('counts a failed query’s time but never the query', () => {
    const ok = { success: true, elapsedSeconds: 2 };
    const failed = { success: false, elapsedSeconds: 6 };
    expect(qph([ok, failed])).toBe(450); // 1 success in 8 s, not 2 in 8 s
  });

  it('is 0 when every query failed (the reference scored 8 failures in 14 s as 1,950)', () => {
    const failures = Array.from({ length: 8 }, () => ({ success: false, elapsedSeconds: 14 / 8 }));
    expect(qph(failures)).toBe(0);
    expect(qph([])).toBe(0);
  });

  it('scores each class on its own queries, null for an absent class', () => {
    const byClass = qphByClass([
      { class: 'scan', success: true, elapsedSeconds: 2 },
      { class: 'filter_prune', success: true, elapsedSeconds: 1 },
      { class: 'filter_prune', success: false, elapsedSeconds: 3 },
    ]);
    expect(byClass.scan).toBe(1800);
    expect(byClass.filter_prune).toBe(900);
    expect(byClass.operational).toBeNull();
  });

  it('takes medians and nearest-rank percentiles', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([7], 95)).toBe(7);
  });

  it('combines power and throughput geometrically, only when both ran', () => {
    expect(compositeQph(100, 400)).toBe(200);
    expect(compositeQph(100, null)).toBeNull();
  });
});
