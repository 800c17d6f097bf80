import type { Value } from '../../row.js';
import { ColumnBatch } from '../column-batch.js';
import { allValid, type Vector } from '../vector.js';
import type { SliceColumn } from './messages.js';
import { selectionIn, type SliceRange } from './slices.js';

/** A worker's output for its range: columns and its rows (positions from 0 within the range, or 'input': its input's). */
export interface SliceOutput {
  range: SliceRange;
  names: readonly string[];
  columns: readonly SliceColumn[];
  selection: Int32Array | 'input';
}

/**
 * Puts the stage's output back together: the main thread's output over the whole batch (values at its range's
 * positions only) and each worker's over its range. A column every part passed through unchanged is the input vector
 * itself; a computed one is the main thread's vector with the workers' ranges copied in (or a new one when the main
 * thread's shares memory with the input). Undefined when the parts do not line up (other names, other kinds of
 * vector): the caller then runs the batch on one thread, which gives the same rows.
 */
export function mergeSlices(
  input: ColumnBatch,
  mainPart: { range: SliceRange; selection: Int32Array },
  main: ColumnBatch,
  outputs: readonly SliceOutput[],
): ColumnBatch | undefined {
  const mainRange = mainPart.range;
  if (outputs.some((o) => !sameNames(o.names, main.names))) return undefined;
  const inputMemory = new Set<unknown>();
  for (const vector of input.vectors) for (const array of arraysOf(vector)) inputMemory.add(array);
  const vectors: Vector[] = [];
  for (let c = 0; c < main.names.length; c++) {
    const first = main.vectors[c];
    const inputIndex = input.vectors.indexOf(first);
    if (inputIndex >= 0 && outputs.every((o) => passedThrough(o.columns[c]) === inputIndex)) {
      vectors.push(first);
      continue;
    }
    const parts = outputs.map((o) => partOf(o.columns[c], input));
    const merged = mergeVector(first, mainRange, parts, outputs, input.capacity, inputMemory);
    if (!merged) return undefined;
    vectors.push(merged);
  }
  const selection = mergeSelection(input, mainPart.selection, main, outputs);
  return new ColumnBatch(main.names, vectors, input.capacity, selection);
}

/** A worker's vector, or the input vector it passed through (read at the worker's range, as the full input). */
function partOf(column: SliceColumn, input: ColumnBatch): { vector: Vector; whole: boolean } {
  return 'input' in column ? { vector: input.vectors[column.input], whole: true } : { vector: column.vector, whole: false };
}

function passedThrough(column: SliceColumn): number | undefined {
  return 'input' in column ? column.input : undefined;
}

/** The arrays a vector holds, each as what identifies its memory: a typed array's buffer, a plain array itself. */
function arraysOf(vector: Vector): unknown[] {
  const arrays: unknown[] = [];
  switch (vector.kind) {
    case 'values':
      return [vector.values];
    case 'window':
      arrays.push(vector.starts);
      break;
    case 'dictionary':
      arrays.push(vector.indices);
      break;
    default:
      arrays.push(vector.values);
  }
  if (vector.valid) arrays.push(vector.valid);
  return arrays.map(memoryOf);
}

function memoryOf(array: unknown): unknown {
  return ArrayBuffer.isView(array) ? array.buffer : array;
}

type Values = Float64Array | Uint8Array | Value[];

/** The array of values of a non-dictionary vector (window: its starts). */
function valuesOf(vector: Vector): Values | undefined {
  if (vector.kind === 'dictionary') return undefined;
  return vector.kind === 'window' ? vector.starts : vector.values;
}

function mergeVector(
  first: Vector,
  mainRange: SliceRange,
  parts: Array<{ vector: Vector; whole: boolean }>,
  outputs: readonly SliceOutput[],
  capacity: number,
  inputArrays: Set<unknown>,
): Vector | undefined {
  const firstValues = valuesOf(first);
  if (!firstValues) return undefined; // a dictionary computed by the stage: not merged (see worker.ts)
  for (const { vector } of parts) {
    if (vector.kind !== first.kind) return undefined;
    if (vector.kind === 'window' && first.kind === 'window' && vector.sizeMs !== first.sizeMs) return undefined;
  }
  const reuse = !inputArrays.has(memoryOf(firstValues));
  const target = reuse ? firstValues : emptyLike(firstValues, capacity);
  if (!reuse) copyInto(target, firstValues, mainRange.from, mainRange.from, mainRange.to - mainRange.from);
  for (const [j, { vector, whole }] of parts.entries()) {
    const { from, to } = outputs[j].range;
    copyInto(target, valuesOf(vector)!, whole ? from : 0, from, to - from);
  }
  const valid = mergeValidity(first, mainRange, parts, outputs, capacity);
  const withValid = valid ? { valid } : {};
  switch (first.kind) {
    case 'window':
      return { kind: 'window', starts: target as Float64Array, sizeMs: first.sizeMs, ...withValid };
    case 'values':
      return { kind: 'values', values: target as Value[] };
    case 'boolean':
      return { kind: 'boolean', values: target as Uint8Array, ...withValid };
    default:
      return { kind: first.kind as 'number', values: target as Float64Array, ...withValid };
  }
}

function emptyLike(values: Values, capacity: number): Values {
  if (values instanceof Float64Array) return new Float64Array(capacity);
  if (values instanceof Uint8Array) return new Uint8Array(capacity);
  return new Array(capacity);
}

function copyInto(target: Values, source: Values, sourceAt: number, at: number, length: number): void {
  if (Array.isArray(target)) {
    for (let i = 0; i < length; i++) target[at + i] = (source as Value[])[sourceAt + i];
  } else {
    (target as Float64Array).set((source as Float64Array).subarray(sourceAt, sourceAt + length), at);
  }
}

/** A new bitmap with every part's bits at its range (ranges start at multiples of 8: whole bytes), when any part has one. */
function mergeValidity(
  first: Vector,
  mainRange: SliceRange,
  parts: Array<{ vector: Vector; whole: boolean }>,
  outputs: readonly SliceOutput[],
  capacity: number,
): Uint8Array | undefined {
  const validOf = (v: Vector) => ('valid' in v ? v.valid : undefined);
  if (!validOf(first) && parts.every((p) => !validOf(p.vector))) return undefined;
  const merged = allValid(capacity);
  const copy = (vector: Vector, sourceFrom: number, range: SliceRange) => {
    const valid = validOf(vector);
    if (!valid) return;
    const bytes = (range.to - range.from + 7) >> 3;
    merged.set(valid.subarray(sourceFrom >> 3, (sourceFrom >> 3) + bytes), range.from >> 3);
  };
  copy(first, mainRange.from, mainRange);
  for (const [j, { vector, whole }] of parts.entries()) copy(vector, whole ? outputs[j].range.from : 0, outputs[j].range);
  return merged;
}

/**
 * The rows of the merged batch: the input's selection when no part narrowed it, else the main thread's positions
 * followed by each worker's, moved to its range.
 */
function mergeSelection(
  input: ColumnBatch,
  mainInput: Int32Array,
  main: ColumnBatch,
  outputs: readonly SliceOutput[],
): Int32Array | undefined {
  const mainSelection = main.selection!;
  if (mainSelection === mainInput && outputs.every((o) => o.selection === 'input')) return input.selection;
  let total = mainSelection.length;
  for (const o of outputs) total += o.selection === 'input' ? rowsIn(input, o.range) : o.selection.length;
  const merged = new Int32Array(total);
  merged.set(mainSelection);
  let at = mainSelection.length;
  for (const { range, selection } of outputs) {
    if (selection !== 'input') {
      for (let k = 0; k < selection.length; k++) merged[at++] = selection[k] + range.from;
    } else if (input.selection) {
      const rows = selectionIn(input, range)!;
      merged.set(rows, at);
      at += rows.length;
    } else {
      for (let i = range.from; i < range.to; i++) merged[at++] = i;
    }
  }
  return merged;
}

function rowsIn(input: ColumnBatch, range: SliceRange): number {
  return input.selection ? selectionIn(input, range)!.length : range.to - range.from;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
