/**
 * The vectorized path of the expression compiler: one loop per expression node over whole columns (typed arrays,
 * validity bitmaps), instead of one closure call per row. It covers what the stateless pipelines use: numeric
 * columns and constants, arithmetic, comparisons, and / or / not, `is [not] null`, and calls of the numeric
 * functions (triangle, sin, abs, ...); a part that reads one string column only (`topic = 'a'`, `label in (...)`,
 * `k is null`) runs once per distinct value of its dictionary vector (vector-strings.ts). For anything else
 * `compileVector` gives undefined, and at run time an evaluator gives undefined when a column is not the vector it
 * expects; the caller then evaluates the row closure
 * (src/core/columnar/evaluate.ts). Results are those of the row closures, value for value (operators.ts' fast paths,
 * the same function implementations), which the tests check on both paths.
 */
import type { ColumnBatch } from '../columnar/column-batch.js';
import { allValid, isValid, setNull, type Vector } from '../columnar/vector.js';
import type { Row, Value } from '../row.js';
import { findColumn, type Schema } from '../schema.js';
import { compile } from './compile.js';
import { FUNCTION_MAP, type Impl } from './functions.js';
import type { Node } from './parser.js';
import { remainder } from './values.js';
import { overStringColumn, resultKind, soleStringColumn } from './vector-strings.js';

/** Computes the expression at the batch's selected positions; undefined when this batch needs the row path. */
export type VectorEvaluator = (batch: ColumnBatch) => Vector | undefined;

type Part = { constant: true; value: number | boolean } | { constant: false; ev: VectorEvaluator; kind: 'number' | 'boolean' };

const EMPTY_ROW: Row = Object.freeze(Object.create(null) as Row);

/** The vectorized evaluator of `node` (already compiled and type-checked by `compile`), or undefined. */
export function compileVector(node: Node, schema: Schema): VectorEvaluator | undefined {
  if (node.kind === 'column') {
    const name = node.name; // a plain column, of any type, is its own vector: shared, not copied
    return (batch) => batch.vector(name);
  }
  const stringColumn = soleStringColumn(node, schema);
  if (stringColumn !== undefined && resultKind(node, schema) === 'string') return overStringColumn(node, schema, stringColumn, 'string');
  const part = new VectorCompiler(schema).node(node);
  if (!part) return undefined;
  if (!part.constant) return part.ev;
  const value = part.value;
  return (batch) =>
    typeof value === 'number'
      ? { kind: 'number', values: new Float64Array(batch.capacity).fill(value) }
      : { kind: 'boolean', values: new Uint8Array(batch.capacity).fill(value ? 1 : 0) };
}

function readsColumns(node: Node): boolean {
  switch (node.kind) {
    case 'literal':
      return false;
    case 'column':
      return true;
    case 'field':
      return readsColumns(node.object);
    case 'unary':
      return readsColumns(node.operand);
    case 'binary':
      return readsColumns(node.left) || readsColumns(node.right);
    case 'in':
      return readsColumns(node.value) || node.items.some(readsColumns);
    case 'isnull':
      return readsColumns(node.value);
    case 'call':
      return node.args.some(readsColumns);
  }
}

class VectorCompiler {
  constructor(private readonly schema: Schema) {}

  node(node: Node): Part | undefined {
    if (!readsColumns(node)) return this.constant(node);
    const overString = this.overStringColumn(node);
    if (overString) return overString;
    switch (node.kind) {
      case 'column':
        return this.column(node.name);
      case 'binary':
        return this.binary(node);
      case 'unary':
        return node.op === 'not' ? this.not(node.operand) : undefined;
      case 'isnull':
        return this.isNull(node);
      case 'call':
        return this.call(node);
      default:
        return undefined;
    }
  }

  /** A part that reads one string column only (`topic = 'a'`, `label in ('x', 'y')`): once per distinct value. */
  private overStringColumn(node: Node): Part | undefined {
    const column = soleStringColumn(node, this.schema);
    if (column === undefined) return undefined;
    const kind = resultKind(node, this.schema);
    if (kind !== 'number' && kind !== 'boolean') return undefined;
    return { constant: false, kind, ev: overStringColumn(node, this.schema, column, kind) };
  }

  /** A constant sub-expression, evaluated once by the row compiler: numbers and booleans only. */
  private constant(node: Node): Part | undefined {
    const value = compile(node, this.schema).evaluate(EMPTY_ROW);
    return typeof value === 'number' || typeof value === 'boolean' ? { constant: true, value } : undefined;
  }

  private column(name: string): Part | undefined {
    const type = findColumn(this.schema, name)?.type;
    const kind = type === 'long' || type === 'double' ? 'number' : type === 'boolean' ? 'boolean' : undefined;
    if (!kind) return undefined;
    return {
      constant: false,
      kind,
      ev: (batch) => {
        const vector = batch.vector(name);
        return vector?.kind === kind ? vector : undefined;
      },
    };
  }

  private binary(node: Extract<Node, { kind: 'binary' }>): Part | undefined {
    const left = this.node(node.left);
    const right = this.node(node.right);
    if (!left || !right) return undefined;
    if (node.op === 'and' || node.op === 'or') {
      if (!isKind(left, 'boolean') || !isKind(right, 'boolean')) return undefined;
      return { constant: false, kind: 'boolean', ev: logical(node.op, left, right) };
    }
    if (!isKind(left, 'number') || !isKind(right, 'number')) return undefined;
    const arithmetic = ARITHMETIC.indexOf(node.op);
    if (arithmetic >= 0) return { constant: false, kind: 'number', ev: numeric(arithmetic, left, right) };
    const comparison = COMPARISON.indexOf(node.op);
    return comparison >= 0 ? { constant: false, kind: 'boolean', ev: compare(comparison, left, right) } : undefined;
  }

  private not(operand: Node): Part | undefined {
    const part = this.node(operand);
    if (!part || !isKind(part, 'boolean') || part.constant) return undefined;
    const ev = part.ev;
    return {
      constant: false,
      kind: 'boolean',
      ev: (batch) => {
        const a = ev(batch);
        if (a?.kind !== 'boolean') return undefined;
        const out = new Uint8Array(batch.capacity);
        forEachPosition(batch, (i) => {
          out[i] = a.values[i] === 1 ? 0 : 1;
        });
        return { kind: 'boolean', values: out, valid: a.valid };
      },
    };
  }

  private isNull(node: Extract<Node, { kind: 'isnull' }>): Part | undefined {
    const part = this.node(node.value);
    if (!part || part.constant) return undefined;
    const ev = part.ev;
    const negated = node.negated;
    return {
      constant: false,
      kind: 'boolean',
      ev: (batch) => {
        const a = ev(batch);
        if (!a || a.kind === 'values') return undefined;
        const out = new Uint8Array(batch.capacity);
        forEachPosition(batch, (i) => {
          out[i] = isValid(a.valid, i) !== negated ? 0 : 1;
        });
        return { kind: 'boolean', values: out };
      },
    };
  }

  /** Numeric functions with positional arguments (triangle, sin, abs, pow, ...): null in, null out. */
  private call(node: Extract<Node, { kind: 'call' }>): Part | undefined {
    const spec = FUNCTION_MAP.get(node.name.toLowerCase());
    if (!spec?.fn || spec.lazy || spec.fnN || spec.build || spec.nullable || !spec.params.every((p) => p === 'number')) return undefined;
    const type = compile(node, this.schema).type;
    if (type !== 'long' && type !== 'double') return undefined;
    const args = node.args.map((a) => this.node(a));
    if (args.length > 4 || !args.every((a): a is Part => a !== undefined && isKind(a, 'number'))) return undefined;
    return { constant: false, kind: 'number', ev: callKernel(spec.fn, args) };
  }
}

function isKind(part: Part, kind: 'number' | 'boolean'): boolean {
  return part.constant ? typeof part.value === kind : part.kind === kind;
}

/** Calls `body` with every selected position of the batch. */
function forEachPosition(batch: ColumnBatch, body: (i: number) => void): void {
  const selection = batch.selection;
  const n = batch.length;
  if (selection) for (let k = 0; k < n; k++) body(selection[k]);
  else for (let i = 0; i < n; i++) body(i);
}

/** An operand at run time: its array and bitmap, or its constant. */
interface Operand {
  values: Float64Array | Uint8Array | undefined;
  valid: Uint8Array | undefined;
  constant: number;
}

function operand(part: Part, batch: ColumnBatch): Operand | undefined {
  if (part.constant) return { values: undefined, valid: undefined, constant: Number(part.value) };
  const v = part.ev(batch);
  if (!v || v.kind !== part.kind) return undefined;
  return { values: v.values as Float64Array | Uint8Array, valid: v.valid, constant: 0 };
}

const ARITHMETIC = ['+', '-', '*', '/', '%'];
const COMPARISON = ['==', '!=', '<', '<=', '>', '>=', '<=>'];

/** `+ - * / %` on numbers; `/` and `%` by zero are null (operators.ts). */
function numeric(op: number, left: Part, right: Part): VectorEvaluator {
  return (batch) => {
    const l = operand(left, batch);
    const r = operand(right, batch);
    if (!l || !r) return undefined;
    const out = new Float64Array(batch.capacity);
    let valid: Uint8Array | undefined;
    const selection = batch.selection;
    const n = batch.length;
    const { values: lv, valid: lValid, constant: lc } = l;
    const { values: rv, valid: rValid, constant: rc } = r;
    if (lv !== undefined && lValid === undefined && rv === undefined && !(op >= 3 && rc === 0)) {
      byConstant(op, lv, rc, out, selection, n); // `value % 1000`, `value * 2`: no null can come out
      return { kind: 'number', values: out };
    }
    for (let k = 0; k < n; k++) {
      const i = selection === undefined ? k : selection[k];
      const a = lv === undefined ? lc : lv[i];
      const b = rv === undefined ? rc : rv[i];
      if (!isValid(lValid, i) || !isValid(rValid, i) || (op >= 3 && b === 0)) {
        valid ??= allValid(batch.capacity);
        setNull(valid, i);
        continue;
      }
      out[i] = op === 0 ? a + b : op === 1 ? a - b : op === 2 ? a * b : op === 3 ? a / b : remainder(a, b);
    }
    return { kind: 'number', values: out, valid };
  };
}

/** `values <op> c` at the selected positions, without nulls: one loop per operator, no branch inside. */
function byConstant(
  op: number,
  values: Float64Array | Uint8Array,
  c: number,
  out: Float64Array,
  selection: Int32Array | undefined,
  n: number,
): void {
  if (selection !== undefined) {
    for (let k = 0; k < n; k++) {
      const i = selection[k];
      const a = values[i];
      out[i] = op === 0 ? a + c : op === 1 ? a - c : op === 2 ? a * c : op === 3 ? a / c : remainder(a, c);
    }
    return;
  }
  if (op === 0) for (let i = 0; i < n; i++) out[i] = values[i] + c;
  else if (op === 1) for (let i = 0; i < n; i++) out[i] = values[i] - c;
  else if (op === 2) for (let i = 0; i < n; i++) out[i] = values[i] * c;
  else if (op === 3) for (let i = 0; i < n; i++) out[i] = values[i] / c;
  else for (let i = 0; i < n; i++) out[i] = remainder(values[i], c);
}

/** SQL comparison of numbers, NaN equal to NaN and above every number (operators.ts' fast paths); `<=>` null-safe. */
function compare(op: number, left: Part, right: Part): VectorEvaluator {
  return (batch) => {
    const l = operand(left, batch);
    const r = operand(right, batch);
    if (!l || !r) return undefined;
    const out = new Uint8Array(batch.capacity);
    let valid: Uint8Array | undefined;
    const selection = batch.selection;
    const n = batch.length;
    const { values: lv, valid: lValid, constant: lc } = l;
    const { values: rv, valid: rValid, constant: rc } = r;
    for (let k = 0; k < n; k++) {
      const i = selection === undefined ? k : selection[k];
      const aNull = !isValid(lValid, i);
      const bNull = !isValid(rValid, i);
      if (aNull || bNull) {
        if (op === 6) out[i] = aNull && bNull ? 1 : 0;
        else {
          valid ??= allValid(batch.capacity);
          setNull(valid, i);
        }
        continue;
      }
      const a = lv === undefined ? lc : lv[i];
      const b = rv === undefined ? rc : rv[i];
      out[i] = compareNumbers(op, a, b) ? 1 : 0;
    }
    return { kind: 'boolean', values: out, valid };
  };
}

function compareNumbers(op: number, a: number, b: number): boolean {
  switch (op) {
    case 1:
      return a !== b && (a === a || b === b);
    case 2:
      return a < b || (b !== b && a === a);
    case 3:
      return a <= b || b !== b;
    case 4:
      return a > b || (a !== a && b === b);
    case 5:
      return a >= b || a !== a;
    default: // == and <=> (nulls handled by the caller)
      return a === b || (a !== a && b !== b);
  }
}

/** Three-valued and / or: false (and) or true (or) wins over null. */
function logical(op: 'and' | 'or', left: Part, right: Part): VectorEvaluator {
  const wins = op === 'and' ? 0 : 1;
  return (batch) => {
    const l = operand(left, batch);
    const r = operand(right, batch);
    if (!l || !r) return undefined;
    const out = new Uint8Array(batch.capacity);
    let valid: Uint8Array | undefined;
    forEachPosition(batch, (i) => {
      const aNull = !isValid(l.valid, i);
      const bNull = !isValid(r.valid, i);
      const a = l.values === undefined ? l.constant : l.values[i];
      const b = r.values === undefined ? r.constant : r.values[i];
      if ((!aNull && a === wins) || (!bNull && b === wins)) out[i] = wins;
      else if (aNull || bNull) {
        valid ??= allValid(batch.capacity);
        setNull(valid, i);
      } else out[i] = 1 - wins;
    });
    return { kind: 'boolean', values: out, valid };
  };
}

/** A numeric function over its argument vectors: null when an argument is, or when it returns null. */
function callKernel(fn: Impl, args: Part[]): VectorEvaluator {
  const call = fn as (...a: number[]) => Value;
  const arity = args.length;
  return (batch) => {
    const ops: Operand[] = [];
    for (const a of args) {
      const o = operand(a, batch);
      if (!o) return undefined;
      ops.push(o);
    }
    const [o0, o1 = ops[0], o2 = ops[0], o3 = ops[0]] = ops;
    const out = new Float64Array(batch.capacity);
    let valid: Uint8Array | undefined;
    const selection = batch.selection;
    const n = batch.length;
    for (let k = 0; k < n; k++) {
      const i = selection === undefined ? k : selection[k];
      let result: Value = null;
      if (isValid(o0.valid, i) && isValid(o1.valid, i) && isValid(o2.valid, i) && isValid(o3.valid, i)) {
        const a = o0.values === undefined ? o0.constant : o0.values[i];
        const b = o1.values === undefined ? o1.constant : o1.values[i];
        const c = o2.values === undefined ? o2.constant : o2.values[i];
        const d = o3.values === undefined ? o3.constant : o3.values[i];
        result = arity === 1 ? call(a) : arity === 2 ? call(a, b) : arity === 3 ? call(a, b, c) : call(a, b, c, d);
      }
      if (typeof result === 'number') out[i] = result;
      else if (result === null) {
        valid ??= allValid(batch.capacity);
        setNull(valid, i);
      } else return undefined; // not a number after all: the row path decides
    }
    return { kind: 'number', values: out, valid };
  };
}
