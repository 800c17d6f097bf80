/**
 * The file source's `mode` and `columnNameOfCorruptRecord` (Spark's FailureSafeParser). Expected rows are what
 * PySpark 4.3.0's readStream.json / .csv gave for the same lines (schema t timestamp, k string, v long).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { asyncScheduler } from 'rxjs';
import { codeContext } from '../../src/api/build.js';
import type { BadRecord } from '../../src/core/bad-records.js';
import { ConfigError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';
import { fileSource } from '../../src/sources/file/index.js';
import { makeTempDir } from '../support/temp-dir.js';

const json = [
  '{"t":"1970-01-01T00:00:05Z","k":"a","v":1}',
  '{"t":"not a time","k":"b","v":2}',
  'not json',
  '{"t":"1970-01-01T00:00:06Z","k":"c","v":"x"}',
  '[1,2]',
];
const csv = ['1970-01-01T00:00:05Z,a,1', 'bad,b,2', '1970-01-01T00:00:06Z,c', '1970-01-01T00:00:07Z,d,4,extra'];
const t = (s: number) => new Date(s * 1000);

async function read(name: string, lines: string[], options: Record<string, unknown>, policy: 'fail' | 'skip' = 'fail') {
  const dir = makeTempDir('streamlab-parse-mode-');
  writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  const parsed = fileSource.options.parse({ path: dir, schema: { t: 'timestamp', k: 'string', v: 'long' }, ...options });
  const source = fileSource.create(parsed, codeContext('test'));
  const reported: BadRecord[] = [];
  await source.open({ scheduler: asyncScheduler, logger: silentLogger, badRecords: { policy, report: (r) => reported.push(r) } });
  const rows: Row[] = await source.getBatch(null, name);
  return { rows, reported, schema: source.schema.map((c) => c.name), metrics: source.metrics?.() };
}

describe('file source: parse mode (Spark)', () => {
  it('progress metrics.malformedRows: the records of the batch its mode nulled (PERMISSIVE) or dropped (DROPMALFORMED)', async () => {
    assert.deepEqual((await read('a.json', json, {})).metrics, { malformedRows: 4 });
    assert.deepEqual((await read('a.json', json, { mode: 'DROPMALFORMED' })).metrics, { malformedRows: 4 });
    assert.deepEqual((await read('a.csv', csv, { format: 'csv' })).metrics, { malformedRows: 3 });
    assert.deepEqual((await read('b.json', [json[0]], {})).metrics, { malformedRows: 0 });
  });

  it('PERMISSIVE is the default: bad fields null, the rest kept; a line that is not a JSON object is all nulls', async () => {
    const { rows } = await read('a.json', json, {});
    assert.deepEqual(rows, [
      { t: t(5), k: 'a', v: 1 },
      { t: null, k: 'b', v: 2 },
      { t: null, k: null, v: null },
      { t: t(6), k: 'c', v: null },
      { t: null, k: null, v: null },
    ]);
  });

  it('columnNameOfCorruptRecord: the raw line of each malformed record, null for good ones (JSON and CSV)', async () => {
    const { rows, schema } = await read('a.json', json, { columnNameOfCorruptRecord: '_corrupt_record' });
    assert.deepEqual(schema, ['t', 'k', 'v', '_corrupt_record']);
    assert.deepEqual(
      rows.map((r) => r._corrupt_record),
      [null, json[1], 'not json', json[3], '[1,2]'],
    );
    const fromCsv = await read('a.csv', csv, { format: 'csv', columnNameOfCorruptRecord: '_corrupt_record' });
    assert.deepEqual(fromCsv.rows, [
      { t: t(5), k: 'a', v: 1, _corrupt_record: null },
      { t: null, k: 'b', v: 2, _corrupt_record: 'bad,b,2' },
      { t: t(6), k: 'c', v: null, _corrupt_record: csv[2] },
      { t: t(7), k: 'd', v: 4, _corrupt_record: csv[3] },
    ]);
  });

  it('DROPMALFORMED leaves malformed records out (and onBadRecord skip/deadLetter hears of them)', async () => {
    const { rows, reported } = await read('a.json', json, { mode: 'DROPMALFORMED' }, 'skip');
    assert.deepEqual(rows, [{ t: t(5), k: 'a', v: 1 }]);
    assert.deepEqual(
      reported.map((r) => r.where.split(':').at(-1)),
      ['2', '3', '4', '5'],
    );
  });

  it('FAILFAST stops at the first malformed record, naming file, line and column', async () => {
    await assert.rejects(
      read('a.json', json, { mode: 'FAILFAST' }),
      /a\.json:2: column 't': expected an ISO 8601 time .*Parse mode FAILFAST stops the query/,
    );
  });

  it('a corrupt-record column that is also a schema column is a config error', () => {
    const parsed = fileSource.options.parse({ path: 'x', schema: { k: 'string' }, columnNameOfCorruptRecord: 'k' });
    assert.throws(() => fileSource.create(parsed, codeContext('test')), ConfigError);
  });
});
