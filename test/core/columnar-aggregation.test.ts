/**
 * withWatermark, window and groupBy from columns (src/operators/aggregate/group-reader.ts): every query runs twice,
 * once from a source that gives columns and once from the same source giving rows only, and the sink output (as JSON:
 * values, key order, timestamps) and the state operator's metrics must be the same. The source's columns hold what
 * the fast paths must not get wrong: null event times and keys (validity bitmaps), rows behind the watermark, a
 * dictionary column, plain string values, NaN and -0.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { map, type OperatorFunction } from 'rxjs';
import { avg, count, max, min, sum, window } from '../../src/api/functions.js';
import { type DataStream, readStream } from '../../src/api/stream.js';
import { ColumnBatch } from '../../src/core/columnar/column-batch.js';
import { columnsOf } from '../../src/core/columnar/micro-batch.js';
import { allValid, setNull, type Vector } from '../../src/core/columnar/vector.js';
import type { MicroBatch } from '../../src/core/operator.js';
import type { QueryProgress } from '../../src/core/progress.js';
import type { Offset } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import type { OutputMode } from '../../src/core/sink.js';
import type { Source } from '../../src/core/source.js';

const BATCHES = 4;
const ROWS = 300;
const BASE = 1_700_000_000_000;
const LABELS = ['red', 'green', 'blue'];
const SCHEMA: Schema = [
  { name: 't', type: 'timestamp' },
  { name: 'key', type: 'long' },
  { name: 'v', type: 'double' },
  { name: 'label', type: 'string' },
  { name: 'word', type: 'string' },
];

/** Batch b's columns: event times move forward by a second per batch, a fifth of them 2.5 s back (late from the third batch on). */
function batchColumns(b: number): ColumnBatch {
  const t = new Float64Array(ROWS);
  const tValid = allValid(ROWS);
  const key = new Float64Array(ROWS);
  const keyValid = allValid(ROWS);
  const v = new Float64Array(ROWS);
  const labels = new Int32Array(ROWS);
  const labelValid = allValid(ROWS);
  const words: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const back = i % 5 === 0 ? 2500 : 0;
    t[i] = BASE + b * 1000 + ((i * 37) % 1000) - back;
    if (i % 23 === 7) setNull(tValid, i);
    key[i] = i % 11 === 3 ? -0 : i % 4;
    if (i % 17 === 5) setNull(keyValid, i);
    v[i] = i % 29 === 0 ? Number.NaN : (i * 7.25) % 13;
    labels[i] = i % 3;
    if (i % 13 === 2) setNull(labelValid, i);
    words.push(i % 31 === 0 ? '' : `w${i % 6}é`);
  }
  const vectors: Vector[] = [
    { kind: 'timestamp', values: t, valid: tValid },
    { kind: 'number', values: key, valid: keyValid },
    { kind: 'number', values: v },
    { kind: 'dictionary', indices: labels, dictionary: LABELS, valid: labelValid },
    { kind: 'values', values: words },
  ];
  return new ColumnBatch(
    SCHEMA.map((c) => c.name),
    vectors,
    ROWS,
  );
}

/** A replayable source of one more batch on every trigger (offset: the batch count), as columns or, `rowsOnly`, as rows. */
function testSource(rowsOnly: boolean): Source {
  const read = (start: Offset | null, end: Offset) => {
    assert.equal(end, (start === null ? 0 : (start as number)) + 1, 'one batch at a time');
    return batchColumns((end as number) - 1);
  };
  return {
    description: 'TestColumns',
    replayable: true,
    schema: SCHEMA,
    open: async () => {},
    latestOffset: (start) => (start === null ? 0 : (start as number)) + 1,
    getBatch: (start, end) => read(start, end).rows(),
    ...(rowsOnly ? {} : { getColumns: read }),
    stop: async () => {},
  };
}

/** Records whether each batch reaching groupBy is columnar. */
type Spy = OperatorFunction<MicroBatch, MicroBatch>;

/** Runs `build`; the output as JSON, the state metrics per batch, and whether groupBy's input was columnar. */
async function run(rowsOnly: boolean, build: (s: DataStream, seen: Spy) => DataStream<object>, outputMode: OutputMode) {
  const dir = await mkdtemp(join(tmpdir(), 'streamlab-columnar-agg-'));
  const batches: object[][] = [];
  const progress: QueryProgress[] = [];
  const columnar: boolean[] = [];
  const seen = map((batch: MicroBatch) => {
    columnar.push(columnsOf(batch) !== undefined);
    return batch;
  });
  try {
    const running = build(readStream(testSource(rowsOnly)), seen)
      .writeStream({ checkpointLocation: join(dir, 'cp'), maxBatches: BATCHES, outputMode })
      .foreachBatch((rows) => {
        batches.push(rows);
      });
    running.query.progress$.subscribe((p) => progress.push(p));
    await running.awaitTermination();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const state = progress.map((p) =>
    p.stateOperators.map((s) => [s.numRowsTotal, s.numRowsUpdated, s.numRowsRemoved, s.numRowsDroppedByWatermark]),
  );
  return { json: JSON.stringify(batches), state: JSON.stringify(state), columnar };
}

const QUERIES: Array<[string, OutputMode, (s: DataStream, seen: Spy) => DataStream<object>]> = [
  [
    'tumbling windows and a key, append, every aggregate',
    'append',
    (s, seen) =>
      s
        .withWatermark('t', '300 milliseconds')
        .pipe(seen)
        .groupBy(window('t', '500 milliseconds'), 'key')
        .agg({ n: count(), c: count('key'), total: sum('v'), mean: avg('v'), first: min('t'), top: max('label') }),
  ],
  [
    'tumbling windows, dictionary and string keys, update',
    'update',
    (s, seen) =>
      s
        .withWatermark('t', '1 second')
        .pipe(seen)
        .groupBy(window('t', '1 second'), 'label', 'word')
        .agg({ n: count(), total: sum('v') }),
  ],
  [
    'no watermark, complete, keys with nulls and -0',
    'complete',
    (s, seen) =>
      s
        .pipe(seen)
        .groupBy('key', 'label')
        .agg({ n: count(), hi: max('v') }),
  ],
  [
    'one group for the whole stream',
    'complete',
    (s, seen) =>
      s
        .pipe(seen)
        .groupBy()
        .agg({ n: count(), total: sum('key') }),
  ],
  [
    'the event time itself as the key, append',
    'append',
    (s, seen) => s.withWatermark('t', '200 milliseconds').pipe(seen).groupBy('t').agg({ n: count() }),
  ],
  [
    'sliding windows (rows: a row lands in two windows)',
    'append',
    (s, seen) =>
      s
        .withWatermark('t', '300 milliseconds')
        .pipe(seen)
        .groupBy(window('t', '1 second', '500 milliseconds'))
        .agg({ n: count() }),
  ],
];

describe('aggregations from columns give the rows and state of the row path', () => {
  for (const [name, mode, build] of QUERIES) {
    it(name, async () => {
      const columns = await run(false, build, mode);
      const rows = await run(true, build, mode);
      assert.equal(columns.columnar.filter(Boolean).length, BATCHES, 'groupBy read columns in the columnar run');
      assert.ok(rows.columnar.every((c) => !c));
      assert.ok(columns.json.length > 30, `the query produced rows: ${columns.json}`);
      assert.equal(columns.json, rows.json);
      assert.equal(columns.state, rows.state);
    });
  }

  it('rows behind the watermark are dropped from columns as from rows', async () => {
    const build = QUERIES[0][2];
    const { state } = await run(false, build, 'append');
    const dropped = (JSON.parse(state) as number[][][]).reduce((total, batch) => total + (batch[0]?.[3] ?? 0), 0);
    assert.ok(dropped > 0, `some rows were late (dropped: ${dropped})`);
  });
});
