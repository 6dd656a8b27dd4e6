// Snappy block format (github.com/google/snappy, format_description.txt), compression only:
//   - `snappyCompress`: greedy matching over 64 KiB fragments with a 4-byte hash, as the reference
//     compressor does, for the small repetitive columns (categories, emails, numbers);
//   - `snappyLiteralPrefix`: the preamble and tag that turn bytes into one literal element, for the
//     random hex columns where matching finds nothing (DuckDB's Snappy saved 0.1% on the payload) and
//     would only cost time. Both are valid Snappy streams that any reader decompresses.
import { putVarint } from './varint.js';

const FRAGMENT = 1 << 16;
const HASH_BITS = 14;
const MIN_MATCH_TAIL = 4;


/** Bytes of a literal element's tag for `length` bytes. */
function literalTagLength(length: number): number {
  const n = length - 1;
  return n < 60 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 5;
}

function putLiteralTag(out: Uint8Array, at: number, length: number): number {
  const n = length - 1;
  if (n < 60) {
    out[at++] = n << 2;
    return at;
  }
  const extra = literalTagLength(length) - 1;
  out[at++] = (59 + extra) << 2;
  for (let k = 0, v = n; k < extra; k++, v >>>= 8) out[at++] = v & 0xff;
  return at;
}

/** Size of the Snappy preamble + literal tag in front of `length` uncompressed bytes stored as one literal. */
export function snappyLiteralPrefixLength(length: number): number {
  const varintBytes = length < 0x80 ? 1 : length < 0x4000 ? 2 : length < 0x200000 ? 3 : length < 0x10000000 ? 4 : 5;
  return varintBytes + (length === 0 ? 0 : literalTagLength(length));
}

/** Writes, at `at`, the preamble and tag for `length` bytes that follow it as one literal; returns the end. */
export function putSnappyLiteralPrefix(out: Uint8Array, at: number, length: number): number {
  at = putVarint(out, at, length);
  return length === 0 ? at : putLiteralTag(out, at, length);
}

function emitLiteral(out: Uint8Array, at: number, src: Uint8Array, from: number, to: number): number {
  if (to <= from) return at;
  at = putLiteralTag(out, at, to - from);
  out.set(src.subarray(from, to), at);
  return at + (to - from);
}

function emitCopy(out: Uint8Array, at: number, offset: number, length: number): number {
  // Copies of up to 64 bytes with a 2-byte offset; keep the tail at ≥ 4 so it can use the short form.
  while (length >= 68) {
    out[at++] = 2 | (63 << 2);
    out[at++] = offset & 0xff;
    out[at++] = offset >>> 8;
    length -= 64;
  }
  if (length > 64) {
    out[at++] = 2 | (59 << 2);
    out[at++] = offset & 0xff;
    out[at++] = offset >>> 8;
    length -= 60;
  }
  if (length <= 11 && offset < 2048) {
    out[at++] = 1 | ((length - 4) << 2) | ((offset >>> 8) << 5);
    out[at++] = offset & 0xff;
  } else {
    out[at++] = 2 | ((length - 1) << 2);
    out[at++] = offset & 0xff;
    out[at++] = offset >>> 8;
  }
  return at;
}

const load32 = (s: Uint8Array, i: number): number => s[i]! | (s[i + 1]! << 8) | (s[i + 2]! << 16) | (s[i + 3]! << 24);

/** The largest Snappy stream `snappyCompress` can make of `length` bytes. */
export const snappyMaxLength = (length: number): number => 32 + length + Math.ceil(length / 6);

/** A complete Snappy stream of `src`, in `into` when given (at least snappyMaxLength bytes) or a new buffer. */
export function snappyCompress(src: Uint8Array, into?: Buffer): Buffer {
  const out = into ?? Buffer.allocUnsafe(snappyMaxLength(src.length));
  if (out.length < snappyMaxLength(src.length)) throw new Error(`snappy output buffer of ${out.length} bytes is too small for ${src.length} bytes`);
  let at = putVarint(out, 0, src.length);
  const table = new Int32Array(1 << HASH_BITS);
  for (let start = 0; start < src.length; start += FRAGMENT) {
    const end = Math.min(src.length, start + FRAGMENT);
    table.fill(-1);
    let literalFrom = start;
    let i = start;
    let skip = 32; // after misses, probe less often (the reference's heuristic for incompressible input)
    while (i + MIN_MATCH_TAIL <= end) {
      const v = load32(src, i);
      const h = Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_BITS);
      const candidate = table[h]!;
      table[h] = i;
      if (candidate < 0 || load32(src, candidate) !== v) {
        i += skip++ >> 5;
        continue;
      }
      skip = 32;
      let length = 4;
      while (i + length < end && src[candidate + length] === src[i + length]) length++;
      at = emitLiteral(out, at, src, literalFrom, i);
      at = emitCopy(out, at, i - candidate, length);
      i += length;
      literalFrom = i;
    }
    at = emitLiteral(out, at, src, literalFrom, end);
  }
  return out.subarray(0, at);
}
