// One Parquet data page (format v1) of a column: definition levels, PLAIN values, Snappy. Every column
// is OPTIONAL (as DuckDB writes them), so each page starts with its definition levels in the RLE /
// bit-packed hybrid encoding with bit width 1.
import { putSnappyLiteralPrefix, snappyCompress, snappyLiteralPrefixLength, snappyMaxLength } from './snappy.js';
import { putVarint, varintLength } from './varint.js';

/**
 * A column's values for one row group, one entry per row. `valid` (1 = present) marks nulls; a null
 * row's entry in `values` is ignored. Integers travel as doubles: every id, count and timestamp here
 * stays far below 2^53.
 */
export type ColumnValues =
  | { type: 'int64' | 'timestamp-us'; values: Float64Array; valid?: Uint8Array }
  | { type: 'int32'; values: Int32Array; valid?: Uint8Array }
  | { type: 'double'; values: Float64Array; valid?: Uint8Array }
  | { type: 'boolean'; values: Uint8Array; valid?: Uint8Array }
  | { type: 'string'; values: readonly string[]; valid?: Uint8Array }
  /**
   * Random ASCII of a fixed width (hex digests, UUIDs, the payload), written by `fill` straight into
   * the page in row order: `fill(out, at, stride, count)` puts the next `count` values at `at`,
   * `at + stride`, … The values are random, so Snappy would find nothing to match: they are stored as
   * one Snappy literal instead of being searched for matches.
   */
  | { type: 'random-ascii'; width: number; fill: (out: Uint8Array, at: number, stride: number, count: number) => void };

const PAGE_BYTES = 1 << 20;
const HEADROOM = 16; // room in front of a random-ascii page for the Snappy preamble and literal tag

/**
 * Page memory, reused: a page is written out before the next one is encoded (so an encoded body is
 * valid until the next `encodePage` call). Fresh buffers for every page made the kernel zero a new
 * 4 KiB page per fault, a tenth of the generator's time in `perf`.
 */
class Scratch {
  private memory = new ArrayBuffer(0);
  take(size: number): Buffer {
    if (this.memory.byteLength < size) this.memory = new ArrayBuffer(Math.ceil(size * 1.25));
    return Buffer.from(this.memory, 0, size);
  }
}
const rawPages = new Scratch();
const compressedPages = new Scratch();

/** Row ranges of at most about 1 MiB of values each, so no reader has to hold a huge page. */
export function pageRanges(column: ColumnValues, rows: number): [number, number][] {
  const out: [number, number][] = [];
  if (column.type === 'string') {
    let from = 0;
    let bytes = 0;
    for (let r = 0; r < rows; r++) {
      bytes += 4 + column.values[r]!.length;
      if (bytes >= PAGE_BYTES) {
        out.push([from, r + 1]);
        from = r + 1;
        bytes = 0;
      }
    }
    if (from < rows || rows === 0) out.push([from, rows]);
    return out;
  }
  const width = column.type === 'random-ascii' ? column.width + 4 : column.type === 'int32' ? 4 : column.type === 'boolean' ? 1 : 8;
  const per = Math.max(1, Math.floor(PAGE_BYTES / width));
  for (let from = 0; from < rows; from += per) out.push([from, Math.min(rows, from + per)]);
  if (rows === 0) out.push([0, 0]);
  return out;
}

/** Bytes of the definition levels (with their 4-byte length) for rows [from, to). */
function levelsLength(valid: Uint8Array | undefined, from: number, to: number): { bytes: number; nulls: number } {
  let nulls = 0;
  if (valid) for (let r = from; r < to; r++) nulls += valid[r] ? 0 : 1;
  const n = to - from;
  if (nulls === 0) return { bytes: 4 + varintLength(n * 2) + 1, nulls };
  const groups = Math.ceil(n / 8);
  const runs = Math.ceil(groups / 63);
  return { bytes: 4 + runs + groups, nulls }; // each run header (groups ≤ 63) is one varint byte
}



/** Definition levels of rows [from, to): one RLE run of 1s when nothing is null, else bit-packed runs. */
function putLevels(out: Buffer, at: number, valid: Uint8Array | undefined, from: number, to: number, nulls: number): number {
  const start = at + 4;
  let p = start;
  const n = to - from;
  if (nulls === 0) {
    p = putVarint(out, p, n * 2);
    out[p++] = 1;
  } else {
    const groups = Math.ceil(n / 8);
    for (let g = 0; g < groups; g += 63) {
      const count = Math.min(63, groups - g);
      out[p++] = (count << 1) | 1;
      for (let k = 0; k < count; k++) {
        let bits = 0;
        const base = from + (g + k) * 8;
        for (let b = 0; b < 8; b++) if (base + b < to && valid![base + b]) bits |= 1 << b;
        out[p++] = bits;
      }
    }
  }
  out.writeUInt32LE(p - start, at);
  return p;
}

function valuesLength(column: Exclude<ColumnValues, { type: 'random-ascii' }>, from: number, to: number): number {
  const valid = column.valid;
  let present = 0;
  for (let r = from; r < to; r++) present += !valid || valid[r] ? 1 : 0;
  switch (column.type) {
    case 'int64':
    case 'timestamp-us':
    case 'double':
      return present * 8;
    case 'int32':
      return present * 4;
    case 'boolean':
      return Math.ceil(present / 8);
    case 'string': {
      let bytes = 0;
      for (let r = from; r < to; r++) if (!valid || valid[r]) bytes += 4 + Buffer.byteLength(column.values[r]!, 'utf8');
      return bytes;
    }
  }
}

function putValues(out: Buffer, at: number, column: Exclude<ColumnValues, { type: 'random-ascii' }>, from: number, to: number): number {
  const valid = column.valid;
  switch (column.type) {
    case 'int64':
    case 'timestamp-us':
      for (let r = from; r < to; r++) {
        if (valid && !valid[r]) continue;
        const v = column.values[r]!;
        out.writeUInt32LE(v >>> 0, at); // ToUint32 is v mod 2^32 for any integer v
        out.writeInt32LE(Math.floor(v / 4294967296), at + 4);
        at += 8;
      }
      return at;
    case 'double':
      for (let r = from; r < to; r++) if (!valid || valid[r]) at = out.writeDoubleLE(column.values[r]!, at);
      return at;
    case 'int32':
      for (let r = from; r < to; r++) if (!valid || valid[r]) at = out.writeInt32LE(column.values[r]!, at);
      return at;
    case 'boolean': {
      let bit = 0;
      let byte = 0;
      for (let r = from; r < to; r++) {
        if (valid && !valid[r]) continue;
        if (column.values[r]) byte |= 1 << bit;
        if (++bit === 8) {
          out[at++] = byte;
          bit = 0;
          byte = 0;
        }
      }
      if (bit > 0) out[at++] = byte;
      return at;
    }
    case 'string':
      for (let r = from; r < to; r++) {
        if (valid && !valid[r]) continue;
        const written = out.write(column.values[r]!, at + 4, 'utf8');
        out.writeUInt32LE(written, at);
        at += 4 + written;
      }
      return at;
  }
}

/** Encodes rows [from, to) of a column as one Snappy-compressed data page (header built by the caller); the body is valid until the next call. */
export function encodePage(column: ColumnValues, from: number, to: number): { body: Buffer; uncompressedBytes: number; nulls: number } {
  if (column.type === 'random-ascii') {
    const n = to - from;
    const levels = levelsLength(undefined, from, to);
    const size = levels.bytes + n * (4 + column.width);
    // Values start on an even offset of the page memory, so `fill` can store two hex digits at once.
    const lead = (HEADROOM + levels.bytes + 4) % 2 === 0 ? HEADROOM : HEADROOM + 1;
    const buf = rawPages.take(lead + size);
    let at = putLevels(buf, lead, undefined, from, to, 0);
    for (let k = 0; k < n; k++) buf.writeUInt32LE(column.width, at + k * (4 + column.width));
    column.fill(buf, at + 4, 4 + column.width, n);
    at += n * (4 + column.width);
    const start = lead - snappyLiteralPrefixLength(size);
    putSnappyLiteralPrefix(buf, start, size);
    return { body: buf.subarray(start, at), uncompressedBytes: size, nulls: 0 };
  }
  const levels = levelsLength(column.valid, from, to);
  const size = levels.bytes + valuesLength(column, from, to);
  const raw = rawPages.take(size);
  const end = putValues(raw, putLevels(raw, 0, column.valid, from, to, levels.nulls), column, from, to);
  if (end !== size) throw new Error(`page encoding wrote ${end} bytes, expected ${size}`);
  return { body: snappyCompress(raw, compressedPages.take(snappyMaxLength(size))), uncompressedBytes: size, nulls: levels.nulls };
}
