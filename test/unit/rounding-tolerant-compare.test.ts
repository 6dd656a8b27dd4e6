// The tolerant comparison of docs/benchmark.md §9 behind "fingerprints differ only by rounding": integers
// and text exact, a rounded column (QueryDef.rounding) within one unit of its last decimal, other
// doubles within 1e-9 relative; anything else is a different answer.
import { describe, expect, it } from 'vitest';
import { compareAnswers } from '../../runner/src/benchmark/tolerant-compare.js';
import { QUERIES } from '../../runner/src/sql/queries.js';
import type { Cell } from '../../runner/src/engines/engine.js';

const q5 = QUERIES.find((q) => q.id === 'Q5')!; // revenue, revenue_ma7: 2 decimals; dau_ma7: 0
const columns = ['interaction_date', 'dau', 'revenue', 'total_interactions', 'revenue_ma7', 'dau_ma7'];
const row = (date: string, revenue: number, over: Record<string, Cell> = {}): Cell[] => {
  const cells: Record<string, Cell> = { interaction_date: { date }, dau: 40n, revenue, total_interactions: 50n, revenue_ma7: 100.5, dau_ma7: 41, ...over };
  return columns.map((c) => cells[c] ?? null);
};
const answer = (rows: Cell[][]) => ({ columns, rows });

describe('compareAnswers', () => {
  it('finds identical answers identical, whatever the row order', () => {
    const a = answer([row('2025-01-02', 10.25), row('2025-01-01', 11)]);
    const b = answer([row('2025-01-01', 11), row('2025-01-02', 10.25)]);
    expect(compareAnswers(q5, a, b)).toEqual({ kind: 'identical' });
  });

  it('tolerates one unit of the last decimal in a rounded column, and names the cell', () => {
    expect(compareAnswers(q5, answer([row('2025-01-01', 10.25)]), answer([row('2025-01-01', 10.26)]))).toEqual({ kind: 'rounding', detail: 'revenue 10.25 against 10.26' });
    expect(compareAnswers(q5, answer([row('2025-01-01', 1, { dau_ma7: 41 })]), answer([row('2025-01-01', 1, { dau_ma7: 42 })])).kind).toBe('rounding');
  });

  it('calls more than one unit, an integer difference or a text difference a different answer', () => {
    expect(compareAnswers(q5, answer([row('2025-01-01', 10.25)]), answer([row('2025-01-01', 10.27)]))).toEqual({ kind: 'different', detail: 'row 1: revenue 10.25 against 10.27 (more than 1e-2)' });
    expect(compareAnswers(q5, answer([row('2025-01-01', 1)]), answer([row('2025-01-01', 1, { dau: 41n })])).kind).toBe('different');
    expect(compareAnswers(q5, answer([row('2025-01-01', 1, { dau_ma7: 41 })]), answer([row('2025-01-01', 1, { dau_ma7: 43 })])).kind).toBe('different');
    expect(compareAnswers(q5, answer([row('2025-01-01', 1)]), answer([row('2025-01-02', 1)])).kind).toBe('different');
    expect(compareAnswers(q5, answer([row('2025-01-01', 1)]), answer([row('2025-01-01', 1, { revenue: null })])).kind).toBe('different');
  });

  it('gives doubles outside the rounded columns 1e-9 relative, no more', () => {
    const q9 = QUERIES.find((q) => q.id === 'Q9')!;
    const cols = ['interaction_date', 'avg_engagement_score'];
    const a = { columns: cols, rows: [[{ date: '2025-01-01' }, 55.123456789012]] as Cell[][] };
    expect(compareAnswers(q9, a, { columns: cols, rows: [[{ date: '2025-01-01' }, 55.123456789012 * (1 + 5e-10)]] }).kind).toBe('rounding');
    expect(compareAnswers(q9, a, { columns: cols, rows: [[{ date: '2025-01-01' }, 55.123456789012 * (1 + 5e-9)]] }).kind).toBe('different');
  });

  it('pairs rows by their exact cells, so a rounding difference does not pair a row with another group', () => {
    const a = answer([row('2025-01-01', 10.01), row('2025-01-02', 10.02)]);
    const b = answer([row('2025-01-02', 10.01), row('2025-01-01', 10.02)]);
    expect(compareAnswers(q5, a, b)).toEqual({ kind: 'rounding', detail: 'revenue 10.01 against 10.02; revenue 10.02 against 10.01' });
  });

  it('calls a different column list or row count a different answer', () => {
    const a = answer([row('2025-01-01', 1)]);
    expect(compareAnswers(q5, a, answer([]))).toEqual({ kind: 'different', detail: '1 rows against 0' });
    expect(compareAnswers(q5, a, { columns: columns.slice(1), rows: [row('2025-01-01', 1).slice(1)] }).kind).toBe('different');
  });
});
