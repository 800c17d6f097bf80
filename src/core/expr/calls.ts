/**
 * Function calls: lookup (with near matches when unknown), arity and argument type checks, argument coercion to
 * the parameter kinds, and closures specialised by arity so that no arrays are allocated per row.
 */
import type { Row, Value } from '../row.js';
import type { ColumnType } from '../schema.js';
import { ExpressionError } from './errors.js';
import { FUNCTION_MAP, FUNCTIONS, type Evaluator, type FunctionSpec, type Impl, type ResultRule } from './functions.js';
import type { Node } from './parser.js';
import { accepts, comparable, isNumeric, KIND_NAMES, unify, type ParamKind, type Ty } from './types.js';
import { castToString, columnReader, toNumber, validDate } from './values.js';

/** What compiling a node gives: its closure, static type, and whether it is a constant (then `value`). */
export interface Compiled {
  ev: Evaluator;
  type: Ty;
  constant: boolean;
  value?: Value;
  /** Run-time values are certain to be of `type` or null (not true of column values, which come from outside). */
  exact: boolean;
  /** Set for a plain column reference. */
  column?: string;
  /** For an array: the type of its elements, when known (split gives strings). */
  elementType?: ColumnType;
}

export function constant(value: Value, type: Ty): Compiled {
  return { ev: () => value, type, constant: true, value, exact: true };
}

type CallNode = Extract<Node, { kind: 'call' }>;

export function compileCall(node: CallNode, args: Compiled[]): Omit<Compiled, 'constant' | 'exact'> & { exact: boolean } {
  const spec = lookup(node);
  const n = args.length;
  if (n < spec.minArgs || n > spec.maxArgs) throw new ExpressionError(arityMessage(spec, n), node.pos, node.end - node.pos);
  const kinds = args.map((_, i) => spec.params[Math.min(i, spec.params.length - 1)]);
  const types = args.map((a) => a.type);
  args.forEach((a, i) => {
    const at = node.args[i];
    if (!accepts(kinds[i], a.type)) {
      throw new ExpressionError(
        `${spec.name} expects ${KIND_NAMES[kinds[i]]} as argument ${i + 1}, got ${a.type}`,
        at.pos,
        at.end - at.pos,
      );
    }
    if (spec.constantArgs?.includes(i) && !a.constant) {
      throw new ExpressionError(`${spec.name} needs a constant as argument ${i + 1}`, at.pos, at.end - at.pos);
    }
    const other = spec.ordered ? args.findIndex((b) => !comparable(a.type, b.type, true)) : -1;
    if (other >= 0) throw new ExpressionError(`${spec.name} cannot compare ${a.type} with ${args[other].type}`, at.pos, at.end - at.pos);
  });
  const type = resultType(spec.result, types);
  const exact = spec.passthrough ? args.every((a) => a.exact) : true;
  const typing = { type, exact, ...(spec.elementType ? { elementType: spec.elementType } : {}) };
  if (spec.lazy) return { ev: spec.lazy(args.map((a) => a.ev)), ...typing };
  const coerced = args.map((a, i) => coerce(a, kinds[i]));
  if (spec.fnN) return { ev: variadic(spec.fnN, coerced, spec.nullable ?? false), ...typing };
  const fn = spec.build ? spec.build(types) : spec.fn!;
  return { ev: fixed(fn, coerced, spec.nullable ?? false), ...typing };
}

function lookup(node: CallNode): FunctionSpec {
  const spec = FUNCTION_MAP.get(node.name.toLowerCase());
  if (spec) return spec;
  const near = nearMatches(
    node.name.toLowerCase(),
    FUNCTIONS.map((f) => f.name),
  );
  const hint = near.length ? `did you mean ${near.join(', ')}?` : 'see docs/expressions.md for the functions';
  throw new ExpressionError(`unknown function '${node.name}' (${hint})`, node.pos, node.nameEnd - node.pos);
}

function arityMessage(spec: FunctionSpec, n: number): string {
  const { minArgs: min, maxArgs: max } = spec;
  const plural = (k: number) => `${k} argument${k === 1 ? '' : 's'}`;
  const expected =
    max === Infinity
      ? `at least ${plural(min)}`
      : min === max
        ? plural(min)
        : max === min + 1
          ? `${min} or ${plural(max)}`
          : `${min} to ${plural(max)}`;
  return `${spec.name} expects ${expected}, got ${n}`;
}

/** Names within a small edit distance, or that contain / are contained in the name; closest first, at most 3. */
export function nearMatches(name: string, candidates: string[]): string[] {
  const scored = candidates
    .map((c) => ({ c, d: distance(name, c) }))
    .filter(({ c, d }) => d <= Math.max(1, Math.floor(c.length / 3)) || (name.length >= 3 && (c.includes(name) || name.includes(c))));
  return scored
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((s) => s.c);
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

function resultType(rule: ResultRule, types: Ty[]): Ty {
  switch (rule) {
    case 'same':
      return types[0] === 'long' ? 'long' : 'double';
    case 'numeric':
      return types.every((t) => t === 'long' || t === 'null') ? 'long' : 'double';
    case 'common':
      return unify(types);
    case 'common-tail':
      return unify(types.slice(1));
    default:
      return rule;
  }
}

/**
 * Converts an argument to its parameter kind: numbers (bigints become numbers), strings (Spark's cast, so a
 * double 1 is "1.0"), valid timestamps, booleans, arrays; anything else is null. Skipped when the static type
 * already guarantees it; done once for constants; fused with the lookup for a plain numeric column.
 */
function coerce(arg: Compiled, kind: ParamKind): Compiled {
  if (kind === 'any') return arg;
  const e = arg.ev;
  const asDouble = arg.type === 'double';
  let convert: (v: Value) => Value;
  let ev: Evaluator;
  switch (kind) {
    case 'number': {
      if (isNumeric(arg.type) && arg.exact) return arg;
      convert = toNumber;
      const name = arg.column;
      // A column is read directly rather than through its compiled closure: one call less per row.
      ev = numberReader(name === undefined ? e : columnReader(name));
      break;
    }
    case 'string':
      if (arg.type === 'string' && arg.exact) return arg;
      convert = (v) => castToString(v, asDouble);
      ev = (row) => {
        const v = e(row);
        return typeof v === 'string' ? v : castToString(v, asDouble);
      };
      break;
    case 'timestamp':
      if (arg.type === 'timestamp' && arg.exact) return arg;
      convert = validDate;
      ev = (row) => validDate(e(row));
      break;
    case 'boolean':
      convert = (v) => (typeof v === 'boolean' ? v : null);
      ev = (row) => {
        const v = e(row);
        return typeof v === 'boolean' ? v : null;
      };
      break;
    case 'array':
      convert = (v) => (Array.isArray(v) ? v : null);
      ev = (row) => {
        const v = e(row);
        return Array.isArray(v) ? v : null;
      };
      break;
  }
  if (arg.constant) {
    const value = convert(arg.value!);
    return { ...constant(value, arg.type), ev: () => value };
  }
  return { ...arg, ev, exact: true };
}

/** Strict calls return null when an argument is null; when all arguments after the first are constants they are bound. */
function fixed(fn: Impl, args: Compiled[], nullable: boolean): Evaluator {
  const [e0, e1, e2, e3] = args.map((a) => a.ev);
  const n = args.length;
  if (nullable) {
    if (n === 1) return (row) => fn(e0(row));
    if (n === 2) return (row) => fn(e0(row), e1(row));
    if (n === 3) return (row) => fn(e0(row), e1(row), e2(row));
    return (row) => fn(e0(row), e1(row), e2(row), e3(row));
  }
  if (args.some((a) => a.constant && a.value === null)) return () => null;
  const [, k1, k2, k3] = args.map((a) => a.value);
  if (n > 1 && args.slice(1).every((a) => a.constant)) {
    if (n === 2)
      return (row) => {
        const a = e0(row);
        return a === null ? null : fn(a, k1);
      };
    if (n === 3)
      return (row) => {
        const a = e0(row);
        return a === null ? null : fn(a, k1, k2);
      };
    return (row) => {
      const a = e0(row);
      return a === null ? null : fn(a, k1, k2, k3);
    };
  }
  switch (n) {
    case 1:
      return (row) => {
        const a = e0(row);
        return a === null ? null : fn(a);
      };
    case 2:
      return (row) => {
        const a = e0(row);
        if (a === null) return null;
        const b = e1(row);
        return b === null ? null : fn(a, b);
      };
    case 3:
      return (row) => {
        const a = e0(row);
        if (a === null) return null;
        const b = e1(row);
        if (b === null) return null;
        const c = e2(row);
        return c === null ? null : fn(a, b, c);
      };
    default:
      return (row) => {
        const a = e0(row);
        if (a === null) return null;
        const b = e1(row);
        if (b === null) return null;
        const c = e2(row);
        if (c === null) return null;
        const d = e3(row);
        return d === null ? null : fn(a, b, c, d);
      };
  }
}

/** Variadic calls reuse one argument array per call site (evaluation is synchronous and not re-entrant). */
function variadic(fn: (args: Value[]) => Value, args: Compiled[], nullable: boolean): Evaluator {
  const evs = args.map((a) => a.ev);
  const buffer: Value[] = new Array<Value>(evs.length).fill(null);
  if (nullable) {
    return (row) => {
      for (let i = 0; i < evs.length; i++) buffer[i] = evs[i](row);
      return fn(buffer);
    };
  }
  return (row) => {
    for (let i = 0; i < evs.length; i++) {
      const v = evs[i](row);
      if (v === null) return null;
      buffer[i] = v;
    }
    return fn(buffer);
  };
}

function numberReader(read: (row: Row) => Value): (row: Row) => Value {
  return (row) => {
    const v = read(row);
    return typeof v === 'number' ? v : toNumber(v);
  };
}
