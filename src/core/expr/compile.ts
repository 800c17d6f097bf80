/**
 * AST -> closures, with type inference against the input schema. Type errors that are certain before any row is
 * seen are thrown here, pointing at the operator or argument at fault. Sub-expressions made only of constants are
 * evaluated once (unless the result is an object such as a Date or an array, which each row must get afresh).
 */
import type { Row, Value } from '../row.js';
import { type ColumnType, findColumn, type Schema } from '../schema.js';
import { compileCall, constant, type Compiled } from './calls.js';
import { ExpressionError } from './errors.js';
import type { Evaluator } from './functions.js';
import * as ops from './operators.js';
import type { Node } from './parser.js';
import { arithmeticType, comparable, isLoose, isNumeric, type Ty } from './types.js';
import { columnReader, getField } from './values.js';

export interface CompileResult {
  evaluate: Evaluator;
  type: Ty;
  /** For an array: the type of its elements, when known. */
  elementType?: ColumnType;
  /** Columns read, in order of first use. */
  columns: string[];
}

const EMPTY_ROW: Row = Object.freeze(Object.create(null) as Row);

export function compile(node: Node, schema: Schema): CompileResult {
  const columns: string[] = [];
  const compiled = new Compiler(schema, columns).node(node);
  return { evaluate: compiled.ev, type: compiled.type, elementType: compiled.elementType, columns };
}

const span = (n: Node): [number, number] => [n.pos, n.end - n.pos];

class Compiler {
  constructor(
    private readonly schema: Schema,
    private readonly columns: string[],
  ) {}

  node(node: Node): Compiled {
    switch (node.kind) {
      case 'literal':
        return constant(
          node.value,
          node.value === null
            ? 'null'
            : typeof node.value === 'number'
              ? node.integer
                ? 'long'
                : 'double'
              : typeof node.value === 'string'
                ? 'string'
                : 'boolean',
        );
      case 'column':
        return this.column(node.name, node.pos, node.end);
      case 'field': {
        const object = this.node(node.object);
        if (!isLoose(object.type) && object.type !== 'struct') {
          throw new ExpressionError(
            `cannot read field '${node.name}' of a ${object.type} value (only structs have fields)`,
            node.namePos - 1,
            node.end - node.namePos + 1,
          );
        }
        const o = object.ev;
        const name = node.name;
        return fold((row) => getField(o(row), name), 'any', [object], false);
      }
      case 'unary':
        return this.unary(node);
      case 'binary':
        return this.binary(node);
      case 'in': {
        const value = this.node(node.value);
        const items = node.items.map((item) => {
          const c = this.node(item);
          if (!comparable(value.type, c.type, false))
            throw new ExpressionError(`cannot compare ${value.type} with ${c.type} in '${node.opText}'`, ...span(item));
          return c;
        });
        return fold(ops.inList(value.ev, items, node.negated), 'boolean', [value, ...items]);
      }
      case 'isnull': {
        const value = this.node(node.value);
        const e = value.ev;
        const negated = node.negated;
        return fold((row) => (e(row) === null) !== negated, 'boolean', [value]);
      }
      case 'call': {
        const args = node.args.map((a) => this.node(a));
        const call = compileCall(node, args);
        return { ...fold(call.ev, call.type, args, call.exact), elementType: call.elementType };
      }
    }
  }

  private column(name: string, pos: number, end: number): Compiled {
    const column = findColumn(this.schema, name);
    if (!column) {
      const available = this.schema.length ? `columns: ${this.schema.map((c) => c.name).join(', ')}` : 'the input has no columns';
      throw new ExpressionError(`unknown column '${name}' (${available})`, pos, end - pos);
    }
    if (!this.columns.includes(name)) this.columns.push(name);
    return { ev: columnReader(name), type: column.type, constant: false, exact: false, column: name };
  }

  private unary(node: Extract<Node, { kind: 'unary' }>): Compiled {
    const operand = this.node(node.operand);
    const t = operand.type;
    if (node.op === 'not') {
      if (t !== 'boolean' && !isLoose(t)) throw new ExpressionError(`'${node.opText}' needs a boolean, got ${t}`, ...span(node.operand));
      return fold(ops.not(operand.ev), 'boolean', [operand]);
    }
    if (!isNumeric(t) && !isLoose(t))
      throw new ExpressionError(`cannot apply unary '${node.op}' to ${t}`, node.opPos, node.opEnd - node.opPos);
    const type: Ty = t === 'long' || t === 'null' ? t : 'double';
    return fold(node.op === '-' ? ops.negate(operand.ev) : ops.plus(operand.ev), type, [operand]);
  }

  private binary(node: Extract<Node, { kind: 'binary' }>): Compiled {
    const left = this.node(node.left);
    const right = this.node(node.right);
    const [l, r] = [left.type, right.type];
    const at: [number, number] = [node.opPos, node.opEnd - node.opPos];
    switch (node.op) {
      case 'and':
      case 'or':
        for (const [side, n] of [
          [left, node.left],
          [right, node.right],
        ] as const) {
          if (side.type !== 'boolean' && !isLoose(side.type))
            throw new ExpressionError(`'${node.opText}' needs boolean operands, got ${side.type}`, ...span(n));
        }
        return fold(node.op === 'and' ? ops.and(left.ev, right.ev) : ops.or(left.ev, right.ev), 'boolean', [left, right]);
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        if ((isNumeric(l) || isLoose(l)) && (isNumeric(r) || isLoose(r))) {
          return fold(ops.arithmetic(node.op, left, right), arithmeticType(node.op, l, r), [left, right]);
        }
        if (node.op === '+' && (l === 'string' || r === 'string'))
          throw new ExpressionError(`'+' does not join strings: use concat(a, b)`, ...at);
        throw new ExpressionError(`cannot apply '${node.opText}' to ${l} and ${r}`, ...at);
      default: {
        const ordered = node.op !== '==' && node.op !== '!=' && node.op !== '<=>';
        if (!comparable(l, r, ordered)) throw new ExpressionError(`cannot compare ${l} with ${r} using '${node.opText}'`, ...at);
        return fold(ops.comparison(node.op, left, right), 'boolean', [left, right]);
      }
    }
  }
}

/** Wraps an evaluator; when every input is a constant, evaluates it now (primitive results only). */
function fold(ev: Evaluator, type: Ty, inputs: Compiled[], exact = true): Compiled {
  if (inputs.every((i) => i.constant)) {
    const value: Value = ev(EMPTY_ROW);
    if (value === null || typeof value !== 'object') return constant(value, value === null && type === 'any' ? 'null' : type);
  }
  return { ev, type, constant: false, exact };
}
