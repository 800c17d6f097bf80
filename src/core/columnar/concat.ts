/**
 * One ColumnBatch of several with the same columns, rows in order: what a source that reads parts of a batch at once
 * (the kafka source, one part per partition) gives as its batch. Typed arrays are copied once into arrays of the total
 * length; dictionaries are merged (each distinct value once, indices remapped); a column that is a plain array of values
 * in any part is one in the result.
 */
import type { Value } from '../row.js';
import { ColumnBatch } from './column-batch.js';
import { allValid, isValid, setNull, valueAt, type Vector } from './vector.js';

/** The parts' rows in order. Parts have no selection (they come from builders) and the names of the first. */
export function concatBatches(parts: readonly ColumnBatch[]): ColumnBatch {
  if (parts.length === 1) return parts[0];
  const names = parts[0]?.names ?? [];
  const total = parts.reduce((n, p) => n + p.capacity, 0);
  const vectors = names.map((_, c) =>
    concatVectors(
      parts.map((p) => p.vectors[c]),
      parts.map((p) => p.capacity),
      total,
    ),
  );
  return new ColumnBatch(names, vectors, total);
}

function concatVectors(vectors: Vector[], lengths: number[], total: number): Vector {
  const kind = vectors[0]?.kind;
  if (kind === undefined || !vectors.every((v) => v.kind === kind) || kind === 'values' || kind === 'window') {
    return { kind: 'values', values: plainValues(vectors, lengths, total) };
  }
  const valid = concatValidity(vectors as Array<{ valid?: Uint8Array }>, lengths, total);
  if (kind === 'dictionary') return concatDictionaries(vectors as Array<Extract<Vector, { kind: 'dictionary' }>>, lengths, total, valid);
  const values = kind === 'boolean' ? new Uint8Array(total) : new Float64Array(total);
  let at = 0;
  vectors.forEach((v, p) => {
    values.set((v as { values: Float64Array | Uint8Array }).values.subarray(0, lengths[p]), at);
    at += lengths[p];
  });
  return { kind, values, valid } as Vector;
}

function plainValues(vectors: Vector[], lengths: number[], total: number): Value[] {
  const values: Value[] = new Array(total);
  let at = 0;
  vectors.forEach((v, p) => {
    let previous: Value | undefined;
    for (let i = 0; i < lengths[p]; i++) previous = values[at++] = valueAt(v, i, previous);
  });
  return values;
}

/** The parts' bitmaps end to end; undefined when no part has a null. */
function concatValidity(vectors: Array<{ valid?: Uint8Array }>, lengths: number[], total: number): Uint8Array | undefined {
  if (vectors.every((v) => v.valid === undefined)) return undefined;
  const valid = allValid(total);
  let at = 0;
  vectors.forEach((v, p) => {
    for (let i = 0; i < lengths[p]; i++) if (!isValid(v.valid, i)) setNull(valid, at + i);
    at += lengths[p];
  });
  return valid;
}

function concatDictionaries(
  vectors: Array<Extract<Vector, { kind: 'dictionary' }>>,
  lengths: number[],
  total: number,
  valid: Uint8Array | undefined,
): Vector {
  const codes = new Map<Value, number>();
  const dictionary: Value[] = [];
  const indices = new Int32Array(total);
  let at = 0;
  vectors.forEach((v, p) => {
    const remap = v.dictionary.map((value) => {
      let code = codes.get(value);
      if (code === undefined) {
        code = dictionary.length;
        codes.set(value, code);
        dictionary.push(value);
      }
      return code;
    });
    for (let i = 0; i < lengths[p]; i++) indices[at + i] = remap[v.indices[i]] ?? 0;
    at += lengths[p];
  });
  return { kind: 'dictionary', indices, dictionary, valid };
}
