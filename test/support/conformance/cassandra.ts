/**
 * The cassandra sink in the conformance suite, against Cassandra 5: one keyspace for this process (dropped at the
 * end), the sink creates each table (key `id`; a list<text> and a map<text, text> for the array and struct columns).
 * Cassandra keeps an empty collection as null, so an empty list or map is expected back as null.
 */
import type cassandraDriver from 'cassandra-driver';
import type { Row } from '../../../src/core/row.js';
import type { Schema } from '../../../src/core/schema.js';
import { CassandraSinkOptions, cassandraSink } from '../../../src/sinks/cassandra/index.js';
import { client, createKeyspace, readTable, testKeyspace } from '../../sinks/cassandra-fixtures/read-back.js';
import { service } from '../services.js';
import type { SinkAdapter } from '../sink-conformance.js';
import { buildContext } from './build-context.js';

const isEmptyCollection = (v: unknown) =>
  Array.isArray(v) ? v.length === 0 : v !== null && typeof v === 'object' && !(v instanceof Date) && Object.keys(v).length === 0;

/** array and struct columns need a CQL type named: list<text> and map<text, text>, as the suite's values are text. */
function collectionTypes(schema: Schema): Record<string, string> {
  const cql: Partial<Record<string, string>> = { array: 'list<text>', struct: 'map<text, text>' };
  return Object.fromEntries(schema.filter((c) => cql[c.type]).map((c) => [c.name, cql[c.type]!]));
}

export function cassandraAdapter(): SinkAdapter {
  const cassandra = service('cassandra');
  const keyspace = testKeyspace('conformance');
  let c: cassandraDriver.Client;
  let counter = 0;

  const readAll = async (table: string, schema: Schema): Promise<Row[]> => {
    try {
      const rows = await readTable(c, keyspace, table, 'id');
      return rows.map((r) => Object.fromEntries(schema.map((col) => [col.name, r[col.name] as Row[string]])));
    } catch (error) {
      if (/unconfigured table|table \S+ does not exist/.test(String(error))) return [];
      throw error;
    }
  };
  return {
    name: 'cassandra against Cassandra 5',
    skip: cassandra.skip,
    columnTypes: ['string', 'long', 'double', 'boolean', 'timestamp', 'array', 'struct'],
    async setUp() {
      c = client(cassandra.address);
      await c.connect();
      await createKeyspace(c, keyspace);
    },
    async tearDown() {
      await c?.execute(`DROP KEYSPACE IF EXISTS "${keyspace}"`).catch(() => undefined);
      await c?.shutdown();
    },
    async target(label, schema) {
      const table = `${label}_${++counter}`;
      const options = CassandraSinkOptions.parse({
        contactPoints: cassandra.address,
        keyspace,
        table,
        create: { primaryKey: ['id'], types: collectionTypes(schema) },
      });
      return { build: () => cassandraSink.create(options, buildContext(schema)), readAll: () => readAll(table, schema) };
    },
    stored: (row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, isEmptyCollection(v) ? null : v])),
  };
}
