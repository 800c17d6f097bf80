import { map } from 'rxjs';
import { z } from 'zod';
import { defineOperator, type ColumnInfo, type OperatorContext } from '../component/definition.js';
import { formatDuration } from '../core/duration.js';
import { rowBatch } from '../core/columnar/micro-batch.js';
import { ConfigError } from '../core/errors.js';
import { withHooks, type MicroBatch, type StatefulOperator } from '../core/operator.js';
import type { Row } from '../core/row.js';
import type { Column } from '../core/schema.js';
import { StreamingAggregation, type EvictionKey } from './aggregate/aggregation.js';
import { parseAggregate, type AggregateFunction } from './aggregate/functions.js';
import { SessionAggregation } from './aggregate/session-aggregation.js';
import { requireColumn } from './event-time.js';

const options = z.strictObject({
  keys: z
    .array(z.string().min(1))
    .default([])
    .describe(
      'Grouping columns, e.g. `[window, word]`; a window column (from `window` or `sessionWindow`) groups by time. Empty: one group for the whole stream.',
    ),
  agg: z
    .record(z.string().min(1), z.string().min(1))
    .default({ count: 'count()' })
    .describe(
      'Output column -> aggregate: `count()`, `count(col)`, `sum(col)`, `avg(col)`, `min(col)`, `max(col)`, `approxCountDistinct(col)`; the argument may be an expression. Default `{ count: "count()" }`.',
    ),
});

/**
 * Spark's `groupBy(keys).agg(...)` on a stream: a stateful operator whose result table lives in the state store and is
 * emitted according to the query's output mode (see aggregate/aggregation.ts). When a key is a window over a
 * watermarked column (or the watermarked column itself), the watermark finishes groups: append mode emits them then,
 * and late rows for finished groups are dropped. Output columns: the keys, then the aggregates.
 */
export const groupByOperator = defineOperator({
  type: 'groupBy',
  summary:
    'Aggregates per group (count, sum, avg, min, max, approxCountDistinct) over plain keys and/or a window, keeping the result table in the checkpointed state (Spark: groupBy().agg()).',
  options,
  examples: [
    { keys: ['word'], agg: { count: 'count()' } },
    { keys: ['window', 'word'] },
    {
      keys: ['window', 'device'],
      agg: {
        n: 'count()',
        total: 'sum(reading)',
        mean: 'avg(reading)',
        low: 'min(reading)',
        high: 'max(reading)',
        users: 'approxCountDistinct(user)',
      },
    },
  ],
  create({ keys, agg }, context) {
    const keyColumns = keys.map((k, i) => requireColumn(k, context, `keys[${i}]`));
    const duplicates = keys.filter((k, i) => keys.indexOf(k) !== i);
    if (duplicates.length > 0) fail(context, 'keys', `'${duplicates[0]}' is listed twice`);
    const functions = Object.entries(agg).map(([name, text]) => {
      if (keys.includes(name)) fail(context, `agg.${name}`, `'${name}' is already a grouping key; give the aggregate another name`);
      return parseAggregate(name, text, context);
    });
    const info = (k: string): ColumnInfo | undefined => context.columns?.get(k);
    const windowKeys = keys.filter((k) => info(k)?.window);
    if (windowKeys.length > 1) {
      fail(
        context,
        'keys',
        `group by one window at most (found ${windowKeys.join(', ')}): several windows would multiply every row, as Spark refuses too`,
      );
    }
    const sessionKey = keys.find((k) => info(k)?.window?.kind === 'session');
    const watermarkedKey = keys.find((k) => info(k)?.watermarkDelayMs !== undefined);
    const schema: Column[] = [...keyColumns, ...functions.map((f) => ({ name: f.name, type: f.type }))];
    const description = `groupBy [${keys.join(', ')}]`;
    const aggregates = functions.map((f) => `${f.text} AS ${f.name}`).join(', ');

    let stateful: StatefulOperator & { process(batch: MicroBatch): Row[] };
    if (sessionKey !== undefined) {
      if (keys.length === 1) {
        fail(
          context,
          'keys',
          `Global aggregation with session window in streaming query is not supported: add another key next to '${sessionKey}' (sessions are per key, e.g. per user)`,
        );
      }
      stateful = new SessionAggregation({
        keys,
        sessionIndex: keys.indexOf(sessionKey),
        functions,
        watermarked: watermarkedKey === sessionKey,
        schema,
        description,
      });
    } else {
      const eviction: EvictionKey | undefined =
        watermarkedKey === undefined
          ? undefined
          : { index: keys.indexOf(watermarkedKey), column: watermarkedKey, kind: info(watermarkedKey)?.window ? 'window' : 'timestamp' };
      stateful = new StreamingAggregation({ keys, functions, eviction, schema, description });
    }

    const columns = new Map<string, ColumnInfo>();
    for (const k of keys) if (info(k)) columns.set(k, info(k)!);
    return {
      operator: withHooks(
        map((batch) => rowBatch(batch, stateful.process(batch))),
        { stateful },
      ),
      schema,
      description: `Aggregate [${keys.join(', ')}] ${aggregates} (state: ${stateful.operatorName})`,
      columns,
      facts: { kind: 'aggregation', keys, watermarkedKey, sessionWindow: sessionKey },
      notes: notes(functions, watermarkedKey, sessionKey, info(watermarkedKey ?? '')),
    };
  },
});

function fail(context: OperatorContext, path: string, message: string): never {
  throw ConfigError.single({ file: context.location.file, path: `${context.location.path}.${path}`, message });
}

function notes(
  functions: AggregateFunction[],
  watermarkedKey: string | undefined,
  sessionKey: string | undefined,
  info: ColumnInfo | undefined,
): string[] {
  const lines: string[] = [];
  if (watermarkedKey === undefined) {
    lines.push('no watermark on a key: groups are never final, so state grows with every new key (update or complete mode only)');
  } else {
    const delay = formatDuration(info?.watermarkDelayMs ?? 0);
    const end = info?.window ? `its ${sessionKey ? 'session' : 'window'} ends` : `its ${watermarkedKey} is`;
    lines.push(`a group is final once the watermark (${delay} behind the latest event time) reaches the time ${end}`);
    lines.push(
      'append emits a group once, when final; update emits the groups a batch changed and forgets final ones; complete emits all and forgets none',
    );
    lines.push('a row for a final group is late: dropped, and counted in numRowsDroppedByWatermark (append, update)');
  }
  if (functions.some((f) => f.text.toLowerCase().startsWith('approx')))
    lines.push('approxCountDistinct: HyperLogLog, about 5% relative error');
  return lines;
}
