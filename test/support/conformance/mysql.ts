/** The mysql sink in the conformance suite, against MariaDB: the sink creates each table (key `id`). */
import type mysql from 'mysql2/promise';
import type { Schema } from '../../../src/core/schema.js';
import { mysqlSink } from '../../../src/sinks/mysql/index.js';
import { service } from '../services.js';
import type { SinkAdapter } from '../sink-conformance.js';
import { buildContext } from './build-context.js';
import { connect, DATABASE, readTable, tableName } from './mariadb.js';

export function mysqlAdapter(): SinkAdapter {
  const mariadb = service('mariadb');
  let admin: mysql.Connection;
  const tables: string[] = [];
  const build = (table: string, schema: Schema) =>
    mysqlSink.create(
      mysqlSink.options.parse({
        host: mariadb.host,
        port: mariadb.port,
        user: 'root',
        database: DATABASE,
        table,
        create: { primaryKey: ['id'] },
        maxRetries: 2,
      }),
      buildContext(schema),
    );
  return {
    name: 'mysql against MariaDB',
    skip: mariadb.skip,
    columnTypes: ['string', 'long', 'double', 'boolean', 'timestamp', 'array', 'struct'],
    async setUp() {
      admin = await connect(mariadb);
    },
    async tearDown() {
      for (const t of tables) await admin?.query(`DROP TABLE IF EXISTS \`${t}\``);
      await admin?.query('DELETE FROM streamlab_commits WHERE table_name LIKE ?', [`conf_mysql_%_${process.pid}_%`]).catch(() => undefined);
      await admin?.end();
    },
    async target(label, schema) {
      const table = tableName('mysql', label);
      tables.push(table);
      return { build: () => build(table, schema), readAll: () => readTable(admin, table, schema) };
    },
  };
}
