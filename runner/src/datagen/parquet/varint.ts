// Unsigned LEB128 varints, as both Snappy (the uncompressed length) and Parquet's RLE/bit-packed
// hybrid (run headers) write them.

/** Bytes `putVarint` writes for `v` (v < 2^32). */
export const varintLength = (v: number): number => (v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5);

/** Writes `v` at `at`; returns the offset after it. */
export function putVarint(out: Uint8Array, at: number, v: number): number {
  while (v >= 0x80) {
    out[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[at++] = v;
  return at;
}
