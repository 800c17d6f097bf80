import { z } from 'zod';
import { DURATION_HELP, formatDuration, parseDuration } from '../core/duration.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../core/retry.js';

type DurationSchema = z.ZodPipe<z.ZodString, z.ZodTransform<number, string>>;

/**
 * A duration option as users write it (`1s`, `500ms`, `10 minutes`), parsed here, once: the factory receives
 * milliseconds. The default is given as text and parsed like a written value (zod's `prefault`), so the JSON
 * Schema and the reference show `"10s"`, the form users write.
 */
export function durationOption(description: string, options: { default: string; positive?: boolean }): z.ZodPrefault<DurationSchema>;
export function durationOption(description: string, options?: { positive?: boolean }): DurationSchema;
export function durationOption(description: string, options: { default?: string; positive?: boolean } = {}): z.ZodType {
  const check = options.positive ? (t: string) => (parseDuration(t) ?? 0) > 0 : (t: string) => parseDuration(t) !== undefined;
  // Checked by a refinement, then converted: a failed refinement leaves the surrounding union (the trigger) able to
  // say which field was wrong, where an issue raised inside the transform would make the whole union invalid.
  const base = z
    .string()
    .refine(check, { message: `expected ${options.positive ? 'a positive duration: ' : ''}${DURATION_HELP}` })
    .transform((text) => parseDuration(text)!);
  const schema = (options.default === undefined ? base : base.prefault(options.default)).describe(description);
  durationSchemas.add(schema);
  return schema;
}

/** The schemas durationOption made (not a meta field: that would show in the generated JSON Schema). */
const durationSchemas = new WeakSet<z.ZodType>();

/** Whether an option's schema (through optional wrappers) is a duration: its parsed value is milliseconds. */
export function isDurationOption(schema: z.ZodType | undefined): boolean {
  let current = schema;
  for (let depth = 0; current && depth < 5; depth++) {
    if (durationSchemas.has(current)) return true;
    current = (current as unknown as { unwrap?: () => z.ZodType }).unwrap?.();
  }
  return false;
}

/**
 * `batchSize`, the one name every sink uses for "at most this many rows (lines, points) per request or statement".
 * `unit` says what one batch is for this sink.
 */
export function batchSizeOption(unit: string, limits: { default: number; max: number }) {
  return z.number().int().min(1).max(limits.max).default(limits.default).describe(unit);
}

/** core/retry.ts's defaults, written as users write them (100ms, 10s). */
const DEFAULT_BACKOFF = { initial: formatDuration(DEFAULT_RETRY.initialDelayMs), max: formatDuration(DEFAULT_RETRY.maxDelayMs) };

const backoff = z
  .strictObject({
    initial: durationOption('Wait before the first retry; doubled at each retry up to `max`.', {
      default: DEFAULT_BACKOFF.initial,
      positive: true,
    }),
    max: durationOption('Longest wait between two retries.', { default: DEFAULT_BACKOFF.max, positive: true }),
  })
  .refine((b) => b.max >= b.initial, { message: 'must not be shorter than backoff.initial', path: ['max'] })
  .prefault({ ...DEFAULT_BACKOFF })
  .describe(
    'Wait between retries, e.g. { initial: 100ms, max: 10s }: retry n waits a random time between half and all of min(max, initial * 2^(n-1)) (exponential backoff with jitter).',
  );

/**
 * The retry block every component that retries shares: `maxRetries` and `backoff: { initial, max }` (as Redpanda
 * Connect's `max_retries` and `backoff`). `after` says which failures this component retries, `giveUp` what happens
 * when it gives up; spread the result into the component's options and turn it into a policy with `retryPolicy`.
 */
export function retryOptions(describe: { after: string; giveUp: string }) {
  return {
    maxRetries: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(DEFAULT_RETRY.maxRetries)
      .describe(`Retries after ${describe.after}, waiting as \`backoff\` says; 0: none. ${describe.giveUp}`),
    backoff,
  };
}

/** The parsed retry block, as `retryOptions` gives it to a factory. */
export interface RetryOptions {
  maxRetries: number;
  backoff: { initial: number; max: number };
}

export function retryPolicy(options: RetryOptions): RetryPolicy {
  return { maxRetries: options.maxRetries, initialDelayMs: options.backoff.initial, maxDelayMs: options.backoff.max };
}

const columnTypes = ['string', 'long', 'double', 'boolean', 'timestamp', 'array', 'struct', 'any'] as const;

/** A schema as users write it in YAML: `{ name: string, age: long }`, in column order. */
export function schemaOption(description: string) {
  return z.record(z.string(), z.enum(columnTypes)).describe(description);
}
