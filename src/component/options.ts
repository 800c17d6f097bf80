import { z } from 'zod';
import { DURATION_HELP, parseDuration } from '../core/duration.js';

/**
 * A duration option as users write it (`1s`, `500ms`, `10 minutes`); factories turn it into ms with
 * `parseDuration`, which cannot fail once the schema passed.
 */
export function durationOption(description: string, options: { default: string; positive?: boolean }): z.ZodDefault<z.ZodString>;
export function durationOption(description: string, options?: { positive?: boolean }): z.ZodString;
export function durationOption(description: string, options: { default?: string; positive?: boolean } = {}): z.ZodType {
  const check = options.positive ? (t: string) => (parseDuration(t) ?? 0) > 0 : (t: string) => parseDuration(t) !== undefined;
  const base = z.string().refine(check, { message: `expected ${options.positive ? 'a positive duration: ' : ''}${DURATION_HELP}` });
  return (options.default === undefined ? base : base.default(options.default)).describe(description);
}

/** Milliseconds of a duration that the schema already validated. */
export function ms(text: string): number {
  return parseDuration(text)!;
}

const columnTypes = ['string', 'long', 'double', 'boolean', 'timestamp', 'array', 'struct', 'any'] as const;

/** A schema as users write it in YAML: `{ name: string, age: long }`, in column order. */
export function schemaOption(description: string) {
  return z.record(z.string(), z.enum(columnTypes)).describe(description);
}
