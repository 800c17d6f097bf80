/**
 * The file source's columns (getColumns) hold exactly its rows (getBatch): every format, every parse mode and
 * bad-record policy, with nulls, NaN, -0, unicode, quoted CSV and malformed records. Compared with deepStrictEqual
 * (Object.is per value, Dates by time, key order through JSON), plus malformedRows and the bad records reported.
 * The columns are typed where they can be (numbers, timestamps, booleans, dictionary strings).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { asyncScheduler, map } from 'rxjs';
import { codeContext } from '../../src/api/build.js';
import { type DataStream, readStream } from '../../src/api/stream.js';
import { columnsOf } from '../../src/core/columnar/micro-batch.js';
import { type BadRecord, failOnBadRecord } from '../../src/core/bad-records.js';
import type { ColumnBatch } from '../../src/core/columnar/column-batch.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';
import type { Column } from '../../src/core/schema.js';
import type { Source } from '../../src/core/source.js';
import { FileSource, fileSource } from '../../src/sources/file/index.js';
import { makeTempDir } from '../support/temp-dir.js';

const SCHEMA = { t: 'timestamp', k: 'string', v: 'long', d: 'double', b: 'boolean', tags: 'array', meta: 'struct', x: 'any' };

const JSON_LINES = [
  '{"t":"2026-01-01T00:00:05Z","k":"a","v":1,"d":1.5,"b":true,"tags":["x"],"meta":{"m":1},"x":7}',
  '{"t":1767225606000,"k":"日本語 é","v":-0,"d":"NaN","b":"FALSE","tags":[],"meta":{},"x":"s"}',
  '{"k":"a","v":null,"d":-0.0,"b":null}',
  '{"t":"not a time","k":"b","v":2}',
  'not json',
  '',
  '{"t":"2026-01-01T00:00:06Z","k":"a","v":"x","d":"Infinity"}',
  '[1,2]',
  '{"t":"2026-01-01T00:00:07Z","k":"","v":3,"d":2,"b":false,"tags":null,"meta":null,"x":null}\r',
  '"just a string"',
];

const CSV_HEADER = [
  'k,v,t,d,b,extra',
  'a,1,2026-01-01T00:00:05Z,1.5,true,z',
  '"q,uoted ""é""",2,,NaN,false,z',
  ',3,2026-01-01T00:00:06Z,-0,TRUE,z',
  'a,bad,2026-01-01T00:00:07Z,2,true,z',
  'a,4,2026-01-01T00:00:08Z',
  '"never closed,5,,,,',
  'b,6,2026-01-01T00:00:09Z,1e3,false,z,surplus',
  '"multi\nline",7,2026-01-01T00:00:10Z,3,true,z',
];
const CSV_SCHEMA = { k: 'string', v: 'long', t: 'timestamp', d: 'double', b: 'boolean' };
const CSV_PLAIN = ['a,1,1', 'b,,2', 'a,3', '"日本",4,5,6', 'a,x,7'];
const CSV_PLAIN_SCHEMA = { k: 'string', v: 'long', w: 'long' };

interface Read {
  rows: Row[];
  reported: string[];
  metrics: Record<string, number> | undefined;
  columns?: ColumnBatch;
}

/** Reads the file once through getBatch and once through getColumns (fresh sources), or the error each gave. */
async function both(file: string, text: string, options: Record<string, unknown>, policy: 'fail' | 'skip' = 'skip', make = fromOptions) {
  const dir = makeTempDir('streamlab-file-columns-');
  writeFileSync(join(dir, file), text);
  const read = async (columnar: boolean): Promise<Read | Error> => {
    const source = make(dir, options);
    const reported: string[] = [];
    await source.open({
      scheduler: asyncScheduler,
      logger: silentLogger,
      badRecords: {
        policy,
        report: (r: BadRecord) => {
          if (policy === 'fail') failOnBadRecord.report(r);
          reported.push(`${r.where} ${r.reason} ${JSON.stringify(r.raw)}`);
        },
      },
    });
    try {
      if (!columnar) return { rows: await source.getBatch(null, file), reported, metrics: source.metrics?.() };
      const columns = await source.getColumns!(null, file);
      return { rows: columns.rows(), reported, metrics: source.metrics?.(), columns };
    } catch (error) {
      return error as Error;
    }
  };
  return { rows: await read(false), columns: await read(true) };
}

const fromOptions = (dir: string, options: Record<string, unknown>): Source =>
  fileSource.create(fileSource.options.parse({ path: dir, ...options }), codeContext('test'));

function assertSame(result: { rows: Read | Error; columns: Read | Error }): Read {
  const { rows, columns } = result;
  if (rows instanceof Error || columns instanceof Error) {
    assert.ok(rows instanceof Error && columns instanceof Error, `one path failed, the other did not: ${rows} / ${columns}`);
    assert.equal(columns.message, rows.message);
    return { rows: [], reported: [], metrics: undefined };
  }
  assert.ok(rows.rows.length > 0, 'the file gave rows');
  assert.deepStrictEqual(columns.rows, rows.rows);
  assert.equal(JSON.stringify(columns.rows), JSON.stringify(rows.rows));
  assert.deepStrictEqual(columns.reported, rows.reported);
  assert.deepStrictEqual(columns.metrics, rows.metrics);
  return columns;
}

const CASES: Array<[string, string, string, Record<string, unknown>]> = [
  ['JSON lines', 'a.json', `${JSON_LINES.join('\n')}\n`, { schema: SCHEMA }],
  ['a JSON array', 'a.json', JSON.stringify(JSON_LINES.slice(0, 4).map((l) => JSON.parse(l))), { schema: SCHEMA }],
  [
    'CSV with a header (quotes, short, long and multi-line records)',
    'a.csv',
    CSV_HEADER.join('\r\n'),
    { schema: CSV_SCHEMA, format: 'csv', header: true },
  ],
  ['CSV by position', 'a.csv', `${CSV_PLAIN.join('\n')}\n`, { schema: CSV_PLAIN_SCHEMA, format: 'csv' }],
  [
    'CSV whose header names a column twice',
    'a.csv',
    'k,v,k\na,1,b\nc,2\n',
    { schema: { k: 'string', v: 'long' }, format: 'csv', header: true },
  ],
];
const MODES: Array<[string, Record<string, unknown>, 'fail' | 'skip']> = [
  ['PERMISSIVE', {}, 'skip'],
  ['PERMISSIVE with _corrupt_record', { columnNameOfCorruptRecord: '_corrupt_record' }, 'skip'],
  ['DROPMALFORMED', { mode: 'DROPMALFORMED' }, 'skip'],
  ['FAILFAST', { mode: 'FAILFAST' }, 'skip'],
];

describe('file source: columns equal rows', () => {
  for (const [name, file, text, options] of CASES) {
    for (const [mode, modeOptions, policy] of MODES) {
      it(`${name}, ${mode}`, async () => {
        assertSame(await both(file, text, { ...options, ...modeOptions }, policy));
      });
    }
  }

  it('a header that lacks a schema column: the same bad record, no rows either way', async () => {
    const { rows, columns } = await both('a.csv', 'k,w\na,1\n', { schema: { k: 'string', v: 'long' }, format: 'csv', header: true });
    assert.ok(!(rows instanceof Error) && !(columns instanceof Error));
    assert.deepEqual(columns.rows, []);
    assert.deepStrictEqual(columns.reported, rows.reported);
    assert.match(rows.reported[0], /lacks column\(s\) v/);
  });

  for (const policy of ['fail', 'skip'] as const) {
    it(`without a parse mode (the API's file source), onBadRecord ${policy}: the same rows or the same error`, async () => {
      const schema = Object.entries(SCHEMA).map(([name, type]) => ({ name, type }) as Column);
      const apiSource = (dir: string) => new FileSource(dir, 'json', schema, false, undefined);
      const result = await both('a.json', `${JSON_LINES.join('\n')}\n`, {}, policy, apiSource);
      if (policy === 'fail') assert.match(String(result.rows), /a\.json:4: column 't'/);
      assertSame(result);
    });
  }

  it('columns are typed: numbers, timestamps, booleans, dictionary strings, plain arrays for the rest', async () => {
    const columns = assertSame(await both('a.json', `${JSON_LINES.join('\n')}\n`, { schema: SCHEMA })).columns!;
    assert.deepEqual(
      columns.vectors.map((v) => v.kind),
      ['timestamp', 'dictionary', 'number', 'number', 'boolean', 'values', 'values', 'values'],
    );
    const k = columns.vector('k');
    assert.ok(k?.kind === 'dictionary');
    assert.deepEqual(k.dictionary, ['a', '日本語 é', 'b', '']);
  });

  it('a string column of mostly distinct values is a plain array (the dictionary gives up), with the same rows', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ id: `id-${i}`, k: i % 3 === 0 ? null : `label-${i % 7}` }));
    const columns = assertSame(await both('a.json', lines.join('\n'), { schema: { id: 'string', k: 'string' } })).columns!;
    assert.equal(columns.vector('id')?.kind, 'values');
    const k = columns.vector('k');
    assert.ok(k?.kind === 'dictionary');
    assert.equal(k.dictionary.length, 7);
  });

  it('through the engine: string filters and columns over the file source give the rows of the row path, kept columnar', async () => {
    const dir = makeTempDir('streamlab-file-columns-engine-');
    const lines = Array.from({ length: 400 }, (_, i) =>
      JSON.stringify({ t: 1_767_225_600_000 + i, k: i % 9 === 0 ? null : ['a', 'b', 'é', '日本'][i % 4], v: i % 11 === 0 ? null : i }),
    );
    writeFileSync(join(dir, '0001.json'), lines.slice(0, 200).join('\n'));
    writeFileSync(join(dir, '0002.json'), lines.slice(200).join('\n'));
    const build = (s: DataStream) =>
      s
        .filter("k in ('a', '日本') or k is null")
        .withColumn('n', 'length(k) + v * 2')
        .filter("not (k = 'a' and v > 300)")
        .withColumn('u', 'upper(k)');
    const options = { path: dir, schema: { t: 'timestamp', k: 'string', v: 'long' }, maxFilesPerBatch: 1 };
    const columns = await runPipeline(fromOptions(dir, options), build);
    const rows = await runPipeline(rowsOnly(fromOptions(dir, options)), build);
    assert.deepEqual(columns.columnar, [true, true]);
    assert.deepEqual(rows.columnar, [false, false]);
    assert.ok(columns.json.includes('"u":"日本"'));
    assert.equal(columns.json, rows.json);
  });
});

/** The same source without getColumns: the engine then runs the row path. */
function rowsOnly(source: Source): Source {
  return Object.assign(Object.create(source) as Source, { getColumns: undefined });
}

/** Runs `build` over the source's batches (2 here); the sink's rows as JSON, and whether each batch came as columns. */
async function runPipeline(source: Source, build: (s: DataStream) => DataStream): Promise<{ json: string; columnar: boolean[] }> {
  const batches: Row[][] = [];
  const columnar: boolean[] = [];
  await build(readStream(source))
    .pipe(
      map((batch) => {
        columnar.push(columnsOf(batch) !== undefined);
        return batch;
      }),
    )
    .writeStream({ checkpointLocation: join(makeTempDir('streamlab-file-columns-cp-'), 'cp'), trigger: { availableNow: true } })
    .foreachBatch((rows) => {
      batches.push(rows);
    })
    .awaitTermination();
  return { json: JSON.stringify(batches), columnar };
}
