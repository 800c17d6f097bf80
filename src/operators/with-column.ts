import { z } from 'zod';
import { defineOperator } from '../component/definition.js';
import { evaluateVector } from '../core/columnar/evaluate.js';
import { mapBatch } from '../core/columnar/micro-batch.js';
import type { Row } from '../core/row.js';
import { withColumn } from '../core/schema.js';

const options = z.strictObject({
  name: z.string().min(1).describe('The column to add, or to replace if it exists.'),
  expr: z.string().min(1).describe('Expression giving its value, e.g. `triangle(value, 0, 30, 10)`.'),
});

/** Spark's `withColumn(name, expr)`: adds or replaces one column; rows are copied, never mutated; columns are shared. */
export const withColumnOperator = defineOperator({
  type: 'withColumn',
  sliceable: import.meta.url, // a function of each row: a worker thread can run it over a slice (core/columnar/parallel)
  summary: 'Adds a column computed from an expression, or replaces one of the same name (Spark: withColumn).',
  options,
  examples: [
    { name: 'tr', expr: 'triangle(value, 0, 30, 10)' },
    { name: 'doubled', expr: 'value * 2' },
  ],
  create({ name, expr }, context) {
    const expression = context.compile(expr, context.input, 'expr');
    const evaluate = expression.evaluate;
    return {
      operator: mapBatch(
        (rows) => {
          const out: Row[] = new Array(rows.length);
          for (let i = 0; i < rows.length; i++) {
            const row = rows[i];
            out[i] = { ...row, [name]: evaluate(row) };
          }
          return out;
        },
        (columns) => columns.withVector(name, evaluateVector(expression, columns)),
      ),
      schema: withColumn(context.input, { name, type: expression.type }),
      description: `WithColumn ${name} = ${expr}`,
    };
  },
});
