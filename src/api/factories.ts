import type { z } from 'zod';
import type { SinkDefinition, SourceDefinition } from '../component/definition.js';
import type { Row } from '../core/row.js';
import { sinkDefinitions, sourceDefinitions } from '../registry.js';
import type { SourceRow } from './rows.js';

/**
 * The source and sink factories, generated from the registry: `sources.kafka({...})`, `sinks.influxdb({...})`, one per
 * registered component, named after its type in camelCase (`rate-micro-batch` -> `rateMicroBatch`) and typed from its
 * option schema (what a job file may write there). A factory only writes the component down: it is checked and built
 * with the rest of the query, by the same code as a job file, when the query is built or started.
 */

/** A source written down: its type and options as in a job file (`profile` included), or one defined in code. */
export interface SourceSpec<R = Row> {
  readonly kind: 'source';
  readonly type: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly code?: SourceDefinition;
  /** Only a type: the rows this source gives. */
  readonly rowType?: R;
}

/** A sink written down, like SourceSpec. */
export interface SinkSpec {
  readonly kind: 'sink';
  readonly type: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly code?: SinkDefinition;
}

/** An object with no options given (`{}`). */
export type NoOptions = Record<never, never>;

export type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;

/** The options of a component as a job file writes them (durations as text, defaults optional). */
export type OptionsOf<D> = D extends { options: infer S extends z.ZodType } ? z.input<S> : never;

/** Options, or a connection profile (config/<profile>.yaml) with the options written here on top of its own. */
export type WithProfile<O> = O | ({ profile: string } & Partial<O>);

type SourceFactory<D extends SourceDefinition & { type: string }> =
  NoOptions extends OptionsOf<D>
    ? <const O extends WithProfile<OptionsOf<D>> = NoOptions>(options?: O) => SourceSpec<SourceRow<D['type'], O>>
    : <const O extends WithProfile<OptionsOf<D>>>(options: O) => SourceSpec<SourceRow<D['type'], O>>;

type SinkFactory<D extends SinkDefinition> =
  NoOptions extends OptionsOf<D> ? (options?: WithProfile<OptionsOf<D>>) => SinkSpec : (options: WithProfile<OptionsOf<D>>) => SinkSpec;

export type SourceFactories = { [D in (typeof sourceDefinitions)[number] as CamelCase<D['type']>]: SourceFactory<D> };
export type SinkFactories = { [D in (typeof sinkDefinitions)[number] as CamelCase<D['type']>]: SinkFactory<D> };

export function camelCase(type: string): string {
  return type.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export const sources = Object.fromEntries(
  sourceDefinitions.map((d) => [camelCase(d.type), (options: Record<string, unknown> = {}) => ({ kind: 'source', type: d.type, options })]),
) as unknown as SourceFactories;

export const sinks = Object.fromEntries(
  sinkDefinitions.map((d) => [camelCase(d.type), (options: Record<string, unknown> = {}) => ({ kind: 'sink', type: d.type, options })]),
) as unknown as SinkFactories;
