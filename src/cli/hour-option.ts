/**
 * `--hour 2026-11-30T13` for `streamlab run` and `validate`: the hour a batch job recomputes, handed to the job file as
 * variables (over the environment and .env, as a flag should win):
 *
 * | variable     | value for --hour 2026-11-30T13 | use                                                        |
 * | ------------ | ------------------------------ | ---------------------------------------------------------- |
 * | HOUR         | 2026-11-30T13                  | the parquet source's `hour`, a checkpoint or file name     |
 * | HOUR_START   | 2026-11-30T13:00:00Z           | a SQL condition (the postgres sink's replaceWhere)         |
 * | HOUR_END     | 2026-11-30T14:00:00Z           | the end of the hour, exclusive                             |
 *
 * Without the flag a job can still take `HOUR` from the environment (`HOUR=2026-11-30T13 streamlab run ...`); the two
 * others are then derived from it unless set too.
 */
import type { Env } from '../config/env.js';
import { ConfigError } from '../core/errors.js';

export const HOUR_FLAGS = { hour: { type: 'string' } } as const;

export const HOUR_USAGE = `  --hour YYYY-MM-DDTHH   the UTC hour a batch job works on: sets \${HOUR} (2026-11-30T13), \${HOUR_START} and
                         \${HOUR_END} (2026-11-30T13:00:00Z, 2026-11-30T14:00:00Z) for the job file`;

const HOUR = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/;

/** The variables of one hour, or a message saying what is wrong with the text. */
export function hourVariables(text: string): { vars: Record<string, string> } | { error: string } {
  const m = HOUR.exec(text);
  const start = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4])) : Number.NaN;
  // Date.UTC rolls 2026-02-30 over into March: a real hour must give back its own text.
  if (!m || Number.isNaN(start) || new Date(start).toISOString().slice(0, 13) !== text) {
    return { error: `expected a UTC hour as YYYY-MM-DDTHH (a real date, hour 00-23), e.g. 2026-11-30T13, found '${text}'` };
  }
  const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
  return { vars: { HOUR: text, HOUR_START: iso(start), HOUR_END: iso(start + 3_600_000) } };
}

/** `env` with the hour's variables: from --hour when given, else derived from an HOUR already in `env`. */
export function withHour(env: Env, flag: unknown): Env {
  if (typeof flag === 'string') {
    const result = hourVariables(flag);
    if ('error' in result) throw ConfigError.single({ message: `--hour: ${result.error}` });
    return { ...env, ...result.vars };
  }
  if (env.HOUR === undefined || env.HOUR === '') return env;
  const result = hourVariables(env.HOUR);
  if ('error' in result) throw ConfigError.single({ message: `the variable HOUR: ${result.error}` });
  return { ...result.vars, ...env };
}
