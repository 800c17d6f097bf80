/**
 * Integer hashing for generators whose rows are pure functions of their offset: the same (a, b, c) gives the same
 * bits in every run and on every machine, so a replayed batch, a second source instance and the bench's expected
 * rows agree exactly. Not cryptographic; a 32-bit multiply-xorshift mix (after MurmurHash3's finalizer), good enough
 * that neighbouring inputs look unrelated.
 */

/** An unsigned 32-bit hash of three integers (any sign; only their low 32 bits count). */
export function hash3(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(c + 0x2545f491, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A number in [0, 1) from hash3. */
export function unit3(a: number, b: number, c: number): number {
  return hash3(a, b, c) / 4294967296;
}

/** A whole number in [0, n) from hash3 (n up to 2^32). */
export function pick3(n: number, a: number, b: number, c: number): number {
  return Math.floor(unit3(a, b, c) * n);
}
