import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import { asyncScheduler } from 'rxjs';
import type { BadRecord } from '../../src/core/bad-records.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import { FileSink } from '../../src/sinks/file/index.js';
import { FileSource } from '../../src/sources/file/index.js';

const schema: Schema = [
  { name: 'id', type: 'long' },
  { name: 'name', type: 'string' },
  { name: 'score', type: 'double' },
];

async function write(format: 'jsonl' | 'csv', rows: Row[], sinkSchema = schema): Promise<{ dir: string; text: string; bad: BadRecord[] }> {
  const dir = makeTempDir('streamlab-filesink-');
  const bad: BadRecord[] = [];
  const sink = new FileSink(dir, format, true, sinkSchema);
  await sink.open({
    queryId: 'q',
    queryName: 'q',
    outputMode: 'append',
    logger: silentLogger,
    badRecords: { policy: 'skip', report: (r) => bad.push(r) },
  });
  await sink.foreachBatch(rows, 3);
  return { dir, text: readFileSync(join(dir, `part-00000003.${format}`), 'utf8'), bad };
}

describe('file sink: values JSON cannot hold, and empty strings', () => {
  it('JSON Lines: a row with NaN or an infinity (also nested) is a bad record, not a row with a null', async () => {
    const rows: Row[] = [
      { id: 1, name: '', score: 1.5, extra: { list: [1, 2] } },
      { id: 2, name: 'n', score: NaN, extra: null },
      { id: 3, name: 'i', score: 2, extra: { list: [1, -Infinity] } },
      { id: 4, name: null, score: 0, extra: null },
    ];
    const { text, bad } = await write('jsonl', rows);
    assert.equal(text, '{"id":1,"name":"","score":1.5,"extra":{"list":[1,2]}}\n{"id":4,"name":null,"score":0,"extra":null}\n');
    assert.deepEqual(bad, [
      {
        raw: rows[1],
        reason: `column 'score': NaN has no JSON value (JSON Lines would turn it into null)`,
        where: 'file sink: batch 3, row 2',
        position: { row: 1 },
      },
      {
        raw: rows[2],
        reason: `column 'extra': -Infinity has no JSON value (JSON Lines would turn it into null)`,
        where: 'file sink: batch 3, row 3',
        position: { row: 2 },
      },
    ]);
  });

  it('CSV: empty strings, nulls, NaN and infinities are written so that the file source reads back the same rows', async () => {
    const rows: Row[] = [
      { id: 1, name: '', score: NaN },
      { id: 2, name: null, score: Infinity },
      { id: 3, name: '""', score: -Infinity },
      { id: 4, name: 'a,b', score: null },
    ];
    const { dir, text, bad } = await write('csv', rows);
    assert.equal(text, 'id,name,score\n1,"",NaN\n2,,Infinity\n3,"""""",-Infinity\n4,"a,b",\n');
    assert.deepEqual(bad, []);
    const source = new FileSource(dir, 'csv', schema, true, undefined);
    await source.open({ scheduler: asyncScheduler, logger: silentLogger });
    assert.deepEqual(await source.getBatch(null, 'part-00000003.csv'), rows);
  });
});
