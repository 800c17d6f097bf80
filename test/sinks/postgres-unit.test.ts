/** The postgres sink's pieces without a server: COPY text, unfit values, the SQL per output mode, the key dedup, build-time checks. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTableName } from '../../src/connectors/postgres/identifiers.js';
import { isRetriablePostgresError } from '../../src/connectors/postgres/errors.js';
import { RuntimeError } from '../../src/core/errors.js';
import type { Schema } from '../../src/core/schema.js';
import { copyTextChunks, unfitRows } from '../../src/sinks/postgres/copy-text.js';
import { postgresSink } from '../../src/sinks/postgres/index.js';
import { lastPerKey, statements } from '../../src/sinks/postgres/statements.js';

const build = (
  options: Record<string, unknown>,
  input: Schema,
  extra: { outputMode?: 'append' | 'update' | 'complete'; groupingKeys?: string[] } = {},
) =>
  postgresSink.create(postgresSink.options.parse({ database: 'streamlab', ...options }), {
    input,
    ...extra,
    location: { file: 'jobs/x.yaml', path: 'sink' },
    queryName: 'x',
    compile: () => assert.fail(),
  });

describe('postgres sink, without a server', () => {
  it('writes COPY text: \\N for null, escapes for backslash, tab, newline and CR, ISO UTC times, JSON for nested values', () => {
    const columns = { names: ['s', 'n', 'b', 't', 'j'], types: ['string', 'double', 'boolean', 'timestamp', 'struct'] as const };
    const text = [
      ...copyTextChunks(
        [
          { s: 'a\\b\tc\nd\re', n: 1.5, b: true, t: new Date(Date.UTC(2026, 10, 30, 13, 0, 0, 5)), j: { k: 'x\ty\\' } },
          { s: null, n: Number.NaN, b: false, t: 0 as never, j: null },
        ],
        { names: columns.names, types: [...columns.types] },
      ),
    ].join('');
    assert.equal(
      text,
      'a\\\\b\\tc\\nd\\re\t1.5\tt\t2026-11-30T13:00:00.005Z\t{"k":"x\\\\ty\\\\\\\\"}\n\\N\tNaN\tf\t1970-01-01T00:00:00.000Z\t\\N\n',
    );
  });

  it('finds the values PostgreSQL cannot hold, naming the column: NUL in text or JSON, invalid Dates, years past 9999', () => {
    const columns = { names: ['s', 't', 'j'], types: ['string', 'timestamp', 'array'] as const };
    const unfit = unfitRows(
      [
        { s: 'fine', t: new Date(0), j: ['ok'] },
        { s: 'x\0y', t: new Date(0), j: [] },
        { s: 'ok', t: new Date(Number.NaN), j: [] },
        { s: 'ok', t: new Date(Date.UTC(10000, 0, 1)), j: [] },
        { s: 'ok', t: new Date(0), j: ['\0'] },
      ],
      { names: columns.names, types: [...columns.types] },
    );
    assert.deepEqual(
      [...unfit.entries()].map(([row, u]) => `${row} ${u.column}: ${u.reason}`),
      [
        '1 s: a NUL character (\\0): PostgreSQL text cannot hold it',
        '2 t: an invalid Date',
        '3 t: year 10000 is outside the years the sink writes (1 to 9999)',
        '4 j: a NUL character (\\u0000): jsonb cannot hold it',
      ],
    );
  });

  it('builds the SQL of each output mode, quoting every name', () => {
    const table = parseTableName('lambda.bytes');
    assert.deepEqual(statements(table, ['a', 'b'], undefined, "hour = '13'"), {
      copy: 'COPY "lambda"."bytes" ("a", "b") FROM STDIN',
      delete: `DELETE FROM "lambda"."bytes" WHERE (hour = '13')`,
    });
    const upsert = statements(table, ['k', 'v'], ['k']);
    assert.equal(upsert.copy, 'COPY "streamlab_stage" ("k", "v") FROM STDIN');
    assert.equal(
      upsert.upsert,
      'INSERT INTO "lambda"."bytes" ("k", "v") SELECT "k", "v" FROM "streamlab_stage" ON CONFLICT ("k") DO UPDATE SET "v" = EXCLUDED."v"',
    );
    assert.match(statements(table, ['k'], ['k']).upsert!, /ON CONFLICT \("k"\) DO NOTHING$/);
    assert.deepEqual(parseTableName('bytes'), { schema: 'public', name: 'bytes' });
  });

  it('update mode keeps the last row of a key seen twice in a batch', () => {
    const t = new Date(5);
    const rows = [
      { k: 1, w: t, v: 'a' },
      { k: 2, w: t, v: 'b' },
      { k: 1, w: new Date(5), v: 'c' },
      { k: 1, w: new Date(6), v: 'd' },
    ];
    assert.deepEqual(lastPerKey(rows, ['k', 'w']), [rows[1], rows[2], rows[3]]);
  });

  it('update mode takes the groupBy keys, and says what to do when the sink input lost one or there is none', () => {
    const input: Schema = [
      { name: 'antenna', type: 'long' },
      { name: 'total', type: 'long' },
    ];
    assert.ok(build({ table: 't' }, input, { outputMode: 'update', groupingKeys: ['antenna'] }));
    assert.throws(
      () => build({ table: 't' }, input, { outputMode: 'update', groupingKeys: ['window', 'antenna'] }),
      /jobs\/x\.yaml sink\.key: update output mode upserts by the groupBy's keys \(window, antenna\), but the sink's input has no window: name the key columns the input has/,
    );
    assert.throws(
      () => build({ table: 't' }, input, { outputMode: 'update' }),
      /sink\.key: update output mode writes rows by their key, and the job has no groupBy/,
    );
    assert.ok(build({ table: 't', key: ['antenna'] }, input, { outputMode: 'update' }));
    assert.throws(() => build({ table: 't', setupSql: 'no/such.sql' }, input), /sink\.setupSql: cannot read .*no\/such\.sql: no such file/);
  });

  it('retries what a new connection or attempt can cure, and nothing else', () => {
    for (const error of [
      { code: 'ECONNREFUSED' },
      { code: '57P01' },
      { code: '08006' },
      { code: '40P01' },
      new Error('Connection terminated unexpectedly'),
    ])
      assert.equal(isRetriablePostgresError(error), true, JSON.stringify(error));
    for (const error of [{ code: '28P01' }, { code: '23505' }, { code: '42P01' }, new RuntimeError('x'), new Error('boom')])
      assert.equal(isRetriablePostgresError(error), false, JSON.stringify(error));
  });
});

describe('postgres sink, longs', () => {
  it('a long that is not a whole number or does not fit bigint is unfit, named with its column', () => {
    const unfit = unfitRows([{ n: 1 }, { n: 1.5 }, { n: Number.NaN }, { n: 2n ** 63n }, { n: -(2n ** 63n) }, { n: 'x' }], {
      names: ['n'],
      types: ['long'],
    });
    assert.deepEqual(
      [...unfit.entries()].map(([row, u]) => `${row} ${u.column}: ${u.reason}`),
      [
        '1 n: 1.5 is not a whole number (the column is a long)',
        '2 n: NaN is not a whole number (the column is a long)',
        "3 n: 9223372036854775808 is outside bigint's range",
        '5 n: a string value in a long column',
      ],
    );
  });
});
