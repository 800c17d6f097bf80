/**
 * Column arrays of big batches live in shared memory (a SharedArrayBuffer), so a parallel stage hands a worker thread
 * its slice as a view of the same bytes: no copy (slices.ts' sliceArray). Small ones stay ordinary: a batch below the
 * parallel threshold never crosses threads, and shared buffers cost a little more to create.
 */
export const SHARED_MIN_LENGTH = 16_384;

/** A zero-filled Float64Array of `length`, in shared memory when it is big. */
export function float64Array(length: number): Float64Array {
  return length >= SHARED_MIN_LENGTH ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}
