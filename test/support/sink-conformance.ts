/**
 * One conformance suite for every sink, after Redpanda Connect's `integration.StreamTests(...)`: the same list of
 * properties, one line each, run by each sink against its real server. Every property reads the WHOLE content of
 * its target back from the server (every row, every field) and compares it exactly with the rows expected.
 *
 *   sinkConformance(mysqlAdapter());   // runs SINK_PROPERTIES: one batch, many batches, an empty batch, ...
 *
 * A sink comes in through a small adapter (test/support/conformance/<sink>.ts): how to build the sink for a schema,
 * how to read everything back as rows of that schema, and a fresh, empty target per property. The rows are a pure
 * function of their id, with distinct timestamps, so that every store reads them back in one order; rows that share
 * a series and a time in InfluxDB have their own test (test/sinks/influxdb-collisions.test.ts).
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { describeOrSkip } from './describe-or-skip.js';
import type { Row } from '../../src/core/row.js';
import type { ColumnType, Schema } from '../../src/core/schema.js';
import type { Sink } from '../../src/core/sink.js';
import { RateMicroBatchSource } from '../../src/sources/rate-micro-batch.js';
import { crashAfterWriteAndRestart } from './crash-after-write.js';
import { memoryLogger } from './memory-logger.js';
import { everyTypeRows, everyTypeSchema, KEYED_SCHEMA, keyedRows, keyedRowsOfRate, T0 } from './conformance/rows.js';

/** One target (table, measurement, directory) of one property, empty when the property starts. */
export interface SinkTarget {
  /** A new sink writing into this target; called again for a restart. */
  build(): Sink;
  /** Every row in the target, every field, as rows of the target's schema (a missing value is null). */
  readAll(): Promise<Row[]>;
}

export interface SinkAdapter {
  /** e.g. `mysql against MariaDB`. */
  name: string;
  /** false, or why the suite is skipped (the server is not running: see services.ts). */
  skip: string | false;
  /** The column types this sink writes, besides the `id: long` key and the `at: timestamp` every row has. */
  columnTypes: readonly ColumnType[];
  /** Properties this sink does not promise, with the reason; they show as skipped with it. */
  notPromised?: Partial<Record<PropertyName, string>>;
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
  /** A fresh, empty target for rows of `schema`, whose column `id` is the key; `label` names it. */
  target(label: string, schema: Schema): Promise<SinkTarget>;
  /** How the sink keeps a row when it cannot keep it as given (Cassandra: an empty list is null). */
  stored?(row: Row, schema: Schema): Row;
}

export type PropertyName =
  | 'oneBatch'
  | 'manyBatches'
  | 'emptyBatch'
  | 'replayedBatch'
  | 'crashAfterWrite'
  | 'closeWithoutOpen'
  | 'everyColumnType';

export interface SinkProperty {
  name: PropertyName;
  title: string;
  run(adapter: SinkAdapter): Promise<void>;
}

const byId = (a: Row, b: Row) => (a.id as number) - (b.id as number);

/** Reads the whole target and compares it, sorted by id, with `rows` as the sink keeps them. */
async function assertContent(adapter: SinkAdapter, target: SinkTarget, schema: Schema, rows: Row[], message?: string) {
  const stored = rows.map((row) => adapter.stored?.(row, schema) ?? row);
  assert.deepStrictEqual((await target.readAll()).sort(byId), [...stored].sort(byId), message);
}

async function opened(target: SinkTarget, queryId = randomUUID()): Promise<Sink> {
  const sink = target.build();
  await sink.open({ queryId, queryName: 'conformance', outputMode: 'append', logger: memoryLogger() });
  return sink;
}

/** Writes `batches` (batch id = index) through one opened sink, then closes it. */
async function writeBatches(target: SinkTarget, batches: Row[][]): Promise<void> {
  const sink = await opened(target);
  try {
    for (const [batchId, rows] of batches.entries()) await sink.foreachBatch(rows, batchId);
  } finally {
    await sink.close();
  }
}

export const oneBatch = (size: number): SinkProperty => ({
  name: 'oneBatch',
  title: `one batch of ${size} rows`,
  async run(adapter) {
    const target = await adapter.target('one', KEYED_SCHEMA);
    await writeBatches(target, [keyedRows(0, size)]);
    await assertContent(adapter, target, KEYED_SCHEMA, keyedRows(0, size));
  },
});

export const manyBatches = (count: number, size: number): SinkProperty => ({
  name: 'manyBatches',
  title: `${count} batches of ${size} rows`,
  async run(adapter) {
    const target = await adapter.target('many', KEYED_SCHEMA);
    const batches = Array.from({ length: count }, (_, b) => keyedRows(b * size, size));
    await writeBatches(target, batches);
    await assertContent(adapter, target, KEYED_SCHEMA, batches.flat());
  },
});

export const emptyBatch = (): SinkProperty => ({
  name: 'emptyBatch',
  title: 'an empty batch writes nothing, and the batches around it are written',
  async run(adapter) {
    const target = await adapter.target('empty', KEYED_SCHEMA);
    const sink = await opened(target);
    try {
      await sink.foreachBatch([], 0);
      await assertContent(adapter, target, KEYED_SCHEMA, [], 'after the empty batch 0');
      await sink.foreachBatch(keyedRows(0, 3), 1);
      await sink.foreachBatch([], 2);
    } finally {
      await sink.close();
    }
    await assertContent(adapter, target, KEYED_SCHEMA, keyedRows(0, 3));
  },
});

export const replayedBatch = (): SinkProperty => ({
  name: 'replayedBatch',
  title: 'a replayed batch id writes nothing twice (same sink, and a new sink of the same query)',
  async run(adapter) {
    const target = await adapter.target('replay', KEYED_SCHEMA);
    const queryId = randomUUID();
    const [batch0, batch1] = [keyedRows(0, 4), keyedRows(4, 4)];
    const first = await opened(target, queryId);
    await first.foreachBatch(batch0, 0);
    await first.foreachBatch(batch1, 1);
    await first.foreachBatch(batch1, 1);
    await first.close();
    const second = await opened(target, queryId);
    await second.foreachBatch(batch1, 1);
    await second.close();
    await assertContent(adapter, target, KEYED_SCHEMA, [...batch0, ...batch1]);
  },
});

export const crashAfterWrite = (crashAt: number, batches: number, size: number): SinkProperty => ({
  name: 'crashAfterWrite',
  title: `a crash after the write of batch ${crashAt} and before commits/${crashAt}: the replay gives the same content`,
  async run(adapter) {
    const target = await adapter.target('crash', KEYED_SCHEMA);
    const dir = await mkdtemp(join(tmpdir(), 'streamlab-conformance-'));
    try {
      const { replayed } = await crashAfterWriteAndRestart({
        definition: (sink) => ({
          name: 'conformance-crash',
          source: new RateMicroBatchSource(size, T0, 1000),
          operators: [keyedRowsOfRate],
          sink,
          trigger: { kind: 'default' },
          outputMode: 'append',
          checkpointLocation: join(dir, 'checkpoint'),
        }),
        sink: () => target.build(),
        crashAt,
        maxBatches: batches - crashAt,
        logger: memoryLogger(),
      });
      assert.deepEqual(replayed, [crashAt], 'the restart replays the crashed batch, and only it');
      await assertContent(adapter, target, KEYED_SCHEMA, keyedRows(0, batches * size));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});

export const closeWithoutOpen = (): SinkProperty => ({
  name: 'closeWithoutOpen',
  title: 'close() without open() resolves and writes nothing',
  async run(adapter) {
    const target = await adapter.target('unopened', KEYED_SCHEMA);
    await target.build().close();
    await assertContent(adapter, target, KEYED_SCHEMA, []);
  },
});

export const everyColumnType = (): SinkProperty => ({
  name: 'everyColumnType',
  title: 'every column type the sink writes: values, edge cases and nulls come back as given',
  async run(adapter) {
    const schema = everyTypeSchema(adapter.columnTypes);
    const target = await adapter.target('types', schema);
    const rows = everyTypeRows(schema);
    await writeBatches(target, [rows]);
    await assertContent(adapter, target, schema, rows);
  },
});

/** The list every sink runs, one line per property. */
export const SINK_PROPERTIES: readonly SinkProperty[] = [
  oneBatch(10),
  manyBatches(5, 10),
  emptyBatch(),
  replayedBatch(),
  crashAfterWrite(2, 5, 5),
  closeWithoutOpen(),
  everyColumnType(),
];

/** Runs `properties` against the sink of `adapter`, each as a test of its own. */
export function sinkConformance(adapter: SinkAdapter, properties: readonly SinkProperty[] = SINK_PROPERTIES): void {
  describeOrSkip(`sink conformance: ${adapter.name}`, { skip: adapter.skip, timeout: 240_000 }, () => {
    before(async () => adapter.setUp?.());
    after(async () => adapter.tearDown?.());
    for (const property of properties) {
      it(property.title, { skip: adapter.notPromised?.[property.name] ?? false }, () => property.run(adapter));
    }
  });
}
