// The tolerant comparison of docs/benchmark.md §9, used when two executions of a query return different
// fingerprints: cell by cell, integers and text exact, each rounded column (QueryDef.rounding)
// within one unit of its last decimal, other doubles within 1e-9 relative. A difference confined to
// those tolerances is a rounding difference (engines and parallel plans may sum doubles in another
// order, which can move a round(…, 2) by 0.01); anything else is a different answer.
import type { Cell } from '../engines/engine.js';
import type { QueryDef } from '../sql/queries.js';
import { canonicalCell, canonicalRow } from './fingerprint.js';

export type Answer = { columns: readonly string[]; rows: readonly (readonly Cell[])[] };

export type AnswerComparison =
  | { kind: 'identical' }
  /** Every difference within tolerance; `detail` names the cells (the first few). */
  | { kind: 'rounding'; detail: string }
  | { kind: 'different'; detail: string };

const RELATIVE = 1e-9;
const SHOWN = 5;

const asNumber = (c: Cell): number | null => (typeof c === 'number' ? c : typeof c === 'bigint' ? Number(c) : null);
const isFraction = (c: Cell): boolean => typeof c === 'number' && !Number.isInteger(c);

/**
 * The key rows are paired by: the cells that must match exactly (text, dates, integers outside the
 * rounded columns), then the whole canonical row, so a tolerated difference in a rounded or double
 * cell does not pair a row with another group's row.
 */
function pairingKey(row: readonly Cell[], rounded: readonly boolean[]): string {
  const exact = row.map((c, i) => (rounded[i] || isFraction(c) ? '' : canonicalCell(c))).join('\u0000');
  return `${exact}\u0001${canonicalRow(row)}`;
}

const sortedRows = (rows: readonly (readonly Cell[])[], rounded: readonly boolean[]) =>
  rows.map((r) => ({ key: pairingKey(r, rounded), row: r })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((x) => x.row);

/** 'equal', 'tolerated' or 'different', for one pair of cells of a column with `decimals` (undefined: not rounded). */
function compareCells(a: Cell, b: Cell, decimals: number | undefined): 'equal' | 'tolerated' | 'different' {
  if (canonicalCell(a) === canonicalCell(b)) return 'equal';
  const x = asNumber(a);
  const y = asNumber(b);
  if (x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y)) return 'different';
  const diff = Math.abs(x - y);
  if (decimals !== undefined) return diff <= 10 ** -decimals * (1 + 1e-9) ? 'tolerated' : 'different';
  // Outside the rounded columns only doubles get a tolerance; integers must be exact.
  if (typeof a === 'number' && typeof b === 'number' && (!Number.isInteger(a) || !Number.isInteger(b))) {
    return diff <= RELATIVE * Math.max(Math.abs(x), Math.abs(y)) ? 'tolerated' : 'different';
  }
  return 'different';
}

export function compareAnswers(def: Pick<QueryDef, 'id' | 'rounding'>, a: Answer, b: Answer): AnswerComparison {
  const columnsA = a.columns.map((c) => c.toLowerCase());
  const columnsB = b.columns.map((c) => c.toLowerCase());
  if (columnsA.join(',') !== columnsB.join(',')) return { kind: 'different', detail: `columns differ: ${columnsA.join(',')} against ${columnsB.join(',')}` };
  if (a.rows.length !== b.rows.length) return { kind: 'different', detail: `${a.rows.length} rows against ${b.rows.length}` };
  const decimals = columnsA.map((c) => def.rounding[c]);
  const rounded = decimals.map((d) => d !== undefined);
  const rowsA = sortedRows(a.rows, rounded);
  const rowsB = sortedRows(b.rows, rounded);
  const tolerated: string[] = [];
  for (let r = 0; r < rowsA.length; r++) {
    for (let c = 0; c < columnsA.length; c++) {
      const x = rowsA[r]![c] ?? null;
      const y = rowsB[r]![c] ?? null;
      const outcome = compareCells(x, y, decimals[c]);
      const where = `${columnsA[c]} ${canonicalCell(x)} against ${canonicalCell(y)}`;
      if (outcome === 'different') return { kind: 'different', detail: `row ${r + 1}: ${where}${decimals[c] !== undefined ? ` (more than 1e-${decimals[c]})` : ''}` };
      if (outcome === 'tolerated') tolerated.push(where);
    }
  }
  if (tolerated.length === 0) return { kind: 'identical' };
  const more = tolerated.length > SHOWN ? ` and ${tolerated.length - SHOWN} more` : '';
  return { kind: 'rounding', detail: `${tolerated.slice(0, SHOWN).join('; ')}${more}` };
}
