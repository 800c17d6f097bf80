import { asyncScheduler, concatMap } from 'rxjs';
import { z } from 'zod';
import { defineOperator, type OperatorContext } from '../component/definition.js';
import { durationOption } from '../component/options.js';
import { formatDuration } from '../core/duration.js';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { withHooks } from '../core/operator.js';
import type { Row } from '../core/row.js';
import { columnNames, findColumn, type Column } from '../core/schema.js';
import type { Source } from '../core/source.js';
import { keyPart } from './aggregate/group-key.js';
import { requireColumn } from './event-time.js';

const options = z.strictObject({
  with: z
    .looseObject({ type: z.string().min(1).describe('A registered source type, e.g. `file`.') })
    .describe(
      'The static side, written like a job source: a bounded, replayable source such as `{ type: file, path: data/users.json, schema: { user: string, country: string } }`; read whole.',
    ),
  on: z
    .array(z.string().min(1))
    .min(1)
    .describe('Join columns, present with the same name on both sides (Spark: join(other, usingColumns)).'),
  how: z
    .enum(['inner', 'left'])
    .default('inner')
    .describe('inner: only stream rows with a match; left: every stream row, with nulls when nothing matches.'),
  refreshInterval: durationOption(
    'Read the static side again when this much time has passed since the last read (checked as each batch starts, on batch timestamps); `0s`: before every batch, as Spark re-reads a JDBC table that is not cached. Default: read once, when the query starts.',
  ).optional(),
});

/**
 * Spark's stream-static join: each micro-batch is joined with a bounded table (a file, a PostgreSQL or MySQL table),
 * the lambda project's enrichment step (device events joined with user metadata). Stateless: the static side is read
 * when the query starts (or, built outside a query, when the first batch runs), then again every `refreshInterval` (measured on batch timestamps, so virtual time works),
 * and indexed by the join columns. Spark re-evaluates an uncached JDBC relation in every micro-batch; here the default
 * is one read (metadata changes rarely, and a full table read per batch costs a round trip and the whole table each
 * time), `refreshInterval` bounds how stale it may get, and `0s` gives Spark's every-batch read. The join columns must
 * have the same type on both sides (checked when the job is built): a string id never equals a long one.
 * Output: the stream's columns, then the static side's other columns.
 */
export const joinOperator = defineOperator({
  type: 'join',
  summary:
    'Joins each batch with a static table read from a bounded source (a file, a postgres or mysql table), inner or left, optionally refreshed every N minutes (Spark: stream-static join).',
  options,
  examples: [
    { with: { type: 'file', path: 'data/users.json', schema: { user: 'string', country: 'string' } }, on: ['user'] },
    {
      with: { type: 'file', path: 'data/devices.csv', format: 'csv', header: true, schema: { device: 'string', owner: 'string' } },
      on: ['device'],
      how: 'left',
      refreshInterval: '5 minutes',
    },
    {
      with: {
        type: 'postgres',
        profile: 'postgres',
        table: 'user_metadata',
        schema: { id: 'string', name: 'string', email: 'string', quota: 'long' },
      },
      on: ['id'],
      how: 'left',
      refreshInterval: '10 minutes',
    },
  ],
  create({ with: reference, on, how, refreshInterval }, context) {
    const source = staticSource(reference, context);
    on.forEach((c, i) => {
      requireColumn(c, context, `on[${i}]`);
    });
    const missing = on.filter((c) => !findColumn(source.schema, c));
    if (missing.length > 0)
      fail(
        context,
        'on',
        `join column(s) ${missing.join(', ')} not in the static side (its columns: ${columnNames(source.schema).join(', ')})`,
      );
    checkKeyTypes(on, context, source);
    const extra: Column[] = source.schema.filter((c) => !on.includes(c.name));
    const clash = extra.filter((c) => findColumn(context.input, c.name));
    if (clash.length > 0) {
      fail(
        context,
        'with',
        `column(s) ${clash.map((c) => c.name).join(', ')} exist on both sides but are not join columns; drop or rename them on the stream side first (rows cannot hold two columns of one name)`,
      );
    }
    const extraNames = extra.map((c) => c.name);
    const reloadMs = refreshInterval;
    const keyOf = (row: Row): string | undefined => {
      let key = '';
      for (const c of on) {
        const v = row[c];
        if (v === null || v === undefined) return undefined; // SQL: null never equals anything
        key += `${keyPart(v)}|`;
      }
      return key;
    };

    let table: Map<string, Row[]> | undefined;
    let loadedAt = 0;
    const load = async (): Promise<Map<string, Row[]>> => {
      await source.open({ scheduler: asyncScheduler, logger: silentLogger });
      try {
        await source.prepareForTriggerAvailableNow?.();
        const latest = await source.latestOffset(null);
        const rows = latest === null ? [] : await source.getBatch(null, latest);
        const index = new Map<string, Row[]>();
        for (const row of rows) {
          const key = keyOf(row);
          if (key === undefined) continue;
          const matches = index.get(key);
          if (matches) matches.push(row);
          else index.set(key, [row]);
        }
        return index;
      } finally {
        await source.stop();
      }
    };
    const nulls: Row = Object.fromEntries(extraNames.map((n) => [n, null]));

    return {
      operator: withHooks(
        concatMap(async (batch) => {
          if (!table || (reloadMs !== undefined && batch.batchTimestampMs - loadedAt >= reloadMs)) {
            table = await load();
            loadedAt = batch.batchTimestampMs;
          }
          const out: Row[] = [];
          for (const row of batch.rows) {
            const key = keyOf(row);
            const matches = key === undefined ? undefined : table.get(key);
            if (!matches) {
              if (how === 'left') out.push({ ...row, ...nulls });
              continue;
            }
            for (const match of matches) {
              const joined: Row = { ...row };
              for (const n of extraNames) joined[n] = match[n];
              out.push(joined);
            }
          }
          return { ...batch, rows: out };
        }),
        {
          // Read (and so checked: a missing table or column fails the start) when the query starts, as Spark resolves
          // a JDBC relation's schema when the query is defined; a query that never starts (explain) reads nothing.
          prepare: async ({ nowMs }) => {
            table = await load();
            loadedAt = nowMs;
          },
        },
      ),
      schema: [...context.input, ...extra],
      description: `Join ${how} [${on.join(', ')}] with ${source.description} (static${reloadMs === undefined ? ', read once' : reloadMs === 0 ? ', read before every batch' : `, refreshed every ${formatDuration(reloadMs)}`})`,
      notes: ['stateless: the static side is read whole into memory and indexed by the join columns'],
    };
  },
});

/** Spark would cast one side; here a join column must have one type on both sides (`any` matches anything). */
function checkKeyTypes(on: string[], context: OperatorContext, source: Source): void {
  on.forEach((name, i) => {
    const stream = findColumn(context.input, name);
    const table = findColumn(source.schema, name);
    if (!stream || !table || stream.type === table.type || stream.type === 'any' || table.type === 'any') return;
    fail(
      context,
      `on[${i}]`,
      `join column '${name}' is ${stream.type} in the stream but ${table.type} in the static side (${source.description}): no value of one would ever equal one of the other; convert one side first (e.g. withColumn with string(${name}) or int(${name}))`,
    );
  });
}

/** Builds the static side's source from its registered definition, with problems under `with.`. */
function staticSource(reference: { type: string; [key: string]: unknown }, context: OperatorContext): Source {
  if (!context.sources)
    fail(context, 'with', 'join needs the registered sources to read its static side: build the job with buildJob (a YAML job)');
  const { type, ...rest } = reference;
  const definition = context.sources!.find((d) => d.type === type);
  if (!definition) fail(context, 'with.type', `unknown source type '${type}' (known: ${context.sources!.map((d) => d.type).join(', ')})`);
  const parsed = definition!.options.safeParse(rest);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (issue): ConfigProblem => ({
          file: context.location.file,
          path: [`${context.location.path}.with`, ...issue.path.map(String)].join('.'),
          message: issue.message,
        }),
      ),
    );
  }
  const source = definition!.create(parsed.data as never, {
    ...context,
    location: { ...context.location, path: `${context.location.path}.with` },
  });
  if (!source.replayable) {
    fail(
      context,
      'with.type',
      `the static side must be a bounded source that can be read again (a file, a table); '${type}' is a live stream`,
    );
  }
  return source;
}

function fail(context: OperatorContext, path: string, message: string): never {
  throw ConfigError.single({ file: context.location.file, path: `${context.location.path}.${path}`, message });
}
