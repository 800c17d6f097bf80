import { z } from 'zod';
import { defineOperator } from '../component/definition.js';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import { evaluateVector } from '../core/columnar/evaluate.js';
import { mapBatch } from '../core/columnar/micro-batch.js';
import type { Row } from '../core/row.js';
import type { Column } from '../core/schema.js';

/** `expr as name` (case-insensitive `as`, Spark's selectExpr syntax); a bare column keeps its name. */
export function splitAlias(item: string): { expr: string; name: string | undefined } {
  const match = /^(.*\S)\s+as\s+([A-Za-z_][A-Za-z0-9_]*)\s*$/is.exec(item);
  return match ? { expr: match[1], name: match[2] } : { expr: item.trim(), name: undefined };
}

/** Spark's `selectExpr`: the listed columns or expressions, in that order, and nothing else. */
export const selectOperator = defineOperator({
  type: 'select',
  sliceable: import.meta.url, // a function of each row: a worker thread can run it over a slice (core/columnar/parallel)
  summary: 'Keeps only the listed columns or expressions, in order; `expr as name` names a computed column (Spark: selectExpr).',
  options: z.array(z.string().min(1)).min(1).describe('Columns or `expression as name` items.'),
  examples: [
    ['timestamp', 'value'],
    ['value', 'value * 2 as doubled', 'upper(name) as name'],
  ],
  create(items, context) {
    const unnamed: ConfigProblem[] = [];
    const columns = items.map((item, i) => {
      const { expr, name } = splitAlias(item);
      const expression = context.compile(expr, context.input, String(i));
      const columnName = name ?? (expression.columns.length === 1 && expression.columns[0] === expr ? expr : undefined);
      if (!columnName) {
        unnamed.push({
          file: context.location.file,
          path: `${context.location.path}[${i}]`,
          message: `'${item}' computes a value but has no name: write it as '${item} as <name>'`,
        });
      }
      return { name: columnName ?? '', evaluate: expression.evaluate, expression, type: expression.type };
    });
    // After the loop, so every item's expression is compiled (and its problems reported) in the same pass.
    if (unnamed.length > 0) throw new ConfigError(unnamed);
    const width = columns.length;
    const names = columns.map((c) => c.name);
    return {
      // Columns: a plain column is its vector, shared; a computed one is one loop over the batch.
      operator: mapBatch(
        (rows) => {
          const out: Row[] = new Array(rows.length);
          for (let i = 0; i < rows.length; i++) {
            const row = rows[i];
            const selected: Row = {};
            for (let c = 0; c < width; c++) selected[columns[c].name] = columns[c].evaluate(row);
            out[i] = selected;
          }
          return out;
        },
        (batch) =>
          batch.with(
            names,
            columns.map((c) => evaluateVector(c.expression, batch)),
          ),
      ),
      schema: columns.map((c): Column => ({ name: c.name, type: c.type })),
      description: `Project [${items.join(', ')}]`,
    };
  },
});
