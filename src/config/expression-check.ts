import { compileExpression, ExpressionError, parseExpression, type CompiledExpression, type ExpressionNode } from '../core/expr/index.js';
import type { ConfigProblem } from '../core/errors.js';
import type { Schema } from '../core/schema.js';
import type { ComponentConfig } from './load-job.js';
import { dottedPath, type PathSegment } from './yaml-file.js';

/**
 * Compiles the expressions of one component for the build, recording each bad one as a problem instead of stopping at
 * the first: a bad expression stands in as a value of unknown type (`any`, which every check accepts), so the
 * component goes on to its next expression and one pass finds them all. When the component's input columns are not
 * known, expressions are only parsed: a column or type error could not be told apart from a guess.
 */
export class ExpressionCheck {
  /** Dotted paths of the expressions that failed. */
  readonly failedPaths: string[] = [];

  constructor(
    private readonly config: ComponentConfig,
    private readonly problems: ConfigProblem[],
    private readonly columnsKnown: boolean,
  ) {}

  compile(source: string, schema: Schema, subPath?: string): CompiledExpression {
    try {
      return this.columnsKnown ? compileExpression(source, schema) : placeholder(source, parseExpression(source));
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      const path: PathSegment[] = subPath === undefined ? this.config.path : [...this.config.path, ...subPathSegments(subPath)];
      this.failedPaths.push(dottedPath(path));
      this.problems.push({
        file: this.config.yaml.file,
        path: dottedPath(path),
        ...this.config.yaml.locateInString(path, error.position),
        // The caret line shows learners exactly where: `vlaue % 2 == 0` / `^^^^^`.
        message: `${error.message} at position ${error.position + 1}\n    ${error.pointer(source).replace('\n', '\n    ')}`,
      });
      return placeholder(source, parsedOrUndefined(source));
    }
  }

  /** Whether a problem the component raised itself is at (or around) a failed expression, so maybe caused by its stand-in. */
  nearFailed(problem: ConfigProblem): boolean {
    const at = problem.path ?? '';
    return this.failedPaths.some((failed) => within(failed, at) || within(at, failed));
  }
}

/** Whether dotted path `inner` is `outer` or below it (`a[1].b` is within `a[1]`, `a[10]` is not within `a[1]`). */
function within(inner: string, outer: string): boolean {
  return outer === '' || inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
}

/** A stand-in for an expression: of unknown type, reading the columns it names (select takes a bare column's name from them). */
function placeholder(source: string, node: ExpressionNode | undefined): CompiledExpression {
  return { source, evaluate: () => null, type: 'any', columns: node ? columnsOf(node) : [] };
}

function parsedOrUndefined(source: string): ExpressionNode | undefined {
  try {
    return parseExpression(source);
  } catch {
    return undefined;
  }
}

function columnsOf(node: ExpressionNode): string[] {
  switch (node.kind) {
    case 'literal':
      return [];
    case 'column':
      return [node.name];
    case 'field':
      return columnsOf(node.object);
    case 'unary':
      return columnsOf(node.operand);
    case 'binary':
      return [...new Set([...columnsOf(node.left), ...columnsOf(node.right)])];
    case 'in':
      return [...new Set([node.value, ...node.items].flatMap(columnsOf))];
    case 'isnull':
      return columnsOf(node.value);
    case 'call':
      return [...new Set(node.args.flatMap(columnsOf))];
  }
}

/** `expr` -> ['expr'], `0` -> [0] (select's list items). */
function subPathSegments(subPath: string): PathSegment[] {
  return subPath.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
