/** The mysql sink's SQL text, without a server: literals, statement splitting, DDL, identifiers, what is retried. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ColumnBinding } from '../../src/connectors/mysql/columns.js';
import { createTableSql } from '../../src/sinks/mysql/ddl.js';
import { isRetriableMySqlError } from '../../src/connectors/mysql/errors.js';
import { qualifiedName, quoteIdentifier } from '../../src/connectors/mysql/identifiers.js';
import { insertShape, insertStatements, UnfitRowError } from '../../src/connectors/mysql/statements.js';
import { dateLiteral, literalFormatter } from '../../src/connectors/mysql/values.js';

const columns: ColumnBinding[] = [
  { table: 'id', source: 'k', type: 'long' },
  { table: 'at', source: 't', type: 'timestamp' },
  { table: 'note', source: 'n', type: 'string' },
];

describe('mysql sink: SQL text', () => {
  it('literals: numbers as they are, strings and JSON escaped by the driver, Dates as UTC DATETIME, booleans, NULL', () => {
    const f = (type: Parameters<typeof literalFormatter>[0]) => literalFormatter(type, 'c');
    assert.deepEqual(
      [
        f('long')(12),
        f('long')(12345678901234567890n),
        f('double')(-0.5e-10),
        f('double')(null),
        f('boolean')(true),
        f('string')("it's \\ \n"),
        f('struct')({ a: [1, 'x'] }),
        f('any')('text'),
      ],
      ['12', '12345678901234567890', '-5e-11', 'NULL', 'TRUE', "'it\\'s \\\\ \\n'", '\'{\\"a\\":[1,\\"x\\"]}\'', "'text'"],
    );
    assert.equal(f('timestamp')(new Date('2026-11-23T09:41:07.005Z')), "'2026-11-23 09:41:07.005'");
    assert.equal(f('timestamp')(0), "'1970-01-01 00:00:00.000'", 'epoch ms in a timestamp column');
    assert.equal(dateLiteral(new Date(Date.UTC(999, 0, 1)), 'c'), "'0999-01-01 00:00:00.000'");
    assert.throws(() => f('timestamp')(new Date(Number.NaN)), /an invalid Date/);
    assert.throws(() => f('double')(Number.POSITIVE_INFINITY), /Infinity has no SQL value/);
  });

  it('a batch becomes multi-row INSERTs of at most maxRows rows and about maxChars characters, covering every row once', () => {
    const rows = Array.from({ length: 10 }, (_, k) => ({ k, t: new Date(k * 1000), n: `row ${k}` }));
    const shape = insertShape('db', 'tbl', columns, 'append');
    const byRows = [...insertStatements(rows, shape, 4, 1 << 20)];
    assert.deepEqual(
      byRows.map((s) => [s.firstRow, s.rowCount]),
      [
        [0, 4],
        [4, 4],
        [8, 2],
      ],
    );
    assert.equal(
      byRows[2].sql,
      "INSERT INTO `db`.`tbl` (`id`, `at`, `note`) VALUES (8, '1970-01-01 00:00:08.000', 'row 8'), (9, '1970-01-01 00:00:09.000', 'row 9')",
    );
    const byChars = [...insertStatements(rows, shape, 1000, 200)];
    assert.ok(byChars.length > 1 && byChars.every((s) => s.sql.length <= 200 || s.rowCount === 1), byChars.map((s) => s.sql.length).join());
    assert.equal(
      byChars.reduce((n, s) => n + s.rowCount, 0),
      10,
    );
  });

  it('upsert updates every written column from the new row', () => {
    assert.equal(
      insertShape('db', 't', columns, 'upsert').suffix,
      ' ON DUPLICATE KEY UPDATE `id` = VALUES(`id`), `at` = VALUES(`at`), `note` = VALUES(`note`)',
    );
  });

  it('an unfit value names its row of the batch and its column', () => {
    const rows = [{ k: 1 }, { k: 2 }, { k: Number.NaN }];
    assert.throws(
      () => [...insertStatements(rows, insertShape('db', 't', columns, 'append'), 1, 1 << 20)],
      (e: Error) => e instanceof UnfitRowError && e.message === 'row 2, column id: NaN has no SQL value (MySQL stores no NaN or infinity)',
    );
  });

  it('DDL from the input types, with the primary key NOT NULL', () => {
    assert.equal(
      createTableSql(
        'db',
        't',
        [
          ...columns,
          { table: 'tags', source: 'tags', type: 'array' },
          { table: 'ok', source: 'ok', type: 'boolean' },
          { table: 'v', source: 'v', type: 'double' },
        ],
        ['note', 'id'],
      ),
      'CREATE TABLE IF NOT EXISTS `db`.`t` (\n  `id` BIGINT NOT NULL,\n  `at` DATETIME(3),\n  `note` VARCHAR(255) NOT NULL,\n  `tags` JSON,\n  `ok` BOOLEAN,\n  `v` DOUBLE,\n  PRIMARY KEY (`note`, `id`)\n)',
    );
  });

  it('identifiers are quoted only after the check; anything else is a programming error', () => {
    assert.equal(qualifiedName('d', 'sensor_data'), '`d`.`sensor_data`');
    for (const bad of ['a`b', 'a b', 'a;b', '', 'é']) assert.throws(() => quoteIdentifier(bad), /not a checked SQL identifier/);
  });

  it('retried: lost or refused connections, deadlocks, lock timeouts, a full or stopping server; not: everything else', () => {
    const retried = [
      { code: 'PROTOCOL_CONNECTION_LOST' },
      { code: 'ECONNREFUSED' },
      { code: 'ER_LOCK_DEADLOCK', errno: 1213 },
      { errno: 1205 },
      { code: 'ER_CON_COUNT_ERROR' },
      { errno: 1927 },
    ];
    const not = [
      { code: 'ER_ACCESS_DENIED_ERROR', errno: 1045, fatal: true },
      { code: 'ER_NO_SUCH_TABLE' },
      { code: 'ER_DATA_TOO_LONG' },
      { code: 'ER_DUP_ENTRY' },
      new Error('plain'),
    ];
    assert.deepEqual(
      retried.map(isRetriableMySqlError),
      retried.map(() => true),
    );
    assert.deepEqual(
      not.map(isRetriableMySqlError),
      not.map(() => false),
    );
  });
});
