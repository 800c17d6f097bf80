/**
 * Building column vectors one value at a time, for sources that parse records (file, Kafka) and so do not know the
 * row count up front: typed arrays that double as they fill, a validity bitmap made at the first null, and strings
 * dictionary-encoded while they repeat enough (see StringColumn).
 */
import type { Value } from '../row.js';
import type { ColumnType } from '../schema.js';
import { ColumnBatch } from './column-batch.js';
import { allValid, setNull, type Vector } from './vector.js';

/**
 * One column being built. `push` takes a value as the row would hold it, except timestamps: epoch milliseconds (a
 * number), so no Date is made per value; null is a null. `finish` gives the vector of the `length` values pushed.
 */
export interface ColumnBuilder {
  push(value: Value): void;
  finish(): Vector;
}

/** A builder for a column of that schema type: numbers, timestamps and booleans typed, strings dictionary-encoded. */
export function columnBuilder(type: ColumnType, expected = 1024): ColumnBuilder {
  switch (type) {
    case 'long':
    case 'double':
      return new NumberColumn('number', expected);
    case 'timestamp':
      return new NumberColumn('timestamp', expected);
    case 'boolean':
      return new BooleanColumn(expected);
    case 'string':
      return new StringColumn(expected);
    default:
      return new ValuesColumn();
  }
}

/** A ColumnBatch of finished builders, all holding `length` values. */
export function finishColumns(names: readonly string[], builders: readonly ColumnBuilder[], length: number): ColumnBatch {
  return new ColumnBatch(
    names,
    builders.map((b) => b.finish()),
    length,
  );
}

/** Validity for a growing column: no bitmap until the first null, then one kept as long as the values. */
class Validity {
  bits: Uint8Array | undefined;

  markNull(i: number, capacity: number): void {
    if (!this.bits) this.bits = allValid(capacity);
    else if (this.bits.length < (capacity + 7) >> 3) this.bits = grownBits(this.bits, capacity);
    setNull(this.bits, i);
  }

  /** The bitmap for `length` values (undefined: no nulls). */
  finish(length: number): Uint8Array | undefined {
    if (!this.bits) return undefined;
    return this.bits.length === (length + 7) >> 3 ? this.bits : this.bits.slice(0, (length + 7) >> 3);
  }
}

function grownBits(bits: Uint8Array, capacity: number): Uint8Array {
  const grown = allValid(Math.max(capacity, bits.length * 16));
  grown.set(bits);
  return grown;
}

/** The array cut to `length`: shared when it fits exactly, else copied (so a batch does not keep the spare half). */
function trimmed<T extends Float64Array | Uint8Array | Int32Array>(array: T, length: number): T {
  return (array.length === length ? array : array.slice(0, length)) as T;
}

class NumberColumn implements ColumnBuilder {
  private values: Float64Array;
  private length = 0;
  private readonly validity = new Validity();

  constructor(
    private readonly kind: 'number' | 'timestamp',
    expected: number,
  ) {
    this.values = new Float64Array(Math.max(expected, 16));
  }

  push(value: Value): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    if (typeof value === 'number') this.values[this.length] = value;
    else this.validity.markNull(this.length, this.values.length);
    this.length++;
  }

  finish(): Vector {
    return { kind: this.kind, values: trimmed(this.values, this.length), valid: this.validity.finish(this.length) };
  }
}

class BooleanColumn implements ColumnBuilder {
  private values: Uint8Array;
  private length = 0;
  private readonly validity = new Validity();

  constructor(expected: number) {
    this.values = new Uint8Array(Math.max(expected, 16));
  }

  push(value: Value): void {
    if (this.length === this.values.length) {
      const grown = new Uint8Array(this.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    if (typeof value === 'boolean') this.values[this.length] = value ? 1 : 0;
    else this.validity.markNull(this.length, this.values.length);
    this.length++;
  }

  finish(): Vector {
    return { kind: 'boolean', values: trimmed(this.values, this.length), valid: this.validity.finish(this.length) };
  }
}

class ValuesColumn implements ColumnBuilder {
  private readonly values: Value[] = [];

  push(value: Value): void {
    this.values.push(value);
  }

  finish(): Vector {
    return { kind: 'values', values: this.values };
  }
}

/**
 * Strings, dictionary-encoded while that pays: each distinct string is kept once and the column is an Int32Array of
 * indices (Arrow's dictionary arrays), so an expression over it is computed once per distinct value and a buffered
 * batch holds one copy of a repeated label. A column of mostly distinct strings (ids, payloads) gains nothing and
 * pays a hash lookup per value: once it has more than DICTIONARY_MIN distinct values and they are more than half of
 * the values seen, it turns into a plain array of strings for good (bench/parsers.ts measures both).
 */
export class StringColumn implements ColumnBuilder {
  static readonly DICTIONARY_MIN = 1024;
  private indices: Int32Array | undefined;
  private readonly codes = new Map<string, number>();
  private readonly dictionary: string[] = [];
  private plain: Value[] | undefined;
  private length = 0;
  private readonly validity = new Validity();

  constructor(expected: number) {
    this.indices = new Int32Array(Math.max(expected, 16));
  }

  push(value: Value): void {
    if (this.plain) {
      this.plain.push(value);
      return;
    }
    let indices = this.indices!;
    if (this.length === indices.length) {
      indices = new Int32Array(this.length * 2);
      indices.set(this.indices!);
      this.indices = indices;
    }
    if (value === null) this.validity.markNull(this.length, indices.length);
    else {
      let code = this.codes.get(value as string);
      if (code === undefined) {
        code = this.dictionary.length;
        if (code >= StringColumn.DICTIONARY_MIN && code * 2 > this.length) {
          this.toPlain().push(value);
          return;
        }
        this.codes.set(value as string, code);
        this.dictionary.push(value as string);
      }
      indices[this.length] = code;
    }
    this.length++;
  }

  /** Gives up the dictionary: the values so far as a plain array. */
  private toPlain(): Value[] {
    const plain: Value[] = new Array(this.length);
    const indices = this.indices!;
    const valid = this.validity.bits;
    for (let i = 0; i < this.length; i++) {
      plain[i] = valid !== undefined && (valid[i >> 3] & (1 << (i & 7))) === 0 ? null : this.dictionary[indices[i]];
    }
    this.plain = plain;
    this.indices = undefined;
    this.codes.clear();
    return plain;
  }

  finish(): Vector {
    if (this.plain) return { kind: 'values', values: this.plain };
    return {
      kind: 'dictionary',
      indices: trimmed(this.indices!, this.length),
      dictionary: this.dictionary,
      valid: this.validity.finish(this.length),
    };
  }
}
