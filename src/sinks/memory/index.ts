import { z } from 'zod';
import { defineSink } from '../../component/definition.js';
import type { Row } from '../../core/row.js';
import type { OutputMode, Sink, SinkContext } from '../../core/sink.js';

const options = z.strictObject({
  queryName: z.string().optional().describe("Name of the in-memory table (default: the job name), as Spark's queryName."),
});

/** Batches per table, by batchId, so a replayed batch replaces itself instead of adding rows twice. */
const tables = new Map<string, Map<number, Row[]>>();

/** The rows of in-memory table `name`, in batch order (Spark: `spark.sql("select * from <queryName>")`). */
export function memoryTable(name: string): Row[] {
  const batches = tables.get(name);
  if (!batches) return [];
  return [...batches.entries()].sort(([a], [b]) => a - b).flatMap(([, rows]) => rows);
}

/** Forgets in-memory table `name` (a bench drops what it wrote, once no sink writes to it any more). */
export function dropMemoryTable(name: string): void {
  tables.delete(name);
}

/** Spark's memory sink: keeps rows in this process, for tests and the programmatic API. Complete mode keeps the last batch only. */
export class MemorySink implements Sink {
  readonly description: string;
  private mode: OutputMode = 'append';

  constructor(readonly tableName: string) {
    this.description = `MemorySink[${tableName}]`;
  }

  async open(context: SinkContext) {
    this.mode = context.outputMode;
    if (!tables.has(this.tableName)) tables.set(this.tableName, new Map());
  }

  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    const batches = tables.get(this.tableName)!;
    if (this.mode === 'complete') batches.clear();
    batches.set(batchId, rows);
  }

  async close() {}
}

export const memorySink = defineSink({
  type: 'memory',
  summary: 'Keeps the rows in this process under a table name, for tests and TypeScript jobs (Spark: format("memory")).',
  options,
  examples: [{}, { queryName: 'counts' }],
  create: (o, context) => new MemorySink(o.queryName ?? context.queryName),
});
