import { z } from 'zod';
import { defineOperator } from '../component/definition.js';
import { ConfigError } from '../core/errors.js';
import { mapBatch } from '../core/columnar/micro-batch.js';
import type { Row } from '../core/row.js';

/** Spark's `drop(cols)`: removes columns. Unlike Spark, naming a column that does not exist is an error: a typo here would silently keep data. */
export const dropOperator = defineOperator({
  type: 'drop',
  sliceable: import.meta.url, // a function of each row: a worker thread can run it over a slice (core/columnar/parallel)
  summary: 'Removes the listed columns (Spark: drop).',
  options: z.array(z.string().min(1)).min(1).describe('Names of the columns to remove.'),
  examples: [['timestamp'], ['tmp', 'debug']],
  create(names, context) {
    const known = new Set(context.input.map((c) => c.name));
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw ConfigError.single({
        file: context.location.file,
        path: context.location.path,
        message: `cannot drop unknown column(s) ${unknown.join(', ')} (columns: ${[...known].join(', ')})`,
      });
    }
    const keep = context.input.filter((c) => !names.includes(c.name));
    const keepNames = keep.map((c) => c.name);
    return {
      operator: mapBatch(
        (rows) =>
          rows.map((row) => {
            const out: Row = {};
            for (const name of keepNames) out[name] = row[name];
            return out;
          }),
        (columns) => columns.pick(keepNames), // the kept vectors, shared: free
      ),
      schema: keep,
      description: `Drop [${names.join(', ')}]`,
    };
  },
});
