import type { Value } from '../../row.js';
import type { ColumnBatch } from '../column-batch.js';
import type { Vector } from '../vector.js';

/** A worker's part of a batch: the physical positions [from, to), and the batch's rows among them. */
export interface SliceRange {
  from: number;
  to: number;
}

/**
 * Cuts the batch's positions into `parts` ranges holding about as many rows each (the first is the main thread's).
 * Every cut is a multiple of 8, so a slice of a validity bitmap is whole bytes. Ranges that would hold no row are
 * left out: a small or very selective batch may give fewer ranges than asked.
 */
export function sliceRanges(batch: ColumnBatch, parts: number): SliceRange[] {
  const cuts = [0];
  for (let j = 1; j < parts; j++) {
    const cut = batch.position(Math.floor((batch.length * j) / parts)) & ~7;
    if (cut > cuts[cuts.length - 1]) cuts.push(cut);
  }
  cuts.push(batch.capacity);
  const ranges: SliceRange[] = [];
  for (let j = 0; j + 1 < cuts.length; j++) ranges.push({ from: cuts[j], to: cuts[j + 1] });
  return ranges;
}

/** The batch's selection within [from, to) (a view, no copy); undefined when the batch has none. */
export function selectionIn(batch: ColumnBatch, range: SliceRange): Int32Array | undefined {
  const selection = batch.selection;
  if (!selection) return undefined;
  return selection.subarray(lowerBound(selection, range.from), lowerBound(selection, range.to));
}

/** First index of `sorted` whose value is >= `value`. */
function lowerBound(sorted: Int32Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

type TypedArray = Float64Array | Uint8Array | Int32Array;

/**
 * Positions [from, to) of an array for a worker: a view when it lives in shared memory (the worker reads the same
 * bytes: no copy), else a copy whose buffer is handed over (transferred, not cloned).
 */
export function sliceArray<T extends TypedArray>(array: T, from: number, to: number, transfer: ArrayBuffer[]): T {
  const view = array.subarray(from, to) as T;
  if (array.buffer instanceof SharedArrayBuffer) return view;
  const copy = view.slice() as T;
  transfer.push(copy.buffer as ArrayBuffer);
  return copy;
}

/** Whether a value crosses to another thread unchanged by structured clone (a Buffer, a class instance would not). */
export function isPlainValue(value: Value): boolean {
  const type = typeof value;
  return value === null || type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint' || type === 'undefined';
}

function allPlain(values: readonly Value[]): boolean {
  for (let i = 0; i < values.length; i++) if (!isPlainValue(values[i])) return false;
  return true;
}

/**
 * The vector's positions [from, to) for a worker (bitmaps cut at from / 8: `from` is a multiple of 8), or undefined
 * when it holds values that would not cross unchanged (objects, Dates, Buffers): the batch then stays on this thread.
 */
export function sliceVector(vector: Vector, range: SliceRange, transfer: ArrayBuffer[]): Vector | undefined {
  const { from, to } = range;
  const valid = 'valid' in vector && vector.valid ? { valid: sliceArray(vector.valid, from >> 3, (to + 7) >> 3, transfer) } : {};
  switch (vector.kind) {
    case 'number':
    case 'timestamp':
      return { kind: vector.kind, values: sliceArray(vector.values, from, to, transfer), ...valid };
    case 'boolean':
      return { kind: 'boolean', values: sliceArray(vector.values, from, to, transfer), ...valid };
    case 'window':
      return { kind: 'window', starts: sliceArray(vector.starts, from, to, transfer), sizeMs: vector.sizeMs, ...valid };
    case 'dictionary':
      if (!allPlain(vector.dictionary)) return undefined;
      return { kind: 'dictionary', indices: sliceArray(vector.indices, from, to, transfer), dictionary: vector.dictionary, ...valid };
    case 'values': {
      const values = vector.values.slice(from, to);
      return allPlain(values) ? { kind: 'values', values } : undefined;
    }
  }
}
