import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import { asyncScheduler } from 'rxjs';
import type { BadRecord, BadRecordHandler } from '../../src/core/bad-records.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import { FileSource } from '../../src/sources/file/index.js';

/** Reads one file with a handler that records what it is told and lets the source go on (onBadRecord: skip). */
async function read(
  name: string,
  text: string,
  schema: Schema,
  header = false,
): Promise<{ rows: Row[]; bad: Array<Omit<BadRecord, 'where'>>; file: string }> {
  const dir = makeTempDir('streamlab-bad-');
  const file = join(dir, name);
  writeFileSync(file, text);
  const bad: BadRecord[] = [];
  const badRecords: BadRecordHandler = { policy: 'skip', report: (r) => bad.push(r) };
  const source = new FileSource(dir, name.endsWith('.csv') ? 'csv' : 'json', schema, header, undefined);
  await source.open({ scheduler: asyncScheduler, logger: silentLogger, badRecords });
  const rows = await source.getBatch(null, name);
  for (const { where, position } of bad) {
    assert.equal(where, 'line' in position ? `${file}:${position.line}` : `${file}: element ${position.element}`);
  }
  return { rows, bad: bad.map(({ where: _, ...rest }) => rest), file };
}

const text: Schema = [
  { name: 'id', type: 'long' },
  { name: 's', type: 'string' },
];

describe('file source: bad records', () => {
  it('an empty string stays an empty string; only a missing value is null (JSON Lines)', async () => {
    const { rows, bad } = await read('e.json', '{"id":1,"s":""}\n{"id":2,"s":null}\n{"id":3}\n', text);
    assert.deepEqual(rows, [
      { id: 1, s: '' },
      { id: 2, s: null },
      { id: 3, s: null },
    ]);
    assert.deepEqual(bad, []);
  });

  it('CSV: a quoted empty field is the empty string, an unquoted one is null; "" is not a number', async () => {
    const { rows, bad, file } = await read('e.csv', '1,""\n2,\n"",x\n', text);
    assert.deepEqual(rows, [
      { id: 1, s: '' },
      { id: 2, s: null },
    ]);
    assert.deepEqual(bad, [{ raw: '"",x', reason: `column 'id': expected a whole number (long), found ""`, position: { file, line: 3 } }]);
  });

  it('NaN and the infinities are read as such in a double column, never as null', async () => {
    const schema: Schema = [{ name: 'x', type: 'double' }];
    const { rows, bad } = await read('n.csv', 'NaN\nInfinity\n-Infinity\n1.5e3\n', schema);
    assert.deepEqual(rows, [{ x: NaN }, { x: Infinity }, { x: -Infinity }, { x: 1500 }]);
    assert.deepEqual(bad, []);
    // JSON has no NaN: such a line is a bad record, not a row with a null.
    const json = await read('n.json', '{"x":NaN}\n{"x":2}\n', schema);
    assert.deepEqual(json.rows, [{ x: 2 }]);
    assert.equal(json.bad.length, 1);
    assert.deepEqual(json.bad[0].position, { file: json.file, line: 1 });
    assert.equal(json.bad[0].raw, '{"x":NaN}');
    assert.match(json.bad[0].reason, /^not valid JSON: /);
  });

  it('values that are not what the schema says are bad records, not guesses (0x10, 2024-02-30, 1.5 as long)', async () => {
    const schema: Schema = [
      { name: 'n', type: 'long' },
      { name: 'd', type: 'double' },
      { name: 't', type: 'timestamp' },
    ];
    const lines = [
      '{"n":1,"d":"0x10","t":"2024-02-29"}',
      '{"n":2,"d":1,"t":"2024-02-30"}',
      '{"n":"0x10","d":1,"t":"2024-01-01"}',
      '{"n":1.5,"d":1,"t":"2024-01-01"}',
      '{"n":3,"d":"2.5","t":"2024-02-29T23:59:59.5Z"}',
      '{"n":4,"d":1,"t":"March 7"}',
      '{"n":5,"d":1,"t":"2023-02-29T10:00:00Z"}',
      '{"n":6,"d":"","t":1700000000000}',
    ];
    const { rows, bad, file } = await read('v.json', `${lines.join('\n')}\n`, schema);
    assert.deepEqual(rows, [{ n: 3, d: 2.5, t: new Date('2024-02-29T23:59:59.500Z') }]);
    const at = (line: number) => ({ raw: lines[line - 1], position: { file, line } });
    assert.deepEqual(bad, [
      { ...at(1), reason: `column 'd': expected a decimal number (double), found "0x10"` },
      { ...at(2), reason: `column 't': expected an ISO 8601 time (a real date) or epoch milliseconds, found "2024-02-30"` },
      { ...at(3), reason: `column 'n': expected a whole number (long), found "0x10"` },
      { ...at(4), reason: `column 'n': expected a whole number (long), found 1.5` },
      { ...at(6), reason: `column 't': expected an ISO 8601 time (a real date) or epoch milliseconds, found "March 7"` },
      { ...at(7), reason: `column 't': expected an ISO 8601 time (a real date) or epoch milliseconds, found "2023-02-29T10:00:00Z"` },
      { ...at(8), reason: `column 'd': expected a decimal number (double), found ""` },
    ]);
  });

  it('an unbalanced quote is a bad record at its line; the lines after it are read', async () => {
    const { rows, bad, file } = await read('q.csv', 'id,s\n1,"open\n2,b\n3,"c"d\n4,"multi\nline"\n5,e,extra\n', text, true);
    assert.deepEqual(rows, [
      { id: 2, s: 'b' },
      { id: 4, s: 'multi\nline' },
    ]);
    assert.deepEqual(bad, [
      { raw: '1,"open', reason: 'field 2: a quote is never closed (unbalanced ")', position: { file, line: 2 } },
      { raw: '3,"c"d', reason: 'field 2: text after its closing quote', position: { file, line: 4 } },
      { raw: '5,e,extra', reason: '3 fields, expected 2 (id, s)', position: { file, line: 7 } },
    ]);
  });

  it('a JSON array file: bad elements are named by index', async () => {
    const { rows, bad, file } = await read('a.json', '[{"id":1,"s":"x"},{"id":"one"}]', text);
    assert.deepEqual(rows, [{ id: 1, s: 'x' }]);
    assert.deepEqual(bad, [
      { raw: '{"id":"one"}', reason: `column 'id': expected a whole number (long), found "one"`, position: { file, element: 1 } },
    ]);
  });
});
