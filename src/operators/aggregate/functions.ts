import type { OperatorContext } from '../../config/component.js';
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
  init(buffer: AggregationBuffer, at: number): void;
  update(buffer: AggregationBuffer, at: number, row: Row): void;
  merge(into: AggregationBuffer, at: number, from: AggregationBuffer): void;
  result(buffer: AggregationBuffer, at: number): Value;
}

export const AGGREGATE_NAMES = ['count', 'sum', 'avg', 'min', 'max', 'approxCountDistinct'] as const;
const ALIASES: Record<string, (typeof AGGREGATE_NAMES)[number]> = {
  count: 'count', sum: 'sum', avg: 'avg', mean: 'avg', min: 'min', max: 'max',
  approxcountdistinct: 'approxCountDistinct', approx_count_distinct: 'approxCountDistinct',
};

/** Parses `count()`, `sum(value * 2)`, ... into a function writing column `name`. */
export function parseAggregate(name: string, text: string, context: OperatorContext): AggregateFunction {
  const path = `agg.${name}`;
  const fail = (message: string): never => {
    throw ConfigError.single({ file: context.location.file, path: `${context.location.path}.${path}`, message });
  };
  const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*(.*?)\s*\)\s*$/s.exec(text);
  if (!match) fail(`'${text}' is not an aggregate: write one of ${AGGREGATE_NAMES.map((n) => `${n}(...)`).join(', ')}, e.g. count() or sum(value)`);
  const kind = ALIASES[match![1].toLowerCase()];
  if (!kind) fail(`unknown aggregate '${match![1]}' (known: ${AGGREGATE_NAMES.join(', ')})`);
  const argText = match![2];
  if (argText === '' || argText === '*') {
    if (kind !== 'count') fail(`${kind}() needs a column or expression, e.g. ${kind}(value)`);
    return countRows(name, text.trim());
  }
  const arg = context.compile(argText, context.input, path);
  const evaluate = arg.evaluate;
  const numeric = arg.type === 'long' || arg.type === 'double' || arg.type === 'any';
  switch (kind) {
    case 'count':
      return countValues(name, text.trim(), evaluate);
    case 'sum':
      if (!numeric) fail(`sum needs numbers, but '${argText}' is ${arg.type}`);
      return sum(name, text.trim(), evaluate, arg.type === 'any' ? 'double' : arg.type);
    case 'avg':
      if (!numeric) fail(`avg needs numbers, but '${argText}' is ${arg.type}`);
      return avg(name, text.trim(), evaluate);
    case 'min':
    case 'max':
      if (arg.type === 'array' || arg.type === 'struct') fail(`${kind} needs values that have an order (numbers, strings, timestamps), but '${argText}' is ${arg.type}`);
      return extreme(name, text.trim(), evaluate, arg.type, kind === 'min' ? -1 : 1);
    default:
      return approxCountDistinct(name, text.trim(), evaluate);
  }
}

function countRows(name: string, text: string): AggregateFunction {
  return {
    name, text, type: 'long', width: 1,
    init: (b, at) => void (b[at] = 0),
    update: (b, at) => void (b[at] = (b[at] as number) + 1),
    merge: (into, at, from) => void (into[at] = (into[at] as number) + (from[at] as number)),
    result: (b, at) => b[at] as number,
  };
}

function countValues(name: string, text: string, evaluate: (row: Row) => Value): AggregateFunction {
  return {
    ...countRows(name, text),
    update: (b, at, row) => {
      const v = evaluate(row);
      if (v !== null && v !== undefined) b[at] = (b[at] as number) + 1;
    },
  };
}

function sum(name: string, text: string, evaluate: (row: Row) => Value, type: ColumnType): AggregateFunction {
  return {
    name, text, type, width: 1,
    init: (b, at) => void (b[at] = null),
    update: (b, at, row) => {
      const v = evaluate(row);
      if (typeof v === 'number') b[at] = b[at] === null ? v : (b[at] as number) + v;
    },
    merge: (into, at, from) => {
      if (from[at] !== null) into[at] = into[at] === null ? from[at] : (into[at] as number) + (from[at] as number);
    },
    result: (b, at) => b[at] as number | null,
  };
}

function avg(name: string, text: string, evaluate: (row: Row) => Value): AggregateFunction {
  return {
    name, text, type: 'double', width: 2,
    init: (b, at) => {
      b[at] = 0;
      b[at + 1] = 0;
    },
    update: (b, at, row) => {
      const v = evaluate(row);
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

function extreme(name: string, text: string, evaluate: (row: Row) => Value, type: ColumnType, sign: 1 | -1): AggregateFunction {
  const better = (candidate: Value, current: StateValue): boolean => {
    if (current === null || current === undefined) return true;
    const c = compareValues(candidate, current as Value);
    return c !== null && c * sign > 0;
  };
  return {
    name, text, type, width: 1,
    init: (b, at) => void (b[at] = null),
    update: (b, at, row) => {
      const v = evaluate(row);
      if (v !== null && v !== undefined && better(v, b[at])) b[at] = v;
    },
    merge: (into, at, from) => {
      if (from[at] !== null && better(from[at] as Value, into[at])) into[at] = from[at];
    },
    result: (b, at) => b[at] as Value,
  };
}

function approxCountDistinct(name: string, text: string, evaluate: (row: Row) => Value): AggregateFunction {
  return {
    name, text, type: 'long', width: 1,
    init: (b, at) => void (b[at] = null),
    update: (b, at, row) => {
      const v = evaluate(row);
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
