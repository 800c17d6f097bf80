/** Shared helpers for the expression tests. */
import type { Row, Value } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import { compileExpression, ExpressionError, parseExpression, type ExpressionNode } from '../../src/core/expr/index.js';

export const SCHEMA: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'value', type: 'long' },
  { name: 'x', type: 'double' },
  { name: 's', type: 'string' },
  { name: 'b', type: 'boolean' },
  { name: 'n', type: 'long' },
  { name: 'j', type: 'any' },
  { name: 'st', type: 'struct' },
  { name: 'arr', type: 'array' },
  { name: 'odd name', type: 'long' },
];

export const ROW: Row = {
  timestamp: new Date(Date.UTC(2024, 4, 1, 12, 51, 30, 123)),
  value: 7,
  x: 2.5,
  s: 'Hello World',
  b: true,
  n: null,
  j: 'json',
  st: { a: 1, inner: { c: 'deep' } },
  arr: ['p', 'q'],
  'odd name': 3,
};

/** Compiles against SCHEMA and evaluates on `row` (ROW by default). */
export function ev(source: string, row: Row = ROW): Value {
  return compileExpression(source, SCHEMA).evaluate(row);
}

export function typeOf(source: string): string {
  return compileExpression(source, SCHEMA).type;
}

/** The error thrown by compiling `source`, or a failure when there is none. */
export function errorOf(source: string, schema: Schema = SCHEMA): ExpressionError {
  try {
    compileExpression(source, schema);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected an ExpressionError for ${source}`);
}

/** Fully parenthesised form of the AST, to check precedence and associativity. */
export function show(node: ExpressionNode): string {
  switch (node.kind) {
    case 'literal':
      return typeof node.value === 'string' ? `'${node.value}'` : String(node.value);
    case 'column':
      return node.name;
    case 'field':
      return `${show(node.object)}.${node.name}`;
    case 'unary':
      return `(${node.op} ${show(node.operand)})`;
    case 'binary':
      return `(${show(node.left)} ${node.op} ${show(node.right)})`;
    case 'in':
      return `(${show(node.value)} ${node.negated ? 'not in' : 'in'} [${node.items.map(show).join(', ')}])`;
    case 'isnull':
      return `(${show(node.value)} ${node.negated ? 'is not null' : 'is null'})`;
    case 'call':
      return `${node.name}(${node.args.map(show).join(', ')})`;
  }
}

export const parsed = (source: string): string => show(parseExpression(source));
