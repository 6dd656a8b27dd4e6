// Trino's JSON result values as the runner's engine-neutral cells, chosen by the column's declared
// type (the protocol sends decimals as strings, doubles as numbers or "NaN"/"Infinity", dates and
// timestamps as text). A value that cannot be read exactly is an error, never a silent approximation:
// JSON.parse has already rounded a bigint beyond 2^53, so such a value fails the query.
import type { Cell } from './engine.js';

export class TrinoDecodeError extends Error {
  override readonly name = 'TrinoDecodeError';
}

export type Decoder = (value: unknown) => Cell;

const fail = (type: string, value: unknown): never => {
  throw new TrinoDecodeError(`cannot read ${JSON.stringify(value)} as ${type}`);
};

const integer: Decoder = (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : fail('an exact integer', v));

const double: Decoder = (v) => {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  return fail('double', v);
};

const decimal: Decoder = (v) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : fail('decimal', v));

const text: Decoder = (v) => (typeof v === 'string' ? v : fail('varchar', v));

const boolean: Decoder = (v) => (typeof v === 'boolean' ? v : fail('boolean', v));

const date: Decoder = (v) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? { date: v } : fail('date', v));

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,12}))?(?: (UTC|Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Timestamps as ISO-8601 UTC with exactly six fractional digits, like the DuckDB engine's. A value
 * with a zone (timestamp with time zone) is shifted to UTC; without one it is taken as UTC, which is
 * what the session time zone makes it.
 */
const timestamp: Decoder = (v) => {
  const m = typeof v === 'string' ? TIMESTAMP.exec(v) : null;
  if (!m) return fail('timestamp (UTC or a numeric offset)', v);
  const [, day, time, fraction = '', zone = 'UTC'] = m;
  const micros = fraction.padEnd(6, '0').slice(0, 6);
  if (zone === 'UTC' || zone === 'Z') return { timestamp: `${day}T${time}.${micros}Z` };
  const shifted = new Date(`${day}T${time}${zone}`);
  if (Number.isNaN(shifted.getTime())) return fail('timestamp', v);
  return { timestamp: `${shifted.toISOString().slice(0, 19)}.${micros}Z` };
};

/** Types this engine has no exact mapping for (arrays, maps, rows, …) keep their JSON text. */
const other: Decoder = (v) => (typeof v === 'string' ? v : JSON.stringify(v));

/** The decoder for a Trino type name as the protocol spells it (`decimal(38, 2)`, `timestamp(6)`). */
export function decoderFor(type: string): Decoder {
  const base = type.toLowerCase().replace(/\(.*$/, '').trim();
  let decode: Decoder;
  if (['bigint', 'integer', 'smallint', 'tinyint'].includes(base)) decode = integer;
  else if (base === 'double' || base === 'real') decode = double;
  else if (base === 'decimal') decode = decimal;
  else if (base === 'varchar' || base === 'char') decode = text;
  else if (base === 'boolean') decode = boolean;
  else if (base === 'date') decode = date;
  else if (base === 'timestamp') decode = timestamp;
  else decode = other;
  // NULL arrives as JSON null whatever the type.
  return (v) => (v === null ? null : decode(v));
}

export function decodeRow(row: readonly unknown[], decoders: readonly Decoder[]): Cell[] {
  if (row.length !== decoders.length) throw new TrinoDecodeError(`a row has ${row.length} values for ${decoders.length} columns`);
  return row.map((v, i) => decoders[i]!(v));
}
