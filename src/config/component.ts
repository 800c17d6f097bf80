import type { z } from 'zod';
import type { BatchOperator } from '../core/operator.js';
import type { Schema } from '../core/schema.js';
import type { Sink } from '../core/sink.js';
import type { Source } from '../core/source.js';
import type { CompiledExpression } from '../core/expr/index.js';

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
}

export interface OperatorContext extends BuildContext {
  /** The schema of the rows this operator receives. */
  input: Schema;
}

export interface SinkBuildContext extends BuildContext {
  input: Schema;
}

/** A built operator: the RxJS operator, its output schema, and a one-line description for `explain`. */
export interface BuiltOperator {
  operator: BatchOperator;
  schema: Schema;
  description: string;
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
}

export interface OperatorDefinition<S extends z.ZodType = z.ZodType> extends ComponentBase<S> {
  kind: 'operator';
  create(options: z.output<S>, context: OperatorContext): BuiltOperator;
}

export interface SinkDefinition<S extends z.ZodType = z.ZodType> extends ComponentBase<S> {
  kind: 'sink';
  create(options: z.output<S>, context: SinkBuildContext): Sink;
}

export type ComponentDefinition = SourceDefinition | OperatorDefinition | SinkDefinition;

/** Identity helpers that keep each definition's option types precise. */
export const defineSource = <S extends z.ZodType>(d: Omit<SourceDefinition<S>, 'kind'>): SourceDefinition<S> => ({ kind: 'source', ...d });
export const defineOperator = <S extends z.ZodType>(d: Omit<OperatorDefinition<S>, 'kind'>): OperatorDefinition<S> => ({ kind: 'operator', ...d });
export const defineSink = <S extends z.ZodType>(d: Omit<SinkDefinition<S>, 'kind'>): SinkDefinition<S> => ({ kind: 'sink', ...d });
