import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Row, Value } from '../../src/core/row.js';
import type { ColumnType } from '../../src/core/schema.js';
import { wideSource } from '../../src/sources/wide/index.js';
import { WIDE_SCHEMA, wideRows } from '../../src/sources/wide/rows.js';
import { generatorJob } from '../support/generator-job.js';

const START = Date.parse('2024-01-01T00:00:00Z');

const isOfType: Record<string, (v: Value) => boolean> = {
  long: (v) => Number.isSafeInteger(v),
  double: (v) => typeof v === 'number' && Number.isFinite(v),
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  timestamp: (v) => v instanceof Date && !Number.isNaN(v.getTime()),
};

describe('wide source', () => {
  it('has 50 columns: id, timestamp, device, then long, double, string, boolean and timestamp columns', () => {
    assert.equal(WIDE_SCHEMA.length, 50);
    const count = (type: ColumnType) => WIDE_SCHEMA.filter((c) => c.type === type).length;
    assert.deepEqual(
      ['long', 'double', 'string', 'boolean', 'timestamp'].map((t) => count(t as ColumnType)),
      [13, 12, 12, 6, 7],
    );
    assert.deepEqual(
      WIDE_SCHEMA.slice(0, 4).map((c) => c.name),
      ['id', 'timestamp', 'device', 'long_00'],
    );
    assert.equal(new Set(WIDE_SCHEMA.map((c) => c.name)).size, 50, 'names are unique');
  });

  it('every value has its column type, none is null; id is the offset; device and time follow the tsbs layout', () => {
    const rows = wideRows({ scale: 10, intervalMs: 1000, startMs: START })(0, 2000);
    rows.forEach((row, i) => {
      assert.deepEqual(
        Object.keys(row),
        WIDE_SCHEMA.map((c) => c.name),
        'columns in schema order',
      );
      for (const { name, type } of WIDE_SCHEMA) assert.ok(isOfType[type](row[name]), `row ${i} ${name}: ${String(row[name])}`);
      assert.equal(row.id, i);
      assert.equal(row.device, `device_${i % 10}`);
      assert.equal((row.timestamp as Date).getTime(), START + Math.floor(i / 10) * 1000);
    });
  });

  it('long_00, the checksum column, is a whole number in 1..1,000,000: 10M rows sum exactly in a double', () => {
    const rows = wideRows({ scale: 100, intervalMs: 1000, startMs: START })(0, 20_000);
    const values = rows.map((r) => r.long_00 as number);
    assert.ok(values.every((v) => Number.isInteger(v) && v >= 1 && v <= 1_000_000));
    assert.ok(new Set(values).size > 19_000, 'values differ from row to row');
    assert.ok(1_000_000 * 10_000_000 < Number.MAX_SAFE_INTEGER);
  });

  it('columns vary: string columns of few and of many distinct values, booleans of both values', () => {
    const rows = wideRows({ scale: 100, intervalMs: 1000, startMs: START })(0, 5000);
    const distinct = (name: string) => new Set(rows.map((r) => r[name])).size;
    assert.equal(distinct('string_00'), 4);
    assert.equal(distinct('string_01'), 64);
    assert.ok(distinct('string_02') > 2000, `string_02: ${distinct('string_02')}`);
    assert.equal(distinct('bool_00'), 2);
  });

  it('two instances give the same rows; split ranges give the rows of one range', () => {
    const config = { scale: 7, intervalMs: 1000, startMs: START };
    const whole = wideRows(config)(0, 1000);
    assert.deepEqual(wideRows(config)(0, 1000), whole);
    const other = wideRows(config);
    const split: Row[] = [...other(0, 3), ...other(3, 500), ...other(500, 1000)];
    assert.deepEqual(split, whole);
  });

  it('in a job: availableNow ends after `rows`, batches of maxRowsPerBatch, the generator rows', async () => {
    const job = generatorJob({ type: 'wide', rows: 1200, scale: 10 }, 500);
    try {
      assert.equal(await job.run(), undefined);
      assert.deepEqual(
        job.sink.batches.map((b) => b.rows.length),
        [500, 500, 200],
      );
      assert.deepEqual(
        job.sink.batches.flatMap((b) => b.rows),
        wideRows({ scale: 10, intervalMs: 1000, startMs: START })(0, 1200),
      );
    } finally {
      rmSync(job.dir, { recursive: true, force: true });
    }
  });

  it('start, interval and scale are its checkpoint identity', () => {
    assert.deepEqual(wideSource.offsetIdentity!(wideSource.options.parse({ rows: 5 })), { scale: 100, interval: 1000, start: START });
  });
});
