import type { z } from 'zod';
import { withHooks, type BatchOperator, type StatefulOperator, type WatermarkOperator } from '../core/operator.js';
import type { Schema } from '../core/schema.js';
import type { OutputMode, Sink } from '../core/sink.js';
import type { Source } from '../core/source.js';
import type { CompiledExpression } from '../core/expr/index.js';
import type { StreamingFacts } from '../core/state/streaming-facts.js';

/** Where a component sits in its job file, for messages: `jobs/x.yaml` and `operators[1].filter`. */
export interface ConfigLocation {
  file?: string;
  path: string;
}

/** What a factory gets besides its options. Building does no I/O: connecting happens in `open()`. */
export interface BuildContext {
  location: ConfigLocation;
  /** The job's name (e.g. for Stream Load labels or memory sink names). */
  queryName: string;
  /** Compiles an expression against `schema`; errors name the file, the dotted path below `location` and the position. */
  compile(source: string, schema: Schema, subPath?: string): CompiledExpression;
  /** The registered sources, for operators that read a bounded source themselves (join's static side). */
  sources?: readonly SourceDefinition[];
}

/**
 * What the plan knows about a column beyond its type, handed from operator to operator at build time. Spark keeps
 * the same facts as column metadata (`spark.watermarkDelayMs`, the session window marker); here they let groupBy
 * find its event-time key and let the output-mode rules be checked before anything runs.
 */
export interface ColumnInfo {
  /** Event time with a watermark of this delay (withWatermark), or a window computed from such a column. */
  watermarkDelayMs?: number;
  /** A `{ start, end }` window struct made by `window` or `sessionWindow` from column `source`. */
  window?: { kind: 'tumbling' | 'sliding' | 'session'; source: string; sizeMs?: number; slideMs?: number; gapMs?: number };
}

export type ColumnInfos = ReadonlyMap<string, ColumnInfo>;

export interface OperatorContext extends BuildContext {
  /** The schema of the rows this operator receives. */
  input: Schema;
  /** Event-time facts about the input columns (none when omitted). */
  columns?: ColumnInfos;
}

/** Read access to the query's stateful operators, for sinks that show state (the console's `showState`). */
export interface StateInspector {
  stateful: readonly StatefulOperator[];
  watermarks: readonly WatermarkOperator[];
}

export interface SinkBuildContext extends BuildContext {
  input: Schema;
  state?: StateInspector;
  /** The job's output mode, when known at build time (a job file): lets a sink refuse a mode it cannot write as a config error. */
  outputMode?: OutputMode;
  /** The grouping columns of the job's groupBy, if it has one: what identifies a row in update mode (Spark's meaning). */
  groupingKeys?: readonly string[];
}

export type { StreamingFacts } from '../core/state/streaming-facts.js';

/** A built operator: the RxJS operator, its output schema, and a one-line description for `explain`. */
export interface BuiltOperator {
  operator: BatchOperator;
  schema: Schema;
  description: string;
  /** Event-time facts about the output columns; default: the input's, for columns still in the output. */
  columns?: ColumnInfos;
  facts?: StreamingFacts;
  /** Extra lines for `explain`: how the operator uses the watermark, what it keeps in state. */
  notes?: string[];
}

interface ComponentBase<S extends z.ZodType> {
  /** The name used in YAML: `type: rate` for sources and sinks, the key (`- filter: ...`) for operators. */
  type: string;
  /** One line for `streamlab list`-style listings, the docs and the JSON Schema. */
  summary: string;
  /** Strict schema of the options, with a description on every field; secrets marked with `secret()`. */
  options: S;
  /** Option values as a user writes them in YAML; each is validated by a test and shown in the docs. */
  examples: unknown[];
}

export interface SourceDefinition<S extends z.ZodType = z.ZodType> extends ComponentBase<S> {
  kind: 'source';
  create(options: z.output<S>, context: BuildContext): Source;
  /**
   * The options that decide which rows an offset stands for (the rate source's rowsPerSecond, the file source's path),
   * as comparable values. Recorded in the checkpoint with the source type; a later run with other values is refused,
   * since going on from the recorded offsets would read rows again or skip them. Leave out options that may change
   * freely (batch sizes, parsing details).
   */
  offsetIdentity?(options: z.output<S>): Record<string, unknown>;
}

export interface OperatorDefinition<S extends z.ZodType = z.ZodType> extends ComponentBase<S> {
  kind: 'operator';
  create(options: z.output<S>, context: OperatorContext): BuiltOperator;
  /**
   * Set (to the operator file's `import.meta.url`) by an operator whose output rows are each a function of one input
   * row alone, with a columnar path: a worker thread imports that module, builds the operator from the same options and
   * runs it over a slice of a big batch (core/columnar/parallel/); the slices' outputs put together are the batch's.
   */
  sliceable?: string;
}

export interface SinkDefinition<S extends z.ZodType = z.ZodType> extends ComponentBase<S> {
  kind: 'sink';
  create(options: z.output<S>, context: SinkBuildContext): Sink;
}

export type ComponentDefinition = SourceDefinition | OperatorDefinition | SinkDefinition;

/** Identity helpers that keep each definition's option types and its `type` name precise (the TypeScript API's factories). */
export const defineSource = <S extends z.ZodType, T extends string>(
  d: Omit<SourceDefinition<S>, 'kind'> & { type: T },
): SourceDefinition<S> & { type: T } => ({ kind: 'source', ...d });
export const defineOperator = <S extends z.ZodType, T extends string>(
  d: Omit<OperatorDefinition<S>, 'kind'> & { type: T },
): OperatorDefinition<S> & { type: T } => ({ kind: 'operator', ...d, create: d.sliceable ? withSliceSpec(d, d.sliceable) : d.create });
export const defineSink = <S extends z.ZodType, T extends string>(
  d: Omit<SinkDefinition<S>, 'kind'> & { type: T },
): SinkDefinition<S> & { type: T } => ({ kind: 'sink', ...d });

/** A sliceable operator's factory that also records, on the operator it builds, how a worker builds it again. */
function withSliceSpec<S extends z.ZodType>(d: Omit<OperatorDefinition<S>, 'kind'>, module: string): OperatorDefinition<S>['create'] {
  return (options, context) => {
    const built = d.create(options, context);
    const { location, queryName, input } = context;
    return { ...built, operator: withHooks(built.operator, { slice: { module, type: d.type, options, input, queryName, location } }) };
  };
}
