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
 * computed columns; here a conjunct is moved through filter, drop, select and withColumn only when the columns it reads
 * pass them unchanged. Any other operator (window, groupBy, explode, join...) ends the search: a filter after it stays.
 */
export class FilterPushdown {
  private watermark: WatermarkPosition | undefined;
  /** Columns computed (or renamed) since the withWatermark: a conjunct reading one cannot move below it. */
  private readonly changed = new Set<string>();
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
    const movable = (c: Conjunct) => !c.columns.has(watermark.column) && ![...c.columns].some((name) => this.changed.has(name));
    const pushed = conjuncts.filter(movable);
    if (pushed.length === 0) return undefined;
    const stayed = conjuncts.filter((c) => !movable(c));
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
      this.changed.clear();
      this.blocked = false;
      return;
    }
    if (!this.watermark || this.blocked) return;
    if (type === 'withColumn') this.changed.add((options as { name: string }).name);
    else if (type === 'select') {
      for (const item of options as string[]) {
        const { expr, name } = splitAlias(item);
        if (name !== undefined && name !== expr) this.changed.add(name);
      }
    } else if (type !== 'filter' && type !== 'drop') this.blocked = true;
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

function columnsOf(node: ExpressionNode, found = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'column':
      found.add(node.name);
      break;
    case 'field':
      columnsOf(node.object, found);
      break;
    case 'unary':
      columnsOf(node.operand, found);
      break;
    case 'binary':
      columnsOf(node.left, found);
      columnsOf(node.right, found);
      break;
    case 'in':
      columnsOf(node.value, found);
      for (const item of node.items) columnsOf(item, found);
      break;
    case 'isnull':
      columnsOf(node.value, found);
      break;
    case 'call':
      for (const arg of node.args) columnsOf(arg, found);
      break;
    case 'literal':
      break;
  }
  return found;
}

/** `a and (b or c)`: each conjunct parenthesised unless it is the only one, so `or` inside keeps its meaning. */
function joinConjuncts(conjuncts: Conjunct[]): string {
  return conjuncts.length === 1 ? conjuncts[0].text : conjuncts.map((c) => `(${c.text})`).join(' and ');
}
