import type { OperatorContext } from '../../component/definition.js';
import type { ColumnBatch } from '../../core/columnar/column-batch.js';
import { type ColumnarExpression, evaluateVector } from '../../core/columnar/evaluate.js';
import { valueAt } from '../../core/columnar/vector.js';
import { ConfigError } from '../../core/errors.js';
import { compareValues } from '../../core/expr/values.js';
import type { Row, Value } from '../../core/row.js';
import type { ColumnType } from '../../core/schema.js';
import type { StateValue } from '../../core/state/codec.js';
import { keyPart } from './group-key.js';
import { addToSketch, estimate, mergeSketch, newSketch } from './hyperloglog.js';

/** A group's aggregation buffer: each function owns `width` slots from its offset. Stored as is in the state. */
export type AggregationBuffer = StateValue[];

/**
 * One aggregate of a groupBy, after Spark's DeclarativeAggregate: a buffer initialised per group, updated per row,
 * merged (session windows join their buffers) and turned into the result. Nulls are ignored, as in SQL: `sum`,
 * `avg`, `min` and `max` of a group with no non-null value are null; `count(x)` counts non-null x, `count()` rows.
 */
export interface AggregateFunction {
  /** Output column. */
  readonly name: string;
  /** As written, e.g. `sum(value)`. */
  readonly text: string;
  readonly type: ColumnType;
  readonly width: number;
  /**
   * The argument, evaluated once per row (or once per columnar batch, as a vector) by the caller and shared by
   * aggregates of the same text (sum(x), max(x)).
   */
  readonly argument?: { text: string } & ColumnarExpression;
  init(buffer: AggregationBuffer, at: number): void;
  /** Folds one row in, given the row's value of `argument` (null for count()). */
  update(buffer: AggregationBuffer, at: number, value: Value): void;
  merge(into: AggregationBuffer, at: number, from: AggregationBuffer): void;
  result(buffer: AggregationBuffer, at: number): Value;
}

export const AGGREGATE_NAMES = ['count', 'sum', 'avg', 'min', 'max', 'approxCountDistinct'] as const;
const ALIASES: Record<string, (typeof AGGREGATE_NAMES)[number]> = {
  count: 'count',
  sum: 'sum',
  avg: 'avg',
  mean: 'avg',
  min: 'min',
  max: 'max',
  approxcountdistinct: 'approxCountDistinct',
  approx_count_distinct: 'approxCountDistinct',
};

/**
 * `sum(value * 2)` as the aggregate it names (by any of its spellings; undefined for an unknown name), the name as
 * written and the argument text (`''` or `*` for count()); undefined when the text is not a call at all. Shared with
 * the PySpark export, so both read an aggregate the same way.
 */
export function aggregateCall(
  text: string,
): { kind: (typeof AGGREGATE_NAMES)[number] | undefined; written: string; argument: string } | undefined {
  const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*(.*?)\s*\)\s*$/s.exec(text);
  return match ? { kind: ALIASES[match[1].toLowerCase()], written: match[1], argument: match[2] } : undefined;
}

/** Parses `count()`, `sum(value * 2)`, ... into a function writing column `name`. */
export function parseAggregate(name: string, text: string, context: OperatorContext): AggregateFunction {
  const path = `agg.${name}`;
  const fail = (message: string): never => {
    throw ConfigError.single({ file: context.location.file, path: `${context.location.path}.${path}`, message });
  };
  const call = aggregateCall(text);
  if (!call)
    fail(`'${text}' is not an aggregate: write one of ${AGGREGATE_NAMES.map((n) => `${n}(...)`).join(', ')}, e.g. count() or sum(value)`);
  const kind = call!.kind;
  if (!kind) fail(`unknown aggregate '${call!.written}' (known: ${AGGREGATE_NAMES.join(', ')})`);
  const argText = call!.argument;
  if (argText === '' || argText === '*') {
    if (kind !== 'count') fail(`${kind}() needs a column or expression, e.g. ${kind}(value)`);
    return countRows(name, text.trim());
  }
  const arg = context.compile(argText, context.input, path);
  const argument = { text: argText.trim(), evaluate: arg.evaluate, vector: arg.vector };
  const numeric = arg.type === 'long' || arg.type === 'double' || arg.type === 'any';
  const base = { name, text: text.trim(), argument };
  switch (kind) {
    case 'count':
      return { ...countValues(), ...base };
    case 'sum':
      if (!numeric) fail(`sum needs numbers, but '${argText}' is ${arg.type}`);
      return { ...sum(arg.type === 'any' ? 'double' : arg.type), ...base };
    case 'avg':
      if (!numeric) fail(`avg needs numbers, but '${argText}' is ${arg.type}`);
      return { ...avg(), ...base };
    case 'min':
    case 'max':
      if (arg.type === 'array' || arg.type === 'struct')
        fail(`${kind} needs values that have an order (numbers, strings, timestamps), but '${argText}' is ${arg.type}`);
      return { ...extreme(arg.type, kind === 'min' ? -1 : 1), ...base };
    default:
      return { ...approxCountDistinct(), ...base };
  }
}

type Behaviour = Omit<AggregateFunction, 'name' | 'text' | 'argument'>;

function countRows(name: string, text: string): AggregateFunction {
  return { name, text, ...counter() };
}

function counter(): Behaviour {
  return {
    type: 'long',
    width: 1,
    init: (b, at) => void (b[at] = 0),
    update: (b, at) => void (b[at] = (b[at] as number) + 1),
    merge: (into, at, from) => void (into[at] = (into[at] as number) + (from[at] as number)),
    result: (b, at) => b[at] as number,
  };
}

function countValues(): Behaviour {
  return {
    ...counter(),
    update: (b, at, v) => {
      if (v !== null && v !== undefined) b[at] = (b[at] as number) + 1;
    },
  };
}

function sum(type: ColumnType): Behaviour {
  return {
    type,
    width: 1,
    init: (b, at) => void (b[at] = null),
    update: (b, at, v) => {
      if (typeof v === 'number') b[at] = b[at] === null ? v : (b[at] as number) + v;
    },
    merge: (into, at, from) => {
      if (from[at] !== null) into[at] = into[at] === null ? from[at] : (into[at] as number) + (from[at] as number);
    },
    result: (b, at) => b[at] as number | null,
  };
}

function avg(): Behaviour {
  return {
    type: 'double',
    width: 2,
    init: (b, at) => {
      b[at] = 0;
      b[at + 1] = 0;
    },
    update: (b, at, v) => {
      if (typeof v !== 'number') return;
      b[at] = (b[at] as number) + v;
      b[at + 1] = (b[at + 1] as number) + 1;
    },
    merge: (into, at, from) => {
      into[at] = (into[at] as number) + (from[at] as number);
      into[at + 1] = (into[at + 1] as number) + (from[at + 1] as number);
    },
    result: (b, at) => ((b[at + 1] as number) > 0 ? (b[at] as number) / (b[at + 1] as number) : null),
  };
}

function extreme(type: ColumnType, sign: 1 | -1): Behaviour {
  const better = (candidate: Value, current: StateValue): boolean => {
    if (current === null || current === undefined) return true;
    if (typeof candidate === 'number' && typeof current === 'number' && candidate === candidate && current === current) {
      return sign > 0 ? candidate > current : candidate < current; // the common case, without the generic comparison
    }
    const c = compareValues(candidate, current as Value);
    return c !== null && c * sign > 0;
  };
  return {
    type,
    width: 1,
    init: (b, at) => void (b[at] = null),
    update: (b, at, v) => {
      if (v !== null && v !== undefined && better(v, b[at])) b[at] = v;
    },
    merge: (into, at, from) => {
      if (from[at] !== null && better(from[at] as Value, into[at])) into[at] = from[at];
    },
    result: (b, at) => b[at] as Value,
  };
}

function approxCountDistinct(): Behaviour {
  return {
    type: 'long',
    width: 1,
    init: (b, at) => void (b[at] = null),
    update: (b, at, v) => {
      if (v === null || v === undefined) return;
      if (b[at] === null) b[at] = newSketch();
      addToSketch(b[at] as Uint8Array, keyPart(v));
    },
    merge: (into, at, from) => {
      if (from[at] === null) return;
      if (into[at] === null) into[at] = newSketch();
      mergeSketch(into[at] as Uint8Array, from[at] as Uint8Array);
    },
    result: (b, at) => (b[at] === null ? 0 : estimate(b[at] as Uint8Array)),
  };
}

/** Evaluates each distinct argument once per row, so `sum(x)`, `avg(x)` and `max(x)` read `x` once. */
export class ArgumentPlan {
  /** The current row's argument values, by slot. */
  readonly values: Value[];
  /** Per function, its argument's slot, or -1 (count()). */
  readonly slots: number[];
  private readonly evaluators: ColumnarExpression[];

  constructor(functions: readonly AggregateFunction[]) {
    const texts: string[] = [];
    this.evaluators = [];
    this.slots = functions.map((f) => {
      if (!f.argument) return -1;
      let slot = texts.indexOf(f.argument.text);
      if (slot < 0) {
        slot = texts.push(f.argument.text) - 1;
        this.evaluators.push(f.argument);
      }
      return slot;
    });
    this.values = new Array(texts.length).fill(null);
  }

  evaluate(row: Row): void {
    for (let i = 0; i < this.evaluators.length; i++) this.values[i] = this.evaluators[i].evaluate(row);
  }

  /**
   * Folds a columnar batch's rows into their groups' buffers, one function at a time (each loop calls one update):
   * row r (at the batch's r-th selected position) into `buffers[groupOf[r]]`, unless groupOf[r] is -1. The arguments
   * are evaluated as vectors, once each.
   */
  foldColumns(
    batch: ColumnBatch,
    functions: readonly AggregateFunction[],
    offsets: readonly number[],
    groupOf: Int32Array,
    buffers: readonly AggregationBuffer[],
  ): void {
    const vectors = this.evaluators.map((e) => evaluateVector(e, batch));
    const selection = batch.selection;
    for (let f = 0; f < functions.length; f++) {
      const vector = this.slots[f] < 0 ? undefined : vectors[this.slots[f]];
      const { update } = functions[f];
      const at = offsets[f];
      const plain = vector?.kind === 'number' && vector.valid === undefined ? vector.values : undefined;
      for (let r = 0; r < groupOf.length; r++) {
        const g = groupOf[r];
        if (g < 0) continue;
        const i = selection ? selection[r] : r;
        update(buffers[g], at, plain ? plain[i] : vector ? valueAt(vector, i) : null);
      }
    }
  }

  /** Folds the row last given to `evaluate` into `buffer`. */
  update(functions: readonly AggregateFunction[], offsets: readonly number[], buffer: AggregationBuffer): void {
    const { values, slots } = this;
    for (let f = 0; f < functions.length; f++) functions[f].update(buffer, offsets[f], slots[f] < 0 ? null : values[slots[f]]);
  }
}
