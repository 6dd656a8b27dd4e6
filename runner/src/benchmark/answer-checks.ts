// Answer checks (docs/benchmark.md §10): each query's answer against the datagen manifest and against
// the other answers, plus its ORDER BY. Run after the timed executions, from results in hand.
import type { Cell } from '../engines/engine.js';
import type { QueryCheck } from '../model/metrics.js';
import type { Manifest } from '../datagen/manifest.js';
import { silverCentsExpected, silverRowsExpected } from '../datagen/manifest.js';
import type { QueryRun } from './power-run.js';

const num = (c: Cell | undefined): number => (typeof c === 'bigint' ? Number(c) : typeof c === 'number' ? c : Number.NaN);
const text = (c: Cell | undefined): string => (c && typeof c === 'object' ? ('date' in c ? c.date : c.timestamp) : String(c));

class Answer {
  constructor(readonly run: QueryRun) {}
  col(name: string): Cell[] {
    const i = this.run.columns.indexOf(name);
    return i < 0 ? [] : this.run.rows.map((r) => r[i]!);
  }
  sum(name: string): number {
    return this.col(name).reduce<number>((s, c) => s + num(c), 0);
  }
  first(name: string): number {
    return num(this.col(name)[0]);
  }
  get rows(): number {
    return this.run.rows.length;
  }
}

const check = (name: string, passed: boolean, expected: number | string | null, observed: number | string | null, detail?: string): QueryCheck => ({
  name,
  status: passed ? 'passed' : 'failed',
  expected,
  observed,
  ...(detail ? { detail } : {}),
});
const skip = (name: string, detail: string): QueryCheck => ({ name, status: 'skipped', expected: null, observed: null, detail });
const near = (a: number, b: number, abs: number) => Math.abs(a - b) <= abs + 1e-9 * Math.abs(b);

/**
 * How far a sum of `rows` values of a rounded column may lie from Q1's total, itself rounded to
 * cents: half a unit of the column's last decimal per row (QueryDef.rounding), plus one cent.
 */
const roundingSlack = (run: QueryRun, column: string, rows: number): number => (0.5 * 10 ** -(run.def.rounding[column] ?? 2)) * rows + 0.01;

const SEGMENTS = new Set(['Champions', 'Loyal', 'Potential Loyalists', 'At Risk', 'Lost', 'Casual']);
const DAY_MS = 86_400_000;

export type GoldRows = { columns: string[]; rows: Cell[][] };

export function answerChecks(runs: readonly QueryRun[], m: Manifest, goldLatest: GoldRows | null): Map<string, QueryCheck[]> {
  const by = new Map(runs.map((r) => [r.def.id, new Answer(r)]));
  const out = new Map<string, QueryCheck[]>();
  const ok = (id: QueryRun['def']['id']) => by.get(id)?.run.result.success === true;
  const S = silverRowsExpected(m);
  const revenue = silverCentsExpected(m) / 100;
  const purchases = Object.entries(m.aggregates.rows_by_flag_and_type)
    .filter(([k]) => k.endsWith('|purchase') && !k.startsWith('duplicate_suspected|'))
    .reduce((s, [, v]) => s + v, 0);
  const q1 = by.get('Q1');
  const q1Ok = ok('Q1') && q1 !== undefined;
  // A check against Q1's answer is skipped, and says so, when Q1 has no trustworthy answer; it never
  // silently disappears from the counts.
  const againstQ1 = (name: string, passed: () => boolean, expected: () => number, observed: () => number): QueryCheck =>
    q1Ok ? check(name, passed(), expected(), observed()) : skip(name, `Q1 failed (${by.get('Q1')?.run.result.error?.code ?? 'not run'}), so there is no total to compare with`);

  for (const run of runs) {
    const id = run.def.id;
    const a = new Answer(run);
    if (!run.result.success) {
      out.set(id, [skip('answer', `the query failed: ${run.result.error?.code ?? 'error'}`)]);
      continue;
    }
    const checks: QueryCheck[] = [orderCheck(run)];
    switch (id) {
      case 'Q1':
        checks.push(check('total_records = silver rows', a.first('total_records') === S, S, a.first('total_records')));
        checks.push(check('total_revenue = manifest cents', near(a.first('total_revenue'), revenue, 0.01), revenue, a.first('total_revenue')));
        checks.push(check('unique_sessions = total_records', a.first('unique_sessions') === a.first('total_records'), a.first('total_records'), a.first('unique_sessions')));
        checks.push(check('unique_customers <= N', a.first('unique_customers') <= m.dataset.customers, m.dataset.customers, a.first('unique_customers')));
        break;
      case 'Q2': {
        const dates = [...new Set(a.col('interaction_date').map(text))].sort();
        const perTypePerDay = (S / 730) * 0.12; // the rarest type (support) per day
        checks.push(
          perTypePerDay >= 30
            ? check('rows = 5 × days present', a.rows === 5 * dates.length, 5 * dates.length, a.rows)
            : skip('rows = 5 × days present', `≈ ${perTypePerDay.toFixed(1)} support rows a day: a day may lack a type at this scale`),
        );
        const d0 = dates[0];
        if (d0 && d0.endsWith('-01')) {
          const months = [0, 1, 2].map((k) => {
            const d = new Date(`${d0}T00:00:00Z`);
            d.setUTCMonth(d.getUTCMonth() + k);
            return d.toISOString().slice(0, 7);
          });
          const expected = months.reduce((s, mo) => s + (m.aggregates.rows_by_month_excluding_duplicates[mo] ?? 0), 0);
          checks.push(check('Σ interactions = manifest rows of the 3 months', a.sum('interactions') === expected, expected, a.sum('interactions')));
        } else checks.push(skip('Σ interactions = manifest rows of the 3 months', `d0 ${d0} is not the first of a month`));
        break;
      }
      case 'Q3':
        checks.push(check('12 rows', a.rows === 12, 12, a.rows));
        checks.push(againstQ1('Σ total_spend = Q1 total_revenue', () => near(a.sum('total_spend'), q1!.first('total_revenue'), roundingSlack(run, 'total_spend', a.rows)), () => q1!.first('total_revenue'), () => a.sum('total_spend')));
        break;
      case 'Q4':
        checks.push(check('journey stage is retention', a.col('customer_journey_stage').every((c) => c === 'retention'), 'retention', [...new Set(a.col('customer_journey_stage').map(text))].join(',')));
        checks.push(check('at most 6 rows', a.rows <= 6, 6, a.rows));
        break;
      case 'Q5': {
        const dates = a.col('interaction_date').map((c) => Date.parse(`${text(c)}T00:00:00Z`));
        const consecutive = dates.every((d, i) => i === 0 || dates[i - 1]! - d === DAY_MS);
        checks.push(check('90 rows', a.rows === 90, 90, a.rows));
        checks.push(check('dates descending and consecutive', consecutive, 'consecutive', consecutive ? 'consecutive' : 'gap or disorder'));
        break;
      }
      case 'Q6': {
        checks.push(againstQ1('Σ customer_count = Q1 unique_customers', () => a.sum('customer_count') === q1!.first('unique_customers'), () => q1!.first('unique_customers'), () => a.sum('customer_count')));
        const names = a.col('rfm_segment').map(text);
        checks.push(check('segment names', names.every((n) => SEGMENTS.has(n)), [...SEGMENTS].join(','), names.join(',')));
        break;
      }
      case 'Q7':
        checks.push(check('5 rows', a.rows === 5, 5, a.rows));
        checks.push(againstQ1('Σ total_interactions = Q1 total_records', () => a.sum('total_interactions') === q1!.first('total_records'), () => q1!.first('total_records'), () => a.sum('total_interactions')));
        checks.push(check('Σ conversions = manifest purchases', a.sum('conversions') === purchases, purchases, a.sum('conversions')));
        checks.push(againstQ1('Σ channel_revenue = Q1 total_revenue', () => near(a.sum('channel_revenue'), q1!.first('total_revenue'), roundingSlack(run, 'channel_revenue', a.rows)), () => q1!.first('total_revenue'), () => a.sum('channel_revenue')));
        break;
      case 'Q9':
        checks.push(check('30 rows', a.rows === 30, 30, a.rows));
        checks.push(goldAgreement(a, goldLatest));
        break;
    }
    out.set(id, checks);
  }
  return out;
}

/**
 * The returned order must respect the query's ORDER BY keys (ties may come in any order). A key
 * column missing from the result, or a key value that is NULL or NaN, would compare as NaN, that is
 * as a tie everywhere: the order would look respected without having been checked. Both fail as
 * "not observed".
 */
function orderCheck(run: QueryRun): QueryCheck {
  const keys = run.def.orderBy;
  if (keys.length === 0) return skip('order', 'no ORDER BY');
  const expected = keys.map(([c, dir]) => `${c} ${dir}`).join(', ');
  const missing = keys.filter(([c]) => !run.columns.includes(c)).map(([c]) => c);
  if (missing.length) return check('order', false, expected, 'not observed', `the result has no column ${missing.join(', ')}`);
  const idx = keys.map(([c]) => run.columns.indexOf(c));
  const numeric = (c: Cell) => typeof c === 'number' || typeof c === 'bigint';
  const cmp = (x: Cell, y: Cell) => (numeric(x) && numeric(y) ? num(x) - num(y) : text(x).localeCompare(text(y)));
  for (let r = 0; r < run.rows.length; r++) {
    for (let k = 0; k < keys.length; k++) {
      const cell = run.rows[r]![idx[k]!];
      if (cell === null || cell === undefined || (numeric(cell) && Number.isNaN(num(cell)))) {
        return check('order', false, expected, 'not observed', `row ${r + 1}: ${keys[k]![0]} is ${cell === undefined ? 'missing' : String(cell)}`);
      }
    }
  }
  for (let r = 1; r < run.rows.length; r++) {
    for (let k = 0; k < keys.length; k++) {
      const d = cmp(run.rows[r - 1]![idx[k]!]!, run.rows[r]![idx[k]!]!) * (keys[k]![1] === 'asc' ? 1 : -1);
      if (d < 0) break;
      if (d > 0) return check('order', false, expected, `row ${r + 1} out of order`);
    }
  }
  return check('order', true, expected, 'respected');
}

function goldAgreement(a: Answer, gold: GoldRows | null): QueryCheck {
  if (!gold) return skip('rows equal gold', 'gold rows were not read');
  const cols = ['interaction_date', 'daily_active_customers', 'total_daily_revenue', 'conversions', 'avg_engagement_score', 'high_churn_risk_count'];
  const key = (cells: Cell[]) => cells.map((c) => (typeof c === 'object' && c ? text(c) : String(c))).join('|');
  const fromGold = new Set(gold.rows.map((r) => key(cols.map((c) => r[gold.columns.indexOf(c)]!))));
  const mismatched = a.run.rows.filter((r) => !fromGold.has(key(cols.map((c) => r[a.run.columns.indexOf(c)]!)))).length;
  return check('rows equal gold', mismatched === 0, 0, mismatched, 'mismatched rows');
}
