// Result fingerprints (docs/benchmark.md §9): canonical cells, rows as JSON arrays sorted by their text,
// SHA-256 over the lower-case column names and those rows. Row order and tie-breaking never matter.
import { createHash } from 'node:crypto';
import type { Cell } from '../engines/engine.js';

/** The canonical JSON token of one cell. */
export function canonicalCell(cell: Cell): string {
  if (cell === null) return 'null';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  if (typeof cell === 'bigint') return cell.toString();
  if (typeof cell === 'number') {
    if (Number.isNaN(cell)) return '"NaN"';
    if (!Number.isFinite(cell)) return cell > 0 ? '"Infinity"' : '"-Infinity"';
    if (Number.isInteger(cell)) return BigInt(cell).toString();
    return String(Number(cell.toPrecision(10)));
  }
  if (typeof cell === 'string') return JSON.stringify(cell);
  if ('date' in cell) return JSON.stringify(cell.date);
  return JSON.stringify(cell.timestamp);
}

export const canonicalRow = (row: readonly Cell[]): string => `[${row.map(canonicalCell).join(',')}]`;

export function canonicalRows(rows: readonly (readonly Cell[])[]): string[] {
  return rows.map(canonicalRow).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function fingerprint(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const body = `${columns.map((c) => c.toLowerCase()).join(',')}\n${canonicalRows(rows).join('\n')}`;
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}
