// Every statement is written once in the reference dialect (Trino SQL) and adapted here, per engine,
// by rewriting the few function calls whose name or argument order differs (docs/benchmark.md §5). The
// rewrite works on function-call syntax with balanced parentheses and string literals, not on
// arbitrary text, so a column or literal that merely contains a function's name is left alone.

import type { Dialect } from '../engines/engine.js';

export type TableNames = { silver: string; gold: string; bronze?: string };

type Rewrite = (args: string[]) => string;

const REWRITES: Record<Exclude<Dialect, 'trino'>, Record<string, Rewrite>> = {
  duckdb: {
    date_add: ([unit, n, x]) => {
      if (unquote(unit) !== 'month') throw new Error(`date_add unit ${unit} has no DuckDB rewrite`);
      return `CAST((${x}) + INTERVAL (${n}) MONTH AS DATE)`;
    },
    day_of_week: ([x]) => `isodow(${x})`,
    regexp_replace: ([s, p, r]) => `regexp_replace(${s}, ${p}, ${r ?? "''"}, 'g')`,
    regexp_like: ([s, p]) => `regexp_matches(${s}, ${p})`,
    is_nan: ([x]) => `isnan(${x})`,
  },
  spark: {
    date_add: ([unit, n, x]) => {
      if (unquote(unit) !== 'month') throw new Error(`date_add unit ${unit} has no Spark rewrite`);
      return `add_months(${x}, ${n})`;
    },
    date_diff: ([unit, a, b]) => {
      if (unquote(unit) !== 'day') throw new Error(`date_diff unit ${unit} has no Spark rewrite`);
      return `datediff(${b}, ${a})`;
    },
    day_of_week: ([x]) => `(weekday(${x}) + 1)`,
    week: ([x]) => `weekofyear(${x})`,
    regexp_like: ([s, p]) => `rlike(${s}, ${p})`,
    is_nan: ([x]) => `isnan(${x})`,
  },
};

/** Adapts a reference-dialect statement to `dialect` and fills the `{silver}`/`{gold}`/`{bronze}` table placeholders. */
export function adapt(sql: string, dialect: Dialect, tables: TableNames): string {
  let out = sql.replace(/\{(silver|gold|bronze)\}/g, (_m, name: keyof TableNames) => {
    const t = tables[name];
    if (!t) throw new Error(`no table name given for {${name}}`);
    return t;
  });
  if (dialect !== 'trino') out = rewriteCalls(out, REWRITES[dialect]);
  return out;
}

function unquote(s: string | undefined): string {
  return (s ?? '').trim().replace(/^'(.*)'$/, '$1').toLowerCase();
}

/** Rewrites calls `name(args)` found outside string literals, innermost arguments first. */
function rewriteCalls(sql: string, rewrites: Record<string, Rewrite>): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'") {
      const end = skipString(sql, i);
      out += sql.slice(i, end);
      i = end;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i));
    if (ident && (i === 0 || !/[A-Za-z0-9_.]/.test(sql[i - 1]!))) {
      const name = ident[0];
      const after = i + name.length;
      const paren = /^\s*\(/.exec(sql.slice(after));
      const rewrite = rewrites[name.toLowerCase()];
      if (paren && rewrite) {
        const open = after + paren[0].length - 1;
        const close = matchParen(sql, open);
        const args = splitArgs(sql.slice(open + 1, close)).map((a) => rewriteCalls(a, rewrites).trim());
        out += rewrite(args);
        i = close + 1;
        continue;
      }
      out += name;
      i = after;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

function skipString(sql: string, start: number): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === "'") {
      if (sql[i + 1] === "'") i += 2;
      else return i + 1;
    } else i++;
  }
  throw new Error('unterminated string literal in SQL');
}

function matchParen(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'") {
      i = skipString(sql, i) - 1;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  throw new Error('unbalanced parentheses in SQL');
}

function splitArgs(body: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === "'") i = skipString(body, i) - 1;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      args.push(body.slice(start, i));
      start = i + 1;
    }
  }
  args.push(body.slice(start));
  return args;
}
