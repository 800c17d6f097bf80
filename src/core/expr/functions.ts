/**
 * The function table: plain data (name, arity, parameter kinds, result type, description, example) plus the
 * implementation. The docs are generated from it; a test evaluates every example and checks `exampleResult`.
 *
 * Unless `nullable` is set, a function is strict: the compiler returns null without calling it when any argument
 * is null, and converts arguments to their parameter kind first (a value of the wrong kind at run time is null).
 */
import type { Row, Value } from '../row.js';
import type { ColumnType } from '../schema.js';
import type { ParamKind, Ty } from './types.js';
import { castToString, compareValues, pythonMod, roundHalfUp, validDate } from './values.js';

export type Evaluator = (row: Row) => Value;
/**
 * A fixed-arity implementation, e.g. `(s: string, sep: string) => ...`. Each declares the parameter types its
 * signature guarantees (arguments are type-checked, and nulls handled, before it is called), while the compiler
 * calls every one with Values. A method's parameters are checked bivariantly, so the method type below accepts those
 * narrower functions without `any` (the same device as React's `EventHandler` types).
 */
export type Impl = { call(...args: (Value | undefined)[]): Value }['call'];

/**
 * How the result type follows from the argument types: `same` is the first argument's numeric type (long stays
 * long), `numeric` is long when all arguments are long, `common` / `common-tail` unify all / all but the first.
 */
export type ResultRule = ColumnType | 'same' | 'numeric' | 'common' | 'common-tail';

export interface FunctionSpec {
  name: string;
  /** As the docs show it: `round(x[, digits])`. */
  signature: string;
  description: string;
  /** A one-line example without columns, and what `string(example)` gives. */
  example: string;
  exampleResult: string;
  minArgs: number;
  /** `Infinity` for variadic functions. */
  maxArgs: number;
  /** Kind of argument i: `params[min(i, params.length - 1)]`. */
  params: ParamKind[];
  result: ResultRule;
  /** For an array result: the type of its elements (split gives strings), so that `explode` can type its column. */
  elementType?: ColumnType;
  /** Argument indexes that must be constants (known at compile time), as Spark requires for round's scale. */
  constantArgs?: number[];
  /** All arguments must be mutually ordered (least, greatest). */
  ordered?: boolean;
  /** Returns one of its arguments as is (so its result is only as trustworthy as they are). */
  passthrough?: boolean;
  /** Sees null arguments itself instead of the compiler returning null. */
  nullable?: boolean;
  /** Fixed arity (up to 4 arguments): called with positional arguments. */
  fn?: Impl;
  /** Variadic: called with the argument values in an array it must not keep. */
  fnN?: (args: Value[]) => Value;
  /** Special forms that decide which arguments to evaluate (if, coalesce). */
  lazy?: (args: Evaluator[]) => Evaluator;
  /** Builds `fn` from the static argument types (string() prints a double 1 as `1.0`). */
  build?: (types: Ty[]) => Impl;
}

const num = (name: string, description: string, fn: (x: number) => number, example: string, exampleResult: string): FunctionSpec => ({
  name,
  signature: `${name}(x)`,
  description,
  example,
  exampleResult,
  minArgs: 1,
  maxArgs: 1,
  params: ['number'],
  result: 'double',
  fn,
});
const timePart = (name: string, what: string, fn: (d: Date) => number, exampleResult: string): FunctionSpec => ({
  name,
  signature: `${name}(ts)`,
  description: `The ${what} of a timestamp, in UTC.`,
  example: `${name}(timestamp_millis(1714567890123))`,
  exampleResult,
  minArgs: 1,
  maxArgs: 1,
  params: ['timestamp'],
  result: 'long',
  fn,
});
const positiveLog = (x: number, f: (x: number) => number): number | null => (x > 0 ? f(x) : null);

function extreme(sign: 1 | -1): (args: Value[]) => Value {
  return (args) => {
    let best: Value = null;
    for (const v of args) {
      if (v === null) continue;
      if (best === null) best = v;
      else {
        const c = compareValues(v, best);
        if (c === null) return null;
        if (c * sign > 0) best = v;
      }
    }
    return best;
  };
}

/** named_struct's pairs, checked at run time: a name is text. */
function namedStruct(args: Value[]): Value {
  if (args.length % 2 !== 0) throw new Error(`named_struct takes names and values in pairs, got ${args.length} arguments`);
  const struct: Record<string, Value> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i];
    if (typeof name !== 'string')
      throw new Error(`named_struct: argument ${i + 1} must be a field name (text), got ${JSON.stringify(name)}`);
    struct[name] = args[i + 1];
  }
  return struct;
}

/** Spark's trim: removes leading and trailing spaces (U+0020 only, not tabs or newlines). */
function trimSpaces(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 32) start++;
  while (end > start && s.charCodeAt(end - 1) === 32) end--;
  return s.slice(start, end);
}

const SURROGATES = /[\uD800-\uDFFF]/;

/** Spark's length: characters (code points), not UTF-16 units. */
function codePoints(s: string): number {
  if (!SURROGATES.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Spark's substring (UTF8String.substringSQL): 1-based; 0 is 1; negative counts from the end. */
function substring(s: string, pos: number, len = Number.MAX_SAFE_INTEGER): string {
  const chars: string | string[] = SURROGATES.test(s) ? Array.from(s) : s;
  const p = Math.trunc(pos);
  let start = p > 0 ? p - 1 : p < 0 ? chars.length + p : 0;
  const end = start + Math.trunc(len);
  start = Math.max(start, 0);
  if (start >= end) return '';
  return typeof chars === 'string' ? chars.slice(start, end) : chars.slice(start, end).join('');
}

function toInt(v: Value): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) || 0 : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(v.trim()) ? Math.trunc(Number(v.trim())) || 0 : null;
  const d = validDate(v);
  return d ? Math.floor(d.getTime() / 1000) : null;
}

function toDouble(v: Value): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
    if (/^[+-]?(Infinity|inf)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
    return /^NaN$/i.test(s) ? NaN : null;
  }
  const d = validDate(v);
  return d ? d.getTime() / 1000 : null;
}

/** The course's triangle wave, bit for bit the Python original (whose `%` takes the sign of the divisor). */
export function triangle(x: number, phase: number, length: number, amplitude: number): number | null {
  if (length === 0) return null; // Python raises ZeroDivisionError
  const alpha = amplitude / (length / 2);
  return -amplitude / 2 + amplitude - alpha * Math.abs(pythonMod(x + phase, length) - length / 2);
}

export const FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'abs',
    signature: 'abs(x)',
    description: 'Absolute value.',
    example: 'abs(-3)',
    exampleResult: '3',
    minArgs: 1,
    maxArgs: 1,
    params: ['number'],
    result: 'same',
    fn: Math.abs,
  },
  num('sin', 'Sine of x radians.', Math.sin, 'sin(0)', '0.0'),
  num('cos', 'Cosine of x radians.', Math.cos, 'cos(0)', '1.0'),
  num('tan', 'Tangent of x radians.', Math.tan, 'tan(0)', '0.0'),
  num('sqrt', 'Square root (NaN for negative x).', Math.sqrt, 'sqrt(16)', '4.0'),
  num('exp', 'e to the power x.', Math.exp, 'exp(0)', '1.0'),
  {
    name: 'pow',
    signature: 'pow(x, y)',
    description: 'x to the power y, as a double.',
    example: 'pow(2, 10)',
    exampleResult: '1024.0',
    minArgs: 2,
    maxArgs: 2,
    params: ['number'],
    result: 'double',
    fn: Math.pow,
  },
  {
    name: 'log',
    signature: 'log([base, ]x)',
    description: 'Natural logarithm of x, or the logarithm of x in `base`; null when x <= 0 or base <= 0.',
    example: 'log(10, 1000)',
    exampleResult: '2.9999999999999996',
    minArgs: 1,
    maxArgs: 2,
    params: ['number'],
    result: 'double',
    fn: (a: number, b?: number) => (b === undefined ? positiveLog(a, Math.log) : a > 0 && b > 0 ? Math.log(b) / Math.log(a) : null),
  },
  {
    name: 'log10',
    signature: 'log10(x)',
    description: 'Base-10 logarithm; null when x <= 0.',
    example: 'log10(1000)',
    exampleResult: '3.0',
    minArgs: 1,
    maxArgs: 1,
    params: ['number'],
    result: 'double',
    fn: (x: number) => positiveLog(x, Math.log10),
  },
  {
    name: 'floor',
    signature: 'floor(x)',
    description: 'Largest whole number <= x, as a long.',
    example: 'floor(-2.5)',
    exampleResult: '-3',
    minArgs: 1,
    maxArgs: 1,
    params: ['number'],
    result: 'long',
    fn: Math.floor,
  },
  {
    name: 'ceil',
    signature: 'ceil(x)',
    description: 'Smallest whole number >= x, as a long.',
    example: 'ceil(2.1)',
    exampleResult: '3',
    minArgs: 1,
    maxArgs: 1,
    params: ['number'],
    result: 'long',
    fn: Math.ceil,
  },
  {
    name: 'round',
    signature: 'round(x[, digits])',
    description:
      "Rounds to `digits` decimals (default 0; negative rounds to tens, hundreds...) with Spark's HALF_UP: halves go away from zero, on the shortest decimal form of x. `digits` must be a constant.",
    example: 'round(2.345, 2)',
    exampleResult: '2.35',
    minArgs: 1,
    maxArgs: 2,
    params: ['number'],
    result: 'same',
    constantArgs: [1],
    fn: (x: number, digits?: number) => roundHalfUp(x, Math.trunc(digits ?? 0)),
  },
  {
    name: 'pmod',
    signature: 'pmod(a, b)',
    description: "Positive modulo (Spark's pmod): `a % b` moved into [0, |b|) for b > 0; null when b is 0.",
    example: 'pmod(-7, 3)',
    exampleResult: '2',
    minArgs: 2,
    maxArgs: 2,
    params: ['number'],
    result: 'numeric',
    fn: (a: number, b: number) => {
      if (b === 0) return null;
      const r = a % b;
      return r < 0 ? (r + b) % b : r;
    },
  },
  {
    name: 'least',
    signature: 'least(a, b, ...)',
    description: 'Smallest argument, skipping nulls (null only when all are null).',
    example: 'least(3, null, 1.5)',
    exampleResult: '1.5',
    minArgs: 2,
    maxArgs: Infinity,
    params: ['any'],
    result: 'common',
    ordered: true,
    passthrough: true,
    nullable: true,
    fnN: extreme(-1),
  },
  {
    name: 'greatest',
    signature: 'greatest(a, b, ...)',
    description: 'Largest argument, skipping nulls (null only when all are null).',
    example: "greatest('b', 'a')",
    exampleResult: 'b',
    minArgs: 2,
    maxArgs: Infinity,
    params: ['any'],
    result: 'common',
    ordered: true,
    passthrough: true,
    nullable: true,
    fnN: extreme(1),
  },
  {
    name: 'lower',
    signature: 'lower(s)',
    description: 'Lower case.',
    example: "lower('Hello')",
    exampleResult: 'hello',
    minArgs: 1,
    maxArgs: 1,
    params: ['string'],
    result: 'string',
    fn: (s: string) => s.toLowerCase(),
  },
  {
    name: 'upper',
    signature: 'upper(s)',
    description: 'Upper case.',
    example: "upper('Hello')",
    exampleResult: 'HELLO',
    minArgs: 1,
    maxArgs: 1,
    params: ['string'],
    result: 'string',
    fn: (s: string) => s.toUpperCase(),
  },
  {
    name: 'trim',
    signature: 'trim(s)',
    description: 'Removes leading and trailing spaces (only U+0020, as Spark; not tabs or newlines).',
    example: "trim('  a b  ')",
    exampleResult: 'a b',
    minArgs: 1,
    maxArgs: 1,
    params: ['string'],
    result: 'string',
    fn: trimSpaces,
  },
  {
    name: 'length',
    signature: 'length(s)',
    description: 'Number of characters (code points).',
    example: "length('héllo')",
    exampleResult: '5',
    minArgs: 1,
    maxArgs: 1,
    params: ['string'],
    result: 'long',
    fn: codePoints,
  },
  {
    name: 'size',
    signature: 'size(array)',
    description: 'Number of elements of an array (null for null, as Spark 4).',
    example: "size(split('a,b,c', ','))",
    exampleResult: '3',
    minArgs: 1,
    maxArgs: 1,
    params: ['array'],
    result: 'long',
    fn: (a: Value[]) => a.length,
  },
  {
    name: 'concat',
    signature: 'concat(s, ...)',
    description: 'Joins strings (numbers, booleans and timestamps are cast to string); null if any argument is null.',
    example: "concat('id-', 42)",
    exampleResult: 'id-42',
    minArgs: 1,
    maxArgs: Infinity,
    params: ['string'],
    result: 'string',
    fnN: (args) => args.join(''),
  },
  {
    name: 'substring',
    signature: 'substring(s, pos[, len])',
    description: "Up to `len` characters from 1-based `pos` (Spark's rules: 0 means 1, negative counts from the end).",
    example: "substring('streamlab', 7, 3)",
    exampleResult: 'lab',
    minArgs: 2,
    maxArgs: 3,
    params: ['string', 'number'],
    result: 'string',
    fn: substring,
  },
  {
    name: 'split',
    signature: 'split(s, sep)',
    description:
      'Splits at every occurrence of `sep`, taken literally (not a regular expression as in Spark); keeps empty parts; an empty `sep` splits into characters.',
    example: "split('a b  c', ' ')",
    exampleResult: '[a, b, , c]',
    minArgs: 2,
    maxArgs: 2,
    params: ['string'],
    result: 'array',
    elementType: 'string',
    fn: (s: string, sep: string) => (sep === '' ? Array.from(s) : s.split(sep)),
  },
  {
    name: 'coalesce',
    signature: 'coalesce(a, ...)',
    description: 'First argument that is not null; later arguments are not evaluated.',
    example: "coalesce(null, 'x', 'y')",
    exampleResult: 'x',
    minArgs: 1,
    maxArgs: Infinity,
    params: ['any'],
    result: 'common',
    passthrough: true,
    nullable: true,
    lazy: (args) => (row) => {
      for (const a of args) {
        const v = a(row);
        if (v !== null) return v;
      }
      return null;
    },
  },
  {
    name: 'if',
    signature: 'if(cond, a, b)',
    description: 'a when cond is true, else b (also when cond is null); only that branch is evaluated.',
    example: "if(1 < 2, 'yes', 'no')",
    exampleResult: 'yes',
    minArgs: 3,
    maxArgs: 3,
    params: ['boolean', 'any', 'any'],
    result: 'common-tail',
    passthrough: true,
    nullable: true,
    lazy:
      ([cond, a, b]) =>
      (row) =>
        cond(row) === true ? a(row) : b(row),
  },
  {
    name: 'isnull',
    signature: 'isnull(x)',
    description: 'true when x is null.',
    example: 'isnull(null)',
    exampleResult: 'true',
    minArgs: 1,
    maxArgs: 1,
    params: ['any'],
    result: 'boolean',
    nullable: true,
    fn: (x: Value) => x === null,
  },
  {
    name: 'isnotnull',
    signature: 'isnotnull(x)',
    description: 'true when x is not null.',
    example: 'isnotnull(1)',
    exampleResult: 'true',
    minArgs: 1,
    maxArgs: 1,
    params: ['any'],
    result: 'boolean',
    nullable: true,
    fn: (x: Value) => x !== null,
  },
  {
    name: 'string',
    signature: 'string(x)',
    description:
      'Cast to string as Spark does: doubles like Java (1.0, 1.0E7), timestamps as `yyyy-MM-dd HH:mm:ss[.SSS]` UTC, arrays as `[a, b]`.',
    example: 'string(1.0)',
    exampleResult: '1.0',
    minArgs: 1,
    maxArgs: 1,
    params: ['any'],
    result: 'string',
    build: ([t]) => (t === 'double' ? (x: Value) => castToString(x, true) : (x: Value) => castToString(x)),
  },
  {
    name: 'int',
    signature: 'int(x)',
    description:
      'Cast to a whole number: truncates toward zero; parses strings (null if not a number); true is 1; a timestamp gives epoch seconds; NaN and infinities give null.',
    example: "int('-3.9')",
    exampleResult: '-3',
    minArgs: 1,
    maxArgs: 1,
    params: ['any'],
    result: 'long',
    fn: toInt,
  },
  {
    name: 'double',
    signature: 'double(x)',
    description: 'Cast to double: parses strings (null if not a number); true is 1.0; a timestamp gives epoch seconds with fraction.',
    example: "double('2.5e3')",
    exampleResult: '2500.0',
    minArgs: 1,
    maxArgs: 1,
    params: ['any'],
    result: 'double',
    fn: toDouble,
  },
  {
    name: 'named_struct',
    signature: 'named_struct(name, value, ...)',
    description:
      "A struct of the given fields, names and values in pairs (Spark's named_struct); null values are kept. With to_json, makes a Kafka record value from columns.",
    example: "named_struct('id', 7, 'name', 'x')",
    exampleResult: '{7, x}',
    minArgs: 2,
    maxArgs: Infinity,
    params: ['any'],
    result: 'struct',
    nullable: true,
    fnN: namedStruct,
  },
  {
    name: 'to_json',
    signature: 'to_json(struct)',
    description:
      "A struct (or array) as JSON text, as Spark's to_json: fields in order, null fields left out, timestamps as 2024-05-01T12:51:30.123Z. Numbers are printed as JavaScript does (a double 1.0 as 1, where Spark prints 1.0).",
    example: "to_json(named_struct('id', 7, 'at', timestamp_millis(0), 'gone', null))",
    exampleResult: '{"id":7,"at":"1970-01-01T00:00:00.000Z"}',
    minArgs: 1,
    maxArgs: 1,
    params: ['any'],
    result: 'string',
    fn: (v: Value) => JSON.stringify(v, (_key, x: unknown) => (x === null ? undefined : x)),
  },
  timePart('year', 'year', (d) => d.getUTCFullYear(), '2024'),
  timePart('month', 'month (1-12)', (d) => d.getUTCMonth() + 1, '5'),
  timePart('day', 'day of the month (1-31)', (d) => d.getUTCDate(), '1'),
  timePart('hour', 'hour (0-23)', (d) => d.getUTCHours(), '12'),
  timePart('minute', 'minute (0-59)', (d) => d.getUTCMinutes(), '51'),
  timePart('second', 'whole second (0-59)', (d) => d.getUTCSeconds(), '30'),
  {
    name: 'unix_timestamp',
    signature: 'unix_timestamp(ts)',
    description: 'Seconds since 1970-01-01 UTC (rounded down).',
    example: 'unix_timestamp(timestamp_millis(1714567890123))',
    exampleResult: '1714567890',
    minArgs: 1,
    maxArgs: 1,
    params: ['timestamp'],
    result: 'long',
    fn: (d: Date) => Math.floor(d.getTime() / 1000),
  },
  {
    name: 'timestamp_millis',
    signature: 'timestamp_millis(n)',
    description: 'The timestamp n milliseconds after 1970-01-01 UTC (fractions truncated).',
    example: 'timestamp_millis(1714567890123)',
    exampleResult: '2024-05-01 12:51:30.123',
    minArgs: 1,
    maxArgs: 1,
    params: ['number'],
    result: 'timestamp',
    fn: (n: number) => validDate(new Date(Math.trunc(n))),
  },
  {
    name: 'triangle',
    signature: 'triangle(x, phase, length, amplitude)',
    description:
      "The course's triangle wave: `-amplitude/2 + amplitude - amplitude/(length/2) * abs((x + phase) % length - length/2)` with Python's `%` (sign of the divisor), bit for bit; null when length is 0.",
    example: 'triangle(5, 0, 30, 10)',
    exampleResult: '-1.666666666666666',
    minArgs: 4,
    maxArgs: 4,
    params: ['number'],
    result: 'double',
    fn: triangle,
  },
];

/** Lookup by lower-case name; a Map, so `constructor` or `toString` are never functions. */
export const FUNCTION_MAP: ReadonlyMap<string, FunctionSpec> = new Map(FUNCTIONS.map((f) => [f.name, f]));
