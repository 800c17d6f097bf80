/**
 * Expressions over one string column, vectorized by the row closure itself: on a dictionary vector it runs once per
 * distinct value (and once for null), and each row takes its value's result through its index; on a plain array of
 * strings it runs once per selected row on a one-column row (no row objects of the batch are built). So `=`, `!=`,
 * `<`, `in`, `is null`, `like`, `upper(...)`, `length(...)`... over a Kafka topic or a CSV label cost one call per
 * distinct value, with the row path's semantics exactly (it is the row path). Sound because expressions are pure
 * (no random or clock functions: index.ts), so a value's result does not depend on which row holds it.
 */
import type { ColumnBatch } from '../columnar/column-batch.js';
import { allValid, isValid, setNull, type Vector } from '../columnar/vector.js';
import type { Row, Value } from '../row.js';
import { findColumn, type Schema } from '../schema.js';
import { compile } from './compile.js';
import type { Node } from './parser.js';

/** What the expression gives: numbers and booleans as typed vectors, strings as a dictionary (or plain) vector. */
export type ResultKind = 'number' | 'boolean' | 'string';

/** The one column `node` reads when that is a string column, else undefined. */
export function soleStringColumn(node: Node, schema: Schema): string | undefined {
  const names = new Set<string>();
  collectColumns(node, names);
  if (names.size !== 1) return undefined;
  const [name] = names;
  return findColumn(schema, name)?.type === 'string' ? name : undefined;
}

function collectColumns(node: Node, names: Set<string>): void {
  if (node.kind === 'column') names.add(node.name);
  for (const child of children(node)) collectColumns(child, names);
}

function children(node: Node): Node[] {
  switch (node.kind) {
    case 'literal':
    case 'column':
      return [];
    case 'field':
      return [node.object];
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'in':
      return [node.value, ...node.items];
    case 'isnull':
      return [node.value];
    case 'call':
      return node.args;
  }
}

/** The kind of vector the expression's type gives, or undefined for types without one (arrays, structs, any). */
export function resultKind(node: Node, schema: Schema): ResultKind | undefined {
  const type = compile(node, schema).type;
  if (type === 'long' || type === 'double') return 'number';
  return type === 'boolean' || type === 'string' ? type : undefined;
}

/**
 * The evaluator of `node` over its one string column `column`. It gives undefined (the caller's row path) when the
 * column is not a dictionary or plain vector, or when a result is not of `kind` (a long held as a bigint).
 */
export function overStringColumn(node: Node, schema: Schema, column: string, kind: ResultKind): (batch: ColumnBatch) => Vector | undefined {
  const { evaluate } = compile(node, schema);
  const row = oneColumnRow(column);
  const at = (value: Value): Value => {
    row[column] = value;
    return evaluate(row);
  };
  return (batch) => {
    const vector = batch.vector(column);
    if (vector?.kind === 'dictionary') {
      let results: Value[];
      let nullResult: Value;
      try {
        results = vector.dictionary.map(at);
        nullResult = at(null);
      } catch {
        return undefined; // a value no selected row may hold made the closure throw: the row path decides
      }
      const out = new ResultVector(kind, batch.capacity, results);
      const { indices, valid } = vector;
      return forEachSelected(batch, (i) => out.set(i, isValid(valid, i) ? indices[i] : -1, nullResult)) ? out.finish() : undefined;
    }
    if (vector?.kind === 'values') {
      const out = new ResultVector(kind, batch.capacity, []);
      const values = vector.values;
      return forEachSelected(batch, (i) => out.set(i, -1, at(values[i]))) ? out.finish() : undefined;
    }
    return undefined;
  };
}

/** A reusable row holding only `column` (an own property, even when the name is `__proto__`). */
function oneColumnRow(column: string): Row {
  const row: Row = {};
  Object.defineProperty(row, column, { value: null, enumerable: true, writable: true, configurable: true });
  return row;
}

/** Runs `body` for each selected position until it returns false; true when it never did. */
function forEachSelected(batch: ColumnBatch, body: (i: number) => boolean): boolean {
  const selection = batch.selection;
  const n = batch.length;
  for (let k = 0; k < n; k++) if (!body(selection === undefined ? k : selection[k])) return false;
  return true;
}

/**
 * The output vector. A string result over a dictionary stays a dictionary: the distinct results once each (so its
 * dictionary holds distinct values, as every dictionary vector does), rows as indices into them.
 */
class ResultVector {
  private readonly numbers: Float64Array | undefined;
  private readonly booleans: Uint8Array | undefined;
  private readonly indices: Int32Array | undefined;
  private readonly strings: Value[] | undefined;
  private readonly dictionary: Value[] = [];
  /** For a dictionary input: its index -> the index of its result in `dictionary` (-2: not seen yet). */
  private readonly remap: Int32Array;
  private readonly codes = new Map<Value, number>();
  private valid: Uint8Array | undefined;

  constructor(
    kind: ResultKind,
    private readonly capacity: number,
    /** Results per dictionary index (empty: `set` is given each row's result). */
    private readonly results: Value[],
  ) {
    if (kind === 'number') this.numbers = new Float64Array(capacity);
    else if (kind === 'boolean') this.booleans = new Uint8Array(capacity);
    else if (results.length > 0) this.indices = new Int32Array(capacity);
    else this.strings = new Array(capacity).fill(null);
    this.remap = new Int32Array(results.length).fill(-2);
  }

  /** Row i's result: that of dictionary index `code`, or `result` when code is -1. False when it is not of the kind. */
  set(i: number, code: number, result: Value): boolean {
    const value = code >= 0 ? this.results[code] : result;
    if (value === null) {
      this.valid ??= allValid(this.capacity);
      setNull(this.valid, i);
      return true;
    }
    if (this.numbers) {
      if (typeof value !== 'number') return false;
      this.numbers[i] = value;
    } else if (this.booleans) {
      if (typeof value !== 'boolean') return false;
      this.booleans[i] = value ? 1 : 0;
    } else if (typeof value !== 'string') return false;
    else if (this.strings) this.strings[i] = value;
    else this.indices![i] = code >= 0 ? this.distinct(code, value) : this.intern(value);
    return true;
  }

  private distinct(code: number, value: string): number {
    if (this.remap[code] === -2) this.remap[code] = this.intern(value);
    return this.remap[code];
  }

  private intern(value: string): number {
    let index = this.codes.get(value);
    if (index === undefined) {
      index = this.dictionary.length;
      this.codes.set(value, index);
      this.dictionary.push(value);
    }
    return index;
  }

  finish(): Vector {
    const valid = this.valid;
    if (this.numbers) return { kind: 'number', values: this.numbers, valid };
    if (this.booleans) return { kind: 'boolean', values: this.booleans, valid };
    if (this.indices) return { kind: 'dictionary', indices: this.indices, dictionary: this.dictionary, valid };
    return { kind: 'values', values: this.strings! };
  }
}
