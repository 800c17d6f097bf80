/**
 * The starrocks sink in the conformance suite, both modes, with tables the adapter creates in MariaDB without a key
 * (like a duplicate-key table: a row loaded twice would show twice):
 * - Stream Load against the protocol-faithful peer (test/support/starrocks-peer), which stores rows in MariaDB;
 * - insert mode (MySQL protocol) against MariaDB itself, with `withLabel: false` since MariaDB knows no labels: that
 *   is at-least-once, as the option's description says, so replay and crash are not promised there (the label path
 *   of insert mode is tested in test/sinks/starrocks.test.ts, with a stand-in for StarRocks at the connection).
 */
import type mysql from 'mysql2/promise';
import type { ColumnType, Schema } from '../../../src/core/schema.js';
import { starrocksSink } from '../../../src/sinks/starrocks/index.js';
import { service } from '../services.js';
import type { SinkAdapter } from '../sink-conformance.js';
import { startStarRocksPeer, type StarRocksPeer } from '../starrocks-peer/index.js';
import { buildContext } from './build-context.js';
import { connect, DATABASE, readTable, tableName } from './mariadb.js';

const SQL_TYPES: Record<ColumnType, string> = {
  long: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  string: 'VARCHAR(200)',
  timestamp: 'DATETIME(3)',
  array: 'JSON',
  struct: 'JSON',
  any: 'JSON',
};

const createTableSql = (table: string, schema: Schema) =>
  `CREATE TABLE \`${DATABASE}\`.\`${table}\` (${schema
    .map((c) => `\`${c.name}\` ${SQL_TYPES[c.type]}${c.name === 'id' || c.name === 'at' ? ' NOT NULL' : ''}`)
    .join(', ')})`;

export function starrocksAdapter(mode: 'stream-load' | 'insert'): SinkAdapter {
  const mariadb = service('mariadb');
  let admin: mysql.Connection;
  let peer: StarRocksPeer;
  const tables: string[] = [];
  const connection = (table: string) =>
    mode === 'stream-load'
      ? { feHost: peer.feHost, httpPort: peer.fePort, table }
      : { mode: 'insert', feHost: mariadb.host, mysqlPort: mariadb.port, httpPort: peer.fePort, withLabel: false, table };
  const atLeastOnce = 'insert mode with withLabel: false (MariaDB has no labels) is at-least-once by design';
  return {
    name: mode === 'stream-load' ? 'starrocks Stream Load against the peer' : 'starrocks insert mode against MariaDB',
    skip: mariadb.skip,
    columnTypes: ['string', 'long', 'double', 'boolean', 'timestamp', 'array', 'struct'],
    notPromised: mode === 'insert' ? { replayedBatch: atLeastOnce, crashAfterWrite: atLeastOnce } : {},
    async setUp() {
      admin = await connect(mariadb);
      peer = await startStarRocksPeer({ mariadb: { host: mariadb.host, port: mariadb.port } });
    },
    async tearDown() {
      for (const t of tables) await admin?.query(`DROP TABLE IF EXISTS \`${t}\``);
      await admin?.end();
      await peer?.close();
    },
    async target(label, schema) {
      const table = tableName(mode === 'insert' ? 'srins' : 'srsl', label);
      tables.push(table);
      await admin.query(createTableSql(table, schema));
      const options = starrocksSink.options.parse({ database: DATABASE, maxRetries: 2, ...connection(table) });
      return { build: () => starrocksSink.create(options, buildContext(schema)), readAll: () => readTable(admin, table, schema) };
    },
  };
}
