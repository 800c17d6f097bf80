import type { z } from 'zod';
import type { BuiltOperator, OperatorDefinition } from '../component/definition.js';
import type { BadRecordPolicy } from '../core/bad-records.js';
import type { Logger } from '../core/logger.js';
import type { BatchOperator } from '../core/operator.js';
import type { Row } from '../core/row.js';
import type { Schema } from '../core/schema.js';
import type { OutputMode, Sink } from '../core/sink.js';
import type { Source } from '../core/source.js';
import { StreamingQuery } from '../core/query.js';
import type { Trigger } from '../core/trigger.js';
import { dropOperator } from '../operators/drop.js';
import { explodeOperator } from '../operators/explode.js';
import { filterOperator } from '../operators/filter.js';
import { selectOperator } from '../operators/select.js';
import { withColumnOperator } from '../operators/with-column.js';
import { checkOptions, codeContext } from './build.js';

export interface WriteStreamOptions {
  checkpointLocation: string;
  /** Query name (progress, checkpoint ownership); default: the checkpoint folder's name. */
  queryName?: string;
  trigger?: Trigger;
  outputMode?: OutputMode;
  maxRowsPerBatch?: number;
  /** What to do with a record that cannot be read or written (default `fail`). */
  onBadRecord?: BadRecordPolicy;
  deadLetterPath?: string;
  maxBatches?: number;
  logger?: Logger;
}

/**
 * A streaming DataFrame in the spirit of PySpark: immutable, each method returns a new stream with one more
 * operator, checked against the columns at the point where it is added.
 *
 *   const query = readStream(rate({ rowsPerSecond: 10 }))
 *     .filter('value % 2 == 0')
 *     .withColumn('tr', 'triangle(value, 0, 30, 10)')
 *     .writeStream({ checkpointLocation: '.checkpoints/demo', trigger: { kind: 'processingTime', intervalMs: 1000 } })
 *     .foreachBatch(async (rows, batchId) => console.log(batchId, rows.length));
 *   await query.awaitTermination();
 */
export class DataStream {
  constructor(
    readonly source: Source,
    private readonly steps: BuiltOperator[] = [],
  ) {}

  /** The columns of the rows at this point. */
  get schema(): Schema {
    return this.steps.at(-1)?.schema ?? this.source.schema;
  }

  /** Adds any registered operator with its YAML options, e.g. `.apply(triangleOperator, { as: 'tr' })`. */
  apply<S extends z.ZodType>(definition: OperatorDefinition<S>, options: z.input<S>): DataStream {
    const where = `${definition.type}(${JSON.stringify(options)})`;
    const built = definition.create(checkOptions(definition, options, definition.type), { ...codeContext(where), input: this.schema });
    return new DataStream(this.source, [...this.steps, built]);
  }

  /** Adds a hand-written RxJS operator over batches; it must keep the schema (or pass the new one). */
  pipe(operator: BatchOperator, schema: Schema = this.schema, description = 'custom operator'): DataStream {
    return new DataStream(this.source, [...this.steps, { operator, schema, description }]);
  }

  filter(condition: string): DataStream {
    return this.apply(filterOperator, condition);
  }

  withColumn(name: string, expr: string): DataStream {
    return this.apply(withColumnOperator, { name, expr });
  }

  select(...items: string[]): DataStream {
    return this.apply(selectOperator, items);
  }

  drop(...columns: string[]): DataStream {
    return this.apply(dropOperator, columns);
  }

  explode(expr: string, as: string): DataStream {
    return this.apply(explodeOperator, { expr, as });
  }

  writeStream(options: WriteStreamOptions): StreamWriter {
    return new StreamWriter(
      this,
      this.steps.map((s) => s.operator),
      options,
    );
  }
}

/** A started query: stop it, or wait for it to end. */
export interface RunningQuery {
  query: StreamingQuery;
  stop(): void;
  awaitTermination(): Promise<void>;
}

export class StreamWriter {
  constructor(
    private readonly stream: DataStream,
    private readonly operators: BatchOperator[],
    private readonly options: WriteStreamOptions,
  ) {}

  /** Calls `handler` with every batch and starts the query (Spark: writeStream.foreachBatch(f).start()). */
  foreachBatch(handler: (rows: Row[], batchId: number) => Promise<void> | void): RunningQuery {
    return this.start({
      description: 'ForeachBatchSink',
      open: async () => {},
      foreachBatch: async (rows, batchId) => handler(rows, batchId),
      close: async () => {},
    });
  }

  /** Writes to a sink and starts the query. */
  start(sink: Sink): RunningQuery {
    const o = this.options;
    const query = new StreamingQuery(
      {
        name: o.queryName ?? o.checkpointLocation.split('/').filter(Boolean).at(-1) ?? 'query',
        source: this.stream.source,
        operators: this.operators,
        sink,
        trigger: o.trigger ?? { kind: 'default' },
        outputMode: o.outputMode ?? 'append',
        checkpointLocation: o.checkpointLocation,
        maxRowsPerBatch: o.maxRowsPerBatch,
        onBadRecord: o.onBadRecord,
        deadLetterPath: o.deadLetterPath,
      },
      { maxBatches: o.maxBatches, logger: o.logger },
    );
    const done = query.run();
    return { query, stop: () => query.stop(), awaitTermination: () => done };
  }
}

export function readStream(source: Source): DataStream {
  return new DataStream(source);
}
