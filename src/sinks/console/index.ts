import { z } from 'zod';
import { defineSink, type StateInspector } from '../../component/definition.js';
import type { Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { Sink } from '../../core/sink.js';
import { formatTable } from './format.js';
import { enableTracing, formatState } from './state.js';

const options = z.strictObject({
  numRows: z.number().int().positive().default(20).describe('Rows shown per batch (Spark: numRows).'),
  truncate: z.boolean().default(true).describe('Cut cells longer than 20 characters (Spark: truncate).'),
  showState: z
    .boolean()
    .default(false)
    .describe(
      'After each batch, also print what the stateful operators (groupBy, dropDuplicates) did with its rows (counted, or dropped as late and why), the watermark, and their state table. For learning; costs memory per row.',
    ),
});

/**
 * Spark's console sink: prints each batch as `Batch: N` and a table, on stdout. Replays print again (it is a display).
 * With a state inspector (`showState`), the stateful operators' view of the batch follows the table.
 */
export class ConsoleSink implements Sink {
  readonly description: string;
  readonly writesStdout: boolean;
  private readonly write: (text: string) => void;

  constructor(
    private readonly schema: Schema,
    private readonly numRows: number,
    private readonly truncate: boolean,
    write?: (text: string) => void,
    private readonly state?: StateInspector,
  ) {
    this.writesStdout = write === undefined;
    this.write = write ?? ((t) => process.stdout.write(t));
    this.description = `ConsoleSink[numRows=${numRows}, truncate=${truncate}${state ? ', showState=true' : ''}]`;
    if (state) enableTracing(state.stateful);
  }

  async open() {}

  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    const rule = '-------------------------------------------';
    const state = this.state ? formatState(this.state, this.numRows, this.truncate) : '';
    this.write(`${rule}\nBatch: ${batchId}\n${rule}\n${formatTable(rows, this.schema, this.numRows, this.truncate)}${state}\n`);
  }

  async close() {}
}

export const consoleSink = defineSink({
  type: 'console',
  summary: "Prints every batch as a table on stdout, in Spark's console format.",
  options,
  examples: [{}, { numRows: 5, truncate: false }, { truncate: false, showState: true }],
  create: (o, context) =>
    new ConsoleSink(
      context.input,
      o.numRows,
      o.truncate,
      undefined,
      o.showState ? (context.state ?? { stateful: [], watermarks: [] }) : undefined,
    ),
});
