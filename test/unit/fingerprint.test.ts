import { describe, expect, it } from 'vitest';
import { canonicalCell, fingerprint } from '../../runner/src/benchmark/fingerprint.js';

describe('result fingerprints', () => {
  it('canonicalises cells as docs/benchmark.md §9 says', () => {
    expect(canonicalCell(null)).toBe('null');
    expect(canonicalCell(12n)).toBe('12');
    expect(canonicalCell(12)).toBe('12');
    expect(canonicalCell(3.0)).toBe('3');
    expect(canonicalCell(1234567.891234567)).toBe('1234567.891');
    expect(canonicalCell(0.1 + 0.2)).toBe('0.3');
    expect(canonicalCell({ date: '2024-01-01' })).toBe('"2024-01-01"');
    expect(canonicalCell('a"b')).toBe('"a\\"b"');
    expect(canonicalCell(true)).toBe('true');
  });

  it('does not depend on row order', () => {
    const a = fingerprint(['x', 'y'], [[1n, 'a'], [2n, 'b']]);
    const b = fingerprint(['x', 'y'], [[2n, 'b'], [1n, 'a']]);
    expect(a).toBe(b);
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('does depend on values, column names and integer vs float-noise only past 10 digits', () => {
    const base = fingerprint(['x'], [[1.5]]);
    expect(fingerprint(['x'], [[1.25]])).not.toBe(base);
    expect(fingerprint(['y'], [[1.5]])).not.toBe(base);
    expect(fingerprint(['X'], [[1.5]])).toBe(base); // names are lower-cased
    expect(fingerprint(['x'], [[1.5000000000001]])).toBe(base); // last-bit noise is absorbed
  });

  it('treats an engine’s BIGINT and an integral DOUBLE alike', () => {
    expect(fingerprint(['n'], [[730n]])).toBe(fingerprint(['n'], [[730]]));
  });
});
