import { parseExpression, type ExpressionNode } from '../../core/expr/index.js';

/**
 * streamlab's expression language is a subset of Spark SQL's, so an expression becomes Spark SQL text (for
 * `F.expr`, `filter`, `selectExpr`) by printing its syntax tree again: every binary operation in parentheses, so
 * precedence cannot change on the way. The differences are spelled out: `||` is `or` here (Spark: string concat),
 * `split` takes a literal separator here (Spark: a regular expression, so it is quoted), `triangle` is the course's
 * formula written out with `pmod` (Python's `%`). An expression that cannot be translated throws a plain Error
 * naming the construct; the caller adds where it is written.
 */
export function toSparkSql(source: string): string {
  return render(parseExpression(source));
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'true', 'false']);

/** A column name as Spark SQL reads it: bare when it is a plain identifier, else in backticks. */
export function sqlColumn(name: string): string {
  return IDENTIFIER.test(name) && !KEYWORDS.has(name.toLowerCase()) ? name : `\`${name.replaceAll('`', '``')}\``;
}

/** A string literal for Spark SQL: single quotes, backslash escapes (Spark's default string-literal parsing). */
export function sqlString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n').replaceAll('\r', '\\r').replaceAll('\t', '\\t')}'`;
}

function render(node: ExpressionNode): string {
  switch (node.kind) {
    case 'literal':
      return literal(node.value, node.integer);
    case 'column':
      return sqlColumn(node.name);
    case 'field':
      return `${render(node.object)}.${sqlColumn(node.name)}`;
    case 'unary':
      return node.op === 'not' ? `(NOT ${render(node.operand)})` : `(${node.op}${render(node.operand)})`;
    case 'binary':
      return `(${render(node.left)} ${binaryOp(node.op)} ${render(node.right)})`;
    case 'in':
      return `(${render(node.value)} ${node.negated ? 'NOT IN' : 'IN'} (${node.items.map(render).join(', ')}))`;
    case 'isnull':
      return `(${render(node.value)} IS ${node.negated ? 'NOT NULL' : 'NULL'})`;
    case 'call':
      return call(node.name.toLowerCase(), node.args);
  }
}

function literal(value: string | number | boolean | null, integer: boolean): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return sqlString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // A decimal literal such as 2.5 is a DECIMAL in Spark SQL; streamlab's are doubles: the D suffix says so.
  return integer ? `${value}L` : `${value}D`;
}

function binaryOp(op: string): string {
  if (op === 'and') return 'AND';
  if (op === 'or') return 'OR';
  return op;
}

function call(name: string, args: ExpressionNode[]): string {
  const list = args.map(render);
  switch (name) {
    case 'split':
      return `split(${list[0]}, ${regexQuoted(args[1])})`;
    case 'triangle': {
      // -amplitude/2 + amplitude - amplitude/(length/2) * abs(pmod(x + phase, length) - length/2)
      const [x, phase, length, amplitude] = list;
      return `(CASE WHEN ${length} = 0 THEN NULL ELSE (-${amplitude} / 2 + ${amplitude} - ${amplitude} / (${length} / 2) * abs(pmod(${x} + ${phase}, ${length}) - ${length} / 2)) END)`;
    }
    case 'string':
    case 'int':
    case 'double':
      return `CAST(${list[0]} AS ${name === 'int' ? 'INT' : name.toUpperCase()})`;
    default:
      return `${name}(${list.join(', ')})`;
  }
}

/** streamlab's split separator is literal text; Spark's is a Java regular expression: quote it. */
function regexQuoted(node: ExpressionNode): string {
  if (node.kind !== 'literal' || typeof node.value !== 'string') {
    throw new Error('split with a separator that is not a string literal (Spark reads it as a regular expression)');
  }
  const escaped = node.value.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
  return sqlString(escaped);
}
