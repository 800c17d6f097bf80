import { z } from 'zod';
import { defineSink } from '../../config/component.js';
import type { Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { Sink } from '../../core/sink.js';
import { formatTable } from './format.js';

const options = z.strictObject({
  numRows: z.number().int().positive().default(20).describe('Rows shown per batch (Spark: numRows).'),
  truncate: z.boolean().default(true).describe('Cut cells longer than 20 characters (Spark: truncate).'),
});

/** Spark's console sink: prints each batch as `Batch: N` and a table, on stdout. Replays print again (it is a display). */
export class ConsoleSink implements Sink {
  readonly description: string;

  constructor(
    private readonly schema: Schema,
    private readonly numRows: number,
    private readonly truncate: boolean,
    private readonly write: (text: string) => void = (t) => process.stdout.write(t),
  ) {
    this.description = `ConsoleSink[numRows=${numRows}, truncate=${truncate}]`;
  }

  async open() {}

  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    const rule = '-------------------------------------------';
    this.write(`${rule}\nBatch: ${batchId}\n${rule}\n${formatTable(rows, this.schema, this.numRows, this.truncate)}\n`);
  }

  async close() {}
}

export const consoleSink = defineSink({
  type: 'console',
  summary: "Prints every batch as a table on stdout, in Spark's console format.",
  options,
  examples: [{}, { numRows: 5, truncate: false }],
  create: (o, context) => new ConsoleSink(context.input, o.numRows, o.truncate),
});
