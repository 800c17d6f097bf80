/**
 * HyperLogLog for `approxCountDistinct` (Spark: approx_count_distinct, default relative error 5%). Precision 9 (512
 * one-byte registers) is what Spark derives from that error; values are hashed with 32-bit MurmurHash3 of their
 * group-key encoding, and small counts use linear counting, so a few distinct values are counted exactly. Sketches
 * merge register by register, which is what session windows need. The numbers are close to Spark's but not
 * bit-identical (Spark uses HyperLogLog++ with xxHash64).
 */
export const HLL_PRECISION = 9;
const M = 1 << HLL_PRECISION;
const ALPHA = 0.7213 / (1 + 1.079 / M);

export function newSketch(): Uint8Array {
  return new Uint8Array(M);
}

export function addToSketch(sketch: Uint8Array, text: string): void {
  const h = murmur3(text);
  const index = h >>> (32 - HLL_PRECISION);
  const rank = Math.clz32((h << HLL_PRECISION) | (1 << (HLL_PRECISION - 1))) + 1;
  if (rank > sketch[index]) sketch[index] = rank;
}

export function mergeSketch(into: Uint8Array, from: Uint8Array): void {
  for (let i = 0; i < M; i++) if (from[i] > into[i]) into[i] = from[i];
}

export function estimate(sketch: Uint8Array): number {
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < M; i++) {
    sum += 2 ** -sketch[i];
    if (sketch[i] === 0) zeros++;
  }
  const raw = (ALPHA * M * M) / sum;
  if (raw <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
  return Math.round(raw);
}

/** MurmurHash3 x86 32-bit over the UTF-16 code units of `text`, seed 0. */
export function murmur3(text: string): number {
  let h = 0;
  const n = text.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    let k = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < n) {
    let k = text.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= n * 2;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
