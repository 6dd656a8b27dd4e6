// Deterministic random streams. A file's key is SHA-256 of its canonical inputs; each column draws
// from its own xoshiro128** stream seeded from SHA-256(file key ‖ column), so columns can be
// generated in any order (or in parallel) without changing a single value. Nothing here reads the
// clock or an OS entropy source.
import { createHash } from 'node:crypto';

export class Stream {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seedBytes: Uint8Array) {
    const v = new DataView(seedBytes.buffer, seedBytes.byteOffset, 16);
    this.s0 = v.getUint32(0, true) | 0;
    this.s1 = v.getUint32(4, true) | 0;
    this.s2 = v.getUint32(8, true) | 0;
    this.s3 = v.getUint32(12, true) | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  static derive(key: string, name: string): Stream {
    return new Stream(createHash('sha256').update(key).update('\0').update(name).digest());
  }

  /** xoshiro128** step: a uniform unsigned 32-bit integer. */
  u32(): number {
    const m = Math.imul(this.s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform in [0, 1) with 53 bits of resolution (enough for microsecond timestamps over years). */
  float(): number {
    return ((this.u32() >>> 5) * 67108864 + (this.u32() >>> 6)) / 9007199254740992;
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.float() * values.length)]!;
  }

  /** Draws from a discrete distribution given cumulative weights ending at 1. */
  weighted<T>(values: readonly T[], cumulative: readonly number[]): T {
    const u = this.float();
    for (let i = 0; i < cumulative.length; i++) if (u < cumulative[i]!) return values[i]!;
    return values[values.length - 1]!;
  }

  /** Standard normal by Box–Muller; always consumes two draws so streams stay aligned. */
  normal(): number {
    const u1 = 1 - this.float();
    const u2 = this.float();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** `count` distinct indices out of [0, n), uniformly (partial Fisher–Yates over a typed array). */
  sample(n: number, count: number): Uint8Array {
    const picked = new Uint8Array(n);
    const pool = new Uint32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(this.float() * (n - i));
      const tmp = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = tmp;
      picked[pool[i]!] = 1;
    }
    return picked;
  }
}

/** A stable 32-bit mix (murmur3 fmix32) for per-customer attributes that need no stream state. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Uniform in [0, 1) from (seed, id, salt): the loyalty draws of docs/data.md §5.3. */
export function hashUniform(seed: number, id: number, salt: number): number {
  const hi = mix32(mix32(seed ^ 0x9e3779b9) ^ Math.imul(salt + 1, 0x27d4eb2f) ^ mix32(id | 0) ^ mix32(Math.floor(id / 2 ** 32)));
  const lo = mix32(hi ^ 0x165667b1);
  return ((hi >>> 5) * 67108864 + (lo >>> 6)) / 9007199254740992;
}
