import { z } from 'zod';
import { defineOperator } from '../component/definition.js';
import { selectWhere } from '../core/columnar/evaluate.js';
import { mapBatch } from '../core/columnar/micro-batch.js';
import type { Row } from '../core/row.js';

/** Spark's `filter` / `where`: keeps the rows for which the condition is true (null counts as false, as in SQL). */
export const filterOperator = defineOperator({
  type: 'filter',
  sliceable: import.meta.url, // a function of each row: a worker thread can run it over a slice (core/columnar/parallel)
  summary: 'Keeps the rows for which an expression is true (Spark: filter / where). Null counts as false.',
  options: z.string().min(1).describe('A boolean expression over the columns, e.g. `value % 2 == 0`.'),
  examples: ['value % 2 == 0', "age >= 18 and name != 'Andy'"],
  create(condition, context) {
    const expression = context.compile(condition, context.input);
    const test = expression.evaluate;
    return {
      // Columns: a selection vector over the same vectors (nothing copied).
      operator: mapBatch(
        (rows) => {
          const kept: Row[] = [];
          for (let i = 0; i < rows.length; i++) if (test(rows[i]) === true) kept.push(rows[i]);
          return kept;
        },
        (columns) => columns.select(selectWhere(expression, columns)),
      ),
      schema: context.input,
      description: `Filter ${condition}`,
    };
  },
});
