import { type ExpressionNode, parseExpression } from '../core/expr/index.js';
import type { Schema } from '../core/schema.js';
import { splitAlias } from '../operators/select.js';

/** One conjunct of a filter condition: its text as written and the columns it reads. */
interface Conjunct {
  text: string;
  columns: Set<string>;
}

/** Where the query's withWatermark stands, once built: its index among the operators and the columns it received. */
interface WatermarkPosition {
  index: number;
  column: string;
  input: Schema;
}

/** A filter split in two: `pushed` runs right below withWatermark, `stayed` (if any) where the filter was written. */
export interface FilterSplit {
  pushed: string;
  stayed: string | undefined;
  /** The withWatermark's index among the operators, and its input columns (the pushed filter's input). */
  at: number;
  input: Schema;
  eventTime: string;
}

/**
 * Spark's optimizer rule PushPredicateThroughNonJoin, for its EventTimeWatermark case: the conjuncts of a filter after
 * withWatermark that are deterministic and do not reference the event-time column run *below* the watermark, so rows
 * they remove never advance it (they stay invisible to max(event time)). Every function of the expression language is
 * deterministic, so the test is the event-time column alone.
 *
 * Spark reaches the watermark through other filters and through projections (select, withColumn) by substituting
 * computed columns (PushPredicateThroughNonJoin's Project case, replaceAlias): so does this, a conjunct that reads a
 * column computed after the watermark moves with that column's expression in its place, and stays where it was written
 * only if the substituted conjunct reads the event time. Any other operator (window, groupBy, explode, join...) ends
 * the search: a filter after it stays.
 */
export class FilterPushdown {
  private watermark: WatermarkPosition | undefined;
  /**
   * Columns computed (or renamed) since the withWatermark, each with its expression written over the withWatermark's
   * input columns: what a moved conjunct reads in its place.
   */
  private readonly computed = new Map<string, string>();
  private blocked = false;

  /** The split of a filter condition that follows withWatermark, or undefined when nothing moves. */
  split(condition: string): FilterSplit | undefined {
    const watermark = this.watermark;
    if (!watermark || this.blocked) return undefined;
    let conjuncts: Conjunct[];
    try {
      conjuncts = splitConjuncts(condition);
    } catch {
      return undefined; // its own build reports the syntax error
    }
    const below = conjuncts.map((c) => this.substitute(c.text));
    const movable = (_: Conjunct, i: number) => !below[i].columns.has(watermark.column);
    const pushed = below.filter(movable);
    if (pushed.length === 0) return undefined;
    const stayed = conjuncts.filter((c, i) => !movable(c, i));
    return {
      pushed: joinConjuncts(pushed),
      stayed: stayed.length === 0 ? undefined : joinConjuncts(stayed),
      at: watermark.index,
      input: watermark.input,
      eventTime: watermark.column,
    };
  }

  /** A filter was inserted below the watermark: the watermark moves one place down the list. */
  inserted(): void {
    if (this.watermark) this.watermark.index++;
  }

  /** Records an operator appended at `index` (after any split of it), to know what later filters may move through. */
  track(type: string, options: unknown, index: number, input: Schema): void {
    if (type === 'withWatermark') {
      this.watermark = { index, column: (options as { column: string }).column, input };
      this.computed.clear();
      this.blocked = false;
      return;
    }
    if (!this.watermark || this.blocked) return;
    try {
      if (type === 'withColumn') {
        const { name, expr } = options as { name: string; expr: string };
        this.computed.set(name, this.substitute(expr).text);
      } else if (type === 'select') {
        // Every item reads the columns as they were before the select (`a as b, b as a` swaps), so substitute first.
        const renamed = (options as string[])
          .map(splitAlias)
          .filter((item): item is { expr: string; name: string } => item.name !== undefined && item.name !== item.expr)
          .map(({ expr, name }) => [name, this.substitute(expr).text] as const);
        for (const [name, text] of renamed) this.computed.set(name, text);
      } else if (type !== 'filter' && type !== 'drop') this.blocked = true;
    } catch {
      this.blocked = true; // an expression that does not parse: its own build reports it, and nothing moves past it
    }
  }

  /** A conjunct or expression with every computed column replaced by its parenthesised expression (Spark's replaceAlias). */
  private substitute(text: string): Conjunct {
    const node = parseExpression(text);
    const references: ColumnReference[] = [];
    collectColumns(node, references);
    let out = text;
    for (const ref of references.sort((a, b) => b.pos - a.pos)) {
      const expression = this.computed.get(ref.name);
      if (expression !== undefined) out = `${out.slice(0, ref.pos)}${parenthesised(expression)}${out.slice(ref.end)}`;
    }
    return out === text ? { text, columns: columnsOf(node) } : { text: out, columns: columnsOf(parseExpression(out)) };
  }
}

/** The top-level `and` operands of a condition (Spark's splitConjunctivePredicates), each with the columns it reads. */
export function splitConjuncts(condition: string): Conjunct[] {
  const out: Conjunct[] = [];
  const visit = (node: ExpressionNode) => {
    if (node.kind === 'binary' && node.op === 'and') {
      visit(node.left);
      visit(node.right);
    } else out.push({ text: condition.slice(node.pos, node.end).trim(), columns: columnsOf(node) });
  };
  visit(parseExpression(condition));
  return out;
}

function columnsOf(node: ExpressionNode): Set<string> {
  const references: ColumnReference[] = [];
  collectColumns(node, references);
  return new Set(references.map((r) => r.name));
}

interface ColumnReference {
  pos: number;
  end: number;
  name: string;
}

/** Every column reference in an expression, with where it is written. */
function collectColumns(node: ExpressionNode, found: ColumnReference[]): void {
  switch (node.kind) {
    case 'column':
      found.push({ pos: node.pos, end: node.end, name: node.name });
      break;
    case 'field':
      collectColumns(node.object, found);
      break;
    case 'unary':
      collectColumns(node.operand, found);
      break;
    case 'binary':
      collectColumns(node.left, found);
      collectColumns(node.right, found);
      break;
    case 'in':
      collectColumns(node.value, found);
      for (const item of node.items) collectColumns(item, found);
      break;
    case 'isnull':
      collectColumns(node.value, found);
      break;
    case 'call':
      for (const arg of node.args) collectColumns(arg, found);
      break;
    case 'literal':
      break;
  }
}

/** An expression as an operand: a column, call or literal as it is, anything else in parentheses. */
function parenthesised(expression: string): string {
  const kind = parseExpression(expression).kind;
  return kind === 'column' || kind === 'call' || kind === 'literal' || kind === 'field' ? expression : `(${expression})`;
}

/** `a and (b or c)`: each conjunct parenthesised unless it is the only one, so `or` inside keeps its meaning. */
function joinConjuncts(conjuncts: Conjunct[]): string {
  return conjuncts.length === 1 ? conjuncts[0].text : conjuncts.map((c) => `(${c.text})`).join(' and ');
}
