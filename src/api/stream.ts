import type { OperatorDefinition } from '../component/definition.js';
import type { BatchOperator } from '../core/operator.js';
import type { Row, Value } from '../core/row.js';
import type { Schema } from '../core/schema.js';
import type { Source } from '../core/source.js';
import type { CodeComponents } from '../config/load-job.js';
import type { operatorDefinitions } from '../registry.js';
import { codeOperator, codeSource } from './code-components.js';
import type { NoOptions, OptionsOf, SourceSpec } from './factories.js';
import type { Aggregate, WindowKey } from './functions.js';
import type { ColumnOf, ColumnTypeName, RowOfColumns, SelectRow, WindowValue } from './rows.js';
import { StreamWriter, type WriteStreamOptions } from './writer.js';

type OperatorDefs = (typeof operatorDefinitions)[number];
/** A registered operator's type, as the key a job file writes (`filter`, `fromJson`, ...). */
export type OperatorType = OperatorDefs['type'];
export type OperatorOptions<K extends OperatorType> = OptionsOf<Extract<OperatorDefs, { type: K }>>;

/** One operator as a job file writes it: `- <type>: <options>`. */
export interface OperatorItem {
  readonly type: string;
  readonly options: unknown;
}

/** What a stream has written down so far: the same parts as a job file, plus what was defined in code. */
export interface StreamParts {
  readonly source: SourceSpec<unknown>;
  readonly operators: readonly OperatorItem[];
  readonly code: Required<Pick<CodeComponents, 'sources' | 'operators'>>;
}

type Nullable<R> = { [K in keyof R]: R[K] | null };
type KeyName<K> = K extends WindowKey<infer N> ? N : K & string;
type KeyRow<T, K> = { [P in KeyName<K>]: [Extract<K, WindowKey<P>>] extends [never] ? (P extends keyof T ? T[P] : Value) : WindowValue };
type AggRow<A> = { [P in keyof A]: A[P] extends Aggregate<infer V> ? V : Value };
type CorruptColumn<O> = O extends { columnNameOfCorruptRecord: infer C extends string } ? Record<C, string | null> : NoOptions;
type KeptColumns<T, O> = O extends { keep: readonly (infer K)[] } ? Pick<T, K & keyof T> : NoOptions;
type Simplify<T> = { [K in keyof T]: T[K] };

/**
 * A streaming DataFrame in the spirit of PySpark: immutable, each verb returns a new stream with one more operator.
 * The verbs write down the same operators a job file lists (`filter`, `withColumn`, `withWatermark`, `window`,
 * `groupBy`, ...); the query is checked and built by the job-file builder when it is written out (`writeStream(...)
 * .to(sink)`, `.foreachBatch(f)`, `.build(sink)`), every problem at once. `T` is the type of the rows at this point
 * where TypeScript can follow it (see rows.ts), else `Row`.
 *
 *   readStream(sources.rate({ rowsPerSecond: 10 }))
 *     .filter('value % 2 == 0')
 *     .withColumn('tr', 'triangle(value, 0, 30, 10)')
 *     .writeStream({ checkpointLocation: '.checkpoints/demo', trigger: { processingTime: '1 second' } })
 *     .to(sinks.console());
 */
export class DataStream<T extends object = Row> {
  constructor(readonly parts: StreamParts) {}

  /** Adds any registered operator with its job-file options, e.g. `.apply('triangle', { as: 'tr' })`; rows become `Row`. */
  apply<K extends OperatorType>(type: K, options: OperatorOptions<K>): DataStream<Row>;
  apply(definition: OperatorDefinition, options: unknown): DataStream<Row>;
  apply(type: string | OperatorDefinition, options: unknown): DataStream<Row> {
    return this.add(typeof type === 'string' ? type : type.type, options);
  }

  /** Adds a hand-written RxJS operator over batches; `schema` is its output's columns (default: its input's). */
  pipe<R extends object = T>(operator: BatchOperator, schema?: Schema, description = 'custom operator'): DataStream<R> {
    const type = `pipe-${this.parts.code.operators.length + 1}`;
    const definition = codeOperator(type, operator, description, schema);
    return new DataStream<R>({
      ...this.parts,
      operators: [...this.parts.operators, { type, options: {} }],
      code: {
        ...this.parts.code,
        operators: [...this.parts.code.operators, definition],
      },
    });
  }

  /** Keeps the rows for which `condition` (an expression, as in a job file) is true. Spark: filter / where. */
  filter(condition: string): DataStream<T> {
    return this.add('filter', condition);
  }

  where(condition: string): DataStream<T> {
    return this.filter(condition);
  }

  /** Adds (or replaces) column `name` computed by `expr`. */
  withColumn<N extends string>(name: N, expr: string): DataStream<Simplify<Omit<T, N> & Record<N, Value>>> {
    return this.add('withColumn', { name, expr });
  }

  /** Columns or `expression as name` items, e.g. `select('word', 'count(*) as n')`. */
  select<const Items extends readonly string[]>(...items: Items): DataStream<SelectRow<T, Items>> {
    return this.add('select', items);
  }

  drop<K extends ColumnOf<T>>(...columns: K[]): DataStream<Simplify<Omit<T, K>>> {
    return this.add('drop', columns);
  }

  /** One row per element of the array `expr` gives, in column `as`; `keep` limits the other columns carried over. */
  explode<N extends string>(expr: string, as: N): DataStream<Simplify<T & Record<N, Value>>>;
  explode<N extends string, K extends ColumnOf<T>>(expr: string, as: N, keep: K[]): DataStream<Simplify<Pick<T, K> & Record<N, Value>>>;
  explode(expr: string, as: string, keep?: string[]): DataStream<Row> {
    return this.add('explode', { expr, as, ...(keep ? { keep } : {}) });
  }

  /** Parses the JSON text of `options.column` (default `value`) into the fields of `schema`. Spark: from_json + select("data.*"). */
  fromJson<const S extends Record<string, ColumnTypeName>, const O extends Omit<OperatorOptions<'fromJson'>, 'schema'> = NoOptions>(
    schema: S,
    options?: O,
  ): DataStream<Simplify<Nullable<RowOfColumns<S>> & CorruptColumn<O> & KeptColumns<T, O>>> {
    return this.add('fromJson', { ...options, schema });
  }

  /** The course's triangle wave of a column. */
  triangle<const O extends OperatorOptions<'triangle'>>(
    options?: O,
  ): DataStream<Simplify<T & Record<O extends { as: infer N extends string } ? N : 'tr', number>>> {
    return this.add('triangle', options ?? {});
  }

  /** Declares the event-time column and how late a row may be, e.g. `withWatermark('timestamp', '10 minutes')`. */
  withWatermark(column: ColumnOf<T>, delay: string): DataStream<T> {
    return this.add('withWatermark', { column, delay });
  }

  /** Adds a `window` column where it is written (Spark: `withColumn('window', window(...))`); groupBy(window(...)) does it for you. */
  window(column: ColumnOf<T>, size: string, slide?: string): DataStream<Simplify<T & { window: WindowValue }>> {
    return this.add('window', { column, size, ...(slide ? { slide } : {}) });
  }

  /** Groups by columns and/or one time window: `groupBy(window('timestamp', '10 minutes'), 'word').agg({ n: count() })`. */
  groupBy<const K extends readonly (ColumnOf<T> | WindowKey)[]>(...keys: K): GroupedStream<T, K[number]> {
    return new GroupedStream<T, K[number]>(this, keys);
  }

  /** Drops rows seen before (by `columns`, default all); with a watermark, state is kept only until it passes. */
  dropDuplicates(...columns: ColumnOf<T>[]): DataStream<T> {
    return this.add('dropDuplicates', columns.length > 0 ? { columns } : {});
  }

  /** Spark 3.5's dropDuplicatesWithinWatermark: a key is remembered until the watermark passes its event time + delay. */
  dropDuplicatesWithinWatermark(...columns: ColumnOf<T>[]): DataStream<T> {
    return this.add('dropDuplicates', { ...(columns.length > 0 ? { columns } : {}), withinWatermark: true });
  }

  /** Stream-static join with a bounded source on columns of the same name: Spark's `join(other, on, how)`. */
  join<R, K extends ColumnOf<T> & keyof R>(
    other: SourceSpec<R>,
    on: K | K[],
    how?: 'inner' | 'left',
    options: { refreshInterval?: string } = {},
  ): DataStream<Simplify<T & Omit<R, K>>> {
    if (other.code) throw new TypeError('join: the static side is a registered source (sources.file(...), sources.postgres(...), ...)');
    const joined = { with: { type: other.type, ...other.options }, on: Array.isArray(on) ? on : [on], ...(how ? { how } : {}), ...options };
    return this.add('join', joined);
  }

  /**
   * Spark's `union` of streams: this stream's rows, then each other's, columns matched by position (they must agree
   * in name and type, as the job file's `union` step checks). Each keeps its own withWatermark; the query's watermark
   * combines them by `multipleWatermarkPolicy` (writeStream option, default `min`). A branch is a registered source with
   * verbs, not code parts.
   */
  union(...others: DataStream<T>[]): DataStream<T> {
    const branches = others.map((other, i) => {
      const { source, operators, code } = other.parts;
      if (source.code || code.operators.length > 0)
        throw new TypeError(`union: branch ${i} uses a Source object or pipe(); a branch is a registered source with verbs`);
      return { source: { type: source.type, ...source.options }, operators: operators.map((item) => ({ [item.type]: item.options })) };
    });
    return this.add('union', branches);
  }

  writeStream(options: WriteStreamOptions = {}): StreamWriter<T> {
    return new StreamWriter<T>(this.parts, options);
  }

  /** @internal A new stream with one more operator (written down; checked when the query is built). */
  add<R extends object>(type: string, options: unknown): DataStream<R> {
    return new DataStream<R>({ ...this.parts, operators: [...this.parts.operators, { type, options }] });
  }
}

/** `groupBy(...)` waiting for its aggregates (Spark's GroupedData). */
export class GroupedStream<T extends object, K> {
  constructor(
    private readonly stream: DataStream<T>,
    private readonly keys: readonly (string | WindowKey)[],
  ) {}

  /** Output column -> aggregate, e.g. `{ count: count(), total: sum('bytes') }`; text (`'sum(bytes)'`) works too. */
  agg<const A extends Record<string, Aggregate<unknown> | string>>(aggregates: A): DataStream<Simplify<KeyRow<T, K> & AggRow<A>>> {
    let stream: DataStream<object> = this.stream;
    for (const key of this.keys) if (typeof key !== 'string') stream = stream.add(key.kind, key.options);
    const agg = Object.fromEntries(Object.entries(aggregates).map(([name, a]) => [name, typeof a === 'string' ? a : a.sql]));
    const keys = this.keys.map((key) => (typeof key === 'string' ? key : key.as));
    return stream.add('groupBy', { keys, agg });
  }

  /** Rows per group, in column `count` (Spark: groupBy(...).count()). */
  count(): DataStream<Simplify<KeyRow<T, K> & { count: number }>> {
    return this.agg({ count: { sql: 'count()' } as Aggregate<number> });
  }
}

/** Starts a stream from a source: `readStream(sources.rate({ rowsPerSecond: 10 }))`, or a Source object of your own. */
export function readStream<R extends object>(source: SourceSpec<R>): DataStream<R>;
export function readStream(source: Source): DataStream<Row>;
export function readStream(source: SourceSpec<unknown> | Source): DataStream<object> {
  const code = { sources: [], operators: [] };
  if ('kind' in source && source.kind === 'source') return new DataStream({ source, operators: [], code });
  const definition = codeSource(source as Source);
  const spec: SourceSpec<Row> = { kind: 'source', type: definition.type, options: {}, code: definition };
  return new DataStream({ source: spec, operators: [], code: { ...code, sources: [definition] } });
}
