import { z } from 'zod';
import { defineOperator } from '../component/definition.js';
import { evaluateVector } from '../core/columnar/evaluate.js';
import { mapBatch } from '../core/columnar/micro-batch.js';
import type { Row } from '../core/row.js';
import { withColumn } from '../core/schema.js';

const options = z.strictObject({
  column: z.string().min(1).default('value').describe('The input column x.'),
  phase: z.number().default(0).describe('Shift added to x.'),
  length: z.number().positive().default(30).describe('Period of the wave.'),
  amplitude: z.number().default(10).describe('Peak-to-peak height; the wave runs from -amplitude/2 to amplitude/2.'),
  as: z.string().min(1).default('tr').describe('Name of the output column.'),
});

/**
 * The course's triangle wave as an operator: `as = triangle(column, phase, length, amplitude)`, the same function
 * the expression language offers (and with exactly the values of the course's Python).
 */
export const triangleOperator = defineOperator({
  type: 'triangle',
  sliceable: import.meta.url, // a function of each row: a worker thread can run it over a slice (core/columnar/parallel)
  summary: "Adds the course's triangle wave of a column: triangle(x, phase, length, amplitude), as in its Python.",
  options,
  examples: [{}, { column: 'value', phase: 0, length: 30, amplitude: 10, as: 'tr' }],
  create(o, context) {
    const text = `triangle(\`${o.column}\`, ${o.phase}, ${o.length}, ${o.amplitude})`;
    const expression = context.compile(text, context.input, 'column');
    const evaluate = expression.evaluate;
    return {
      operator: mapBatch(
        (rows) => {
          const out: Row[] = new Array(rows.length);
          for (let i = 0; i < rows.length; i++) out[i] = { ...rows[i], [o.as]: evaluate(rows[i]) };
          return out;
        },
        (columns) => columns.withVector(o.as, evaluateVector(expression, columns)),
      ),
      schema: withColumn(context.input, { name: o.as, type: 'double' }),
      description: `Triangle ${o.as} = ${text}`,
    };
  },
});
