import { z } from 'zod';
import { defineOperator } from '../component/definition.js';
import { ConfigError } from '../core/errors.js';
import { mapRows } from '../core/operator.js';
import type { Row } from '../core/row.js';
import { withColumn } from '../core/schema.js';

const options = z.strictObject({
  expr: z.string().min(1).describe("An expression giving an array, e.g. `split(value, ' ')`."),
  as: z.string().min(1).describe('Name of the column that holds each element.'),
  keep: z.array(z.string()).optional().describe('Other columns to carry over to each output row (default: all of them).'),
});

/**
 * Spark's `explode`: one output row per element of an array (rows with an empty or null array give none). The
 * word count's `explode(split(value, ' ')).alias('word')` is `explode: { expr: "split(value, ' ')", as: word }`.
 */
export const explodeOperator = defineOperator({
  type: 'explode',
  summary: 'One row per element of an array expression, e.g. words of a line (Spark: explode(split(...))).',
  options,
  examples: [
    { expr: "split(value, ' ')", as: 'word', keep: [] },
    { expr: "split(lower(value), ' ')", as: 'word' },
  ],
  create({ expr, as, keep }, context) {
    const expression = context.compile(expr, context.input, 'expr');
    if (expression.type !== 'array' && expression.type !== 'any') {
      throw ConfigError.single({
        file: context.location.file,
        path: `${context.location.path}.expr`,
        message: `explode needs an array, but '${expr}' gives ${expression.type}; use e.g. split(column, ' ')`,
      });
    }
    const carried = keep ? context.input.filter((c) => keep.includes(c.name)) : context.input.filter((c) => c.name !== as);
    const carriedNames = carried.map((c) => c.name);
    const evaluate = expression.evaluate;
    return {
      operator: mapRows((rows) => {
        const out: Row[] = [];
        for (const row of rows) {
          const items = evaluate(row);
          if (!Array.isArray(items)) continue;
          for (const item of items) {
            const next: Row = {};
            for (const name of carriedNames) next[name] = row[name];
            next[as] = item;
            out.push(next);
          }
        }
        return out;
      }),
      schema: withColumn(carried, { name: as, type: expression.elementType ?? 'any' }),
      description: `Generate explode(${expr}) AS ${as}`,
    };
  },
});
