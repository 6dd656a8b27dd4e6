// The random text columns (payload, fingerprint, event and session UUIDs) rendered straight into a
// Parquet page from an AES-128-CTR keystream. These columns are ≈ 97% of the bytes; xoshiro at 4
// bytes per step was the generator's largest cost, while the keystream comes from OpenSSL (AES-NI)
// at GB/s. Key and counter come from SHA-256(file key ‖ column), so the text is a pure function of the
// file's inputs, like every other column, and each column's keystream is its own.
import { createCipheriv, createHash } from 'node:crypto';

const HEX = '0123456789abcdef';
/** Two ASCII hex digits of a byte, packed little-endian into one 16-bit unit (the writer asserts LE). */
const HEX_PAIRS = new Uint16Array(256);
const HEX_HIGH = new Uint8Array(256);
const HEX_LOW = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  HEX_HIGH[i] = HEX.charCodeAt(i >> 4);
  HEX_LOW[i] = HEX.charCodeAt(i & 15);
  HEX_PAIRS[i] = HEX_HIGH[i]! | (HEX_LOW[i]! << 8);
}
const DASH = 0x2d;
// Keystream is drawn in blocks this size: small enough to come from the allocator's free lists rather
// than fresh pages the kernel must zero (which cost more than the AES itself).
const KEY_BLOCK = 1 << 15;

export class RandomAscii {
  private readonly cipher: ReturnType<typeof createCipheriv>;
  private zeros = new Uint8Array(0);

  constructor(fileKey: string, column: string) {
    const seed = createHash('sha256').update(fileKey).update('\0').update(`ascii:${column}`).digest();
    this.cipher = createCipheriv('aes-128-ctr', seed.subarray(0, 16), seed.subarray(16, 32));
  }

  /** The next `n` keystream bytes, 4-byte aligned (for the 32-bit view below). */
  private next(n: number): Uint8Array {
    const padded = (n + 3) & ~3;
    if (this.zeros.length < padded) this.zeros = new Uint8Array(padded);
    const out = this.cipher.update(this.zeros.subarray(0, n));
    if (out.length !== n) throw new Error(`AES-CTR keystream returned ${out.length} bytes, expected ${n}`);
    if (out.byteOffset % 4 === 0) return out;
    const aligned = new Uint8Array(padded);
    aligned.set(out);
    return aligned;
  }

  /** `count` values of `bytes` random bytes as lowercase hex (2 × bytes characters) at out[at + k × stride]. */
  hex(out: Uint8Array, at: number, stride: number, count: number, bytes: number): void {
    const perBlock = Math.max(1, Math.floor(KEY_BLOCK / bytes));
    for (let done = 0; done < count; done += perBlock) this.hexBlock(out, at + done * stride, stride, Math.min(perBlock, count - done), bytes);
  }

  private hexBlock(out: Uint8Array, at: number, stride: number, count: number, bytes: number): void {
    const key = this.next(count * bytes);
    if ((out.byteOffset + at) % 2 === 0 && stride % 2 === 0 && bytes % 4 === 0) {
      const words = new Uint32Array(key.buffer, key.byteOffset, (count * bytes) >> 2);
      const units = new Uint16Array(out.buffer, out.byteOffset, out.length >> 1);
      let w = 0;
      for (let k = 0; k < count; k++) {
        let u = (at + k * stride) >> 1;
        for (let b = 0; b < bytes; b += 4, u += 4) {
          const x = words[w++]!;
          units[u] = HEX_PAIRS[x & 255]!;
          units[u + 1] = HEX_PAIRS[(x >>> 8) & 255]!;
          units[u + 2] = HEX_PAIRS[(x >>> 16) & 255]!;
          units[u + 3] = HEX_PAIRS[x >>> 24]!;
        }
      }
      return;
    }
    let i = 0;
    for (let k = 0; k < count; k++) {
      let p = at + k * stride;
      for (let b = 0; b < bytes; b++) {
        const x = key[i++]!;
        out[p++] = HEX_HIGH[x]!;
        out[p++] = HEX_LOW[x]!;
      }
    }
  }

  /** `count` random UUIDs v4 (RFC 9562, canonical lowercase, 36 characters) at out[at + k × stride]. */
  uuids(out: Uint8Array, at: number, stride: number, count: number): void {
    const perBlock = KEY_BLOCK / 16;
    for (let done = 0; done < count; done += perBlock) this.uuidBlock(out, at + done * stride, stride, Math.min(perBlock, count - done));
  }

  private uuidBlock(out: Uint8Array, at: number, stride: number, count: number): void {
    const key = this.next(count * 16);
    for (let k = 0; k < count; k++) {
      let p = at + k * stride;
      const base = k * 16;
      for (let b = 0; b < 16; b++) {
        let x = key[base + b]!;
        if (b === 6) x = (x & 0x0f) | 0x40; // version 4
        if (b === 8) x = (x & 0x3f) | 0x80; // variant 10
        if (b === 4 || b === 6 || b === 8 || b === 10) out[p++] = DASH;
        out[p++] = HEX_HIGH[x]!;
        out[p++] = HEX_LOW[x]!;
      }
    }
  }
}
