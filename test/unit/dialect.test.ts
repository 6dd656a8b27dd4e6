import { describe, expect, it } from 'vitest';
import { adapt } from '../../runner/src/sql/dialect.js';
import { QUERIES } from '../../runner/src/sql/queries.js';
import { silverSelect } from '../../runner/src/sql/silver.js';

const tables = { silver: 's.t', gold: 'g.t', bronze: 'b' };

describe('dialect adaptation', () => {
  it('leaves the reference (Trino) dialect alone apart from table names', () => {
    expect(adapt("SELECT date_add('month', 3, d) FROM {silver}", 'trino', tables)).toBe("SELECT date_add('month', 3, d) FROM s.t");
  });

  it('rewrites month arithmetic per engine', () => {
    const sql = "date_add('month', 3, (SELECT min(d) FROM x))";
    expect(adapt(sql, 'duckdb', tables)).toBe('CAST(((SELECT min(d) FROM x)) + INTERVAL (3) MONTH AS DATE)');
    expect(adapt(sql, 'spark', tables)).toBe('add_months((SELECT min(d) FROM x), 3)');
  });

  it('reverses date_diff arguments for Spark only', () => {
    const sql = "date_diff('day', a, max(b) OVER ())";
    expect(adapt(sql, 'duckdb', tables)).toBe(sql);
    expect(adapt(sql, 'spark', tables)).toBe('datediff(max(b) OVER (), a)');
  });

  it('makes DuckDB regexp_replace global and maps ISO weekday functions', () => {
    expect(adapt("regexp_replace(p, '[^0-9]', '')", 'duckdb', tables)).toBe("regexp_replace(p, '[^0-9]', '', 'g')");
    expect(adapt('day_of_week(ts)', 'duckdb', tables)).toBe('isodow(ts)');
    expect(adapt('day_of_week(ts)', 'spark', tables)).toBe('(weekday(ts) + 1)');
    expect(adapt('week(ts)', 'spark', tables)).toBe('weekofyear(ts)');
  });

  it('rewrites nested calls and ignores names inside string literals and longer identifiers', () => {
    expect(adapt("date_add('month', 1, date_add('month', 2, d))", 'spark', tables)).toBe('add_months(add_months(d, 2), 1)');
    expect(adapt("SELECT 'date_add(x)' AS week_start, my_week(x)", 'spark', tables)).toBe("SELECT 'date_add(x)' AS week_start, my_week(x)");
  });

  it('refuses units it has no rewrite for instead of emitting wrong SQL', () => {
    expect(() => adapt("date_add('day', 1, d)", 'spark', tables)).toThrow(/no Spark rewrite/);
  });

  it('adapts every benchmark query and the silver transform without leftovers', () => {
    for (const q of QUERIES) {
      for (const d of ['duckdb', 'spark'] as const) {
        const out = adapt(q.sql, d, tables);
        expect(out).not.toMatch(/\{(silver|gold|bronze)\}/);
        expect(out).not.toMatch(/\bdate_add\s*\(/);
        if (d === 'spark') expect(out).not.toMatch(/\bdate_diff\s*\(/);
      }
    }
    const spark = adapt(silverSelect('2025-12-30'), 'spark', tables);
    expect(spark).toContain("datediff(DATE '2025-12-30', interaction_date)");
    expect(spark).not.toContain('day_of_week(');
  });
});
