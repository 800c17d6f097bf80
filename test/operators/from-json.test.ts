/**
 * fromJson (Spark's from_json + select("data.*")): the rows below are what PySpark 4.3.0 printed for the same input
 * (from_json(col("value"), "timestamp timestamp, id string, bytes long", {...}) then select("d.*", "offset")).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import type { Row } from '../../src/core/row.js';
import { buildTestJob, StreamHarness } from '../streaming/harness.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let harness: StreamHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const schema = { timestamp: 'timestamp', id: 'string', bytes: 'long' };
const inputs: Array<[string | null, number]> = [
  ['{"timestamp":"2024-05-01T12:00:00Z","id":"a","bytes":5}', 1],
  ['{"timestamp":"not a time","id":"b","bytes":6}', 2],
  ['{"timestamp":"2024-05-01T12:00:00Z","id":"c","bytes":"x"}', 3],
  ['not json', 4],
  [null, 5],
  ['[1,2]', 6],
  ['{"id":7}', 7],
];
const noon = new Date('2024-05-01T12:00:00Z');
const start = (fromJson: Record<string, unknown>) =>
  new StreamHarness({
    schema: { value: 'string', offset: 'long' },
    toRow: ([value, offset]: [string | null, number]) => ({ value, offset }),
    operators: [{ fromJson: { schema, keep: ['offset'], ...fromJson } }],
  }).start();

describe('fromJson (Spark from_json)', () => {
  it('PERMISSIVE: bad fields null, the good ones kept (partial result); not JSON or not an object: all null', async () => {
    harness = start({});
    await harness.addData(...inputs);
    assert.deepEqual(
      harness.lastBatch((r) => r),
      [
        { timestamp: noon, id: 'a', bytes: 5, offset: 1 },
        { timestamp: null, id: 'b', bytes: 6, offset: 2 },
        { timestamp: noon, id: 'c', bytes: null, offset: 3 },
        { timestamp: null, id: null, bytes: null, offset: 4 },
        { timestamp: null, id: null, bytes: null, offset: 5 },
        { timestamp: null, id: null, bytes: null, offset: 6 },
        { timestamp: null, id: '7', bytes: null, offset: 7 },
      ],
    );
  });

  it('columnNameOfCorruptRecord: the raw text of each malformed record, last; null for good ones and for a null input', async () => {
    harness = start({ columnNameOfCorruptRecord: '_corrupt_record' });
    await harness.addData(...inputs);
    assert.deepEqual(
      harness.lastBatch((r: Row) => [r.offset, r._corrupt_record]),
      [
        [1, null],
        [2, inputs[1][0]],
        [3, inputs[2][0]],
        [4, 'not json'],
        [5, null],
        [6, '[1,2]'],
        [7, null],
      ],
    );
    assert.deepEqual(
      harness.built.plan.at(-2)!.schema.map((c) => c.name),
      ['timestamp', 'id', 'bytes', 'offset', '_corrupt_record'],
    );
  });

  it('FAILFAST: the first malformed record stops the query, naming the batch, the row and the column', async () => {
    harness = start({ mode: 'FAILFAST' });
    await assert.rejects(
      harness.addData(...inputs),
      /fromJson: batch 0, row 1: column 'value' holds a malformed record \(field 'timestamp'/,
    );
  });

  it('refuses DROPMALFORMED (as Spark), a kept column that is also a field, a missing or non-string column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamlab-fromjson-'));
    try {
      assert.throws(
        () =>
          buildTestJob(dir, {
            schema: { value: 'string', id: 'string', n: 'long' },
            operators: [{ fromJson: { column: 'n', schema, keep: ['id', 'nope'], mode: 'DROPMALFORMED' } }],
          }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          const messages = error.problems.map((p) => `${p.path}: ${p.message}`);
          assert.deepEqual(messages.length, 4, messages.join('\n'));
          assert.match(messages[0], /operators\[0\]\.fromJson\.column: 'n' is long/);
          assert.match(messages[1], /keep\[0\]: 'id' is also a field/);
          assert.match(messages[2], /keep\[1\]: no column 'nope'/);
          assert.match(messages[3], /mode: Spark's from_json does not take DROPMALFORMED/);
          return true;
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
