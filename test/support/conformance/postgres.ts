/**
 * The postgres sink in the conformance suite, against the PostgreSQL of `npm run services -- up postgres`: the sink
 * creates each table (key `id`); the read-back is a plain SELECT through the connector's session (bigint as numbers,
 * timestamptz as Dates, jsonb parsed), every column of the table compared.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import type pg from 'pg';
import type { Row } from '../../../src/core/row.js';
import type { Schema } from '../../../src/core/schema.js';
import { openSession } from '../../../src/connectors/postgres/session.js';
import { postgresSink } from '../../../src/sinks/postgres/index.js';
import { service, type Service } from '../services.js';
import type { SinkAdapter } from '../sink-conformance.js';
import { buildContext } from './build-context.js';

export const connectPostgres = (postgres: Service): Promise<pg.Client> =>
  openSession(
    { host: postgres.host, port: postgres.port, user: 'postgres', password: '', database: 'streamlab', connectTimeout: 10_000 },
    () => undefined,
  );

/** Every row of `table`, the columns of `schema` and only those (another column is an error); [] if the table is missing. */
export async function readPostgresTable(client: pg.Client, table: string, schema: Schema): Promise<Row[]> {
  try {
    const result = await client.query(`SELECT * FROM "${table}"`);
    const extra = result.fields.map((f) => f.name).filter((n) => !schema.some((c) => c.name === n));
    if (extra.length > 0) throw new Error(`${table} has columns the rows do not: ${extra.join(', ')}`);
    return result.rows.map((r: Row) => Object.fromEntries(schema.map((c) => [c.name, r[c.name]])));
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return [];
    throw error;
  }
}

let counter = 0;

export function postgresAdapter(): SinkAdapter {
  const postgres = service('postgres');
  let admin: pg.Client;
  const tables: string[] = [];
  return {
    name: 'postgres',
    skip: postgres.skip,
    columnTypes: ['string', 'long', 'double', 'boolean', 'timestamp', 'array', 'struct'],
    async setUp() {
      admin = await connectPostgres(postgres);
    },
    async tearDown() {
      for (const t of tables) await admin?.query(`DROP TABLE IF EXISTS "${t}"`);
      if (tables.length)
        await admin
          ?.query('DELETE FROM streamlab_commits WHERE table_name = ANY($1)', [tables.map((t) => `public.${t}`)])
          .catch(() => undefined);
      await admin?.end();
    },
    async target(label, schema) {
      const table = `conf_postgres_${label}_${process.pid}_${++counter}`;
      tables.push(table);
      const build = () =>
        postgresSink.create(
          postgresSink.options.parse({
            host: postgres.host,
            port: postgres.port,
            database: 'streamlab',
            table,
            create: { primaryKey: ['id'] },
            maxRetries: 2,
          }),
          buildContext(schema),
        );
      return { build, readAll: () => readPostgresTable(admin, table, schema) };
    },
  };
}
