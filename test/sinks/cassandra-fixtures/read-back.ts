/**
 * Reading a whole table back with the plain driver (not with streamlab's source), to compare it with the rows a
 * test expects: every row, every column, in a stable order. Values come back as plain JavaScript: bigint/counter
 * (Long), varint and decimal as numbers, uuid/timeuuid/inet as strings, int and double as numbers, timestamp as Date.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import cassandraDriver from 'cassandra-driver';

export type Plain = Record<string, unknown>;

function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof cassandraDriver.types.Long || value instanceof cassandraDriver.types.Integer) return Number(value.toString());
  if (value instanceof cassandraDriver.types.BigDecimal) return Number(value.toString());
  if (value instanceof cassandraDriver.types.Uuid || value instanceof cassandraDriver.types.InetAddress) return value.toString();
  if (value instanceof cassandraDriver.types.LocalDate) return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && !(value instanceof Date) && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

export function client(address: string, credentials?: { username: string; password: string }): cassandraDriver.Client {
  return new cassandraDriver.Client({ contactPoints: [address], localDataCenter: 'datacenter1', ...(credentials ? { credentials } : {}) });
}

/** Every row of `keyspace.table` (all columns), sorted by `orderBy` (a column, or a function of the row). */
export async function readTable(
  c: cassandraDriver.Client,
  keyspace: string,
  table: string,
  orderBy: string | ((row: Plain) => string | number),
): Promise<Plain[]> {
  const rows: Plain[] = [];
  let pageState: string | undefined;
  do {
    const result = await c.execute(`SELECT * FROM "${keyspace}"."${table}"`, [], { fetchSize: 5000, pageState });
    for (const row of result.rows) rows.push(Object.fromEntries(row.keys().map((k) => [k, plain(row.get(k))])));
    pageState = result.pageState ?? undefined;
  } while (pageState);
  const key = typeof orderBy === 'string' ? (row: Plain) => row[orderBy] as string | number : orderBy;
  return rows.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

export async function createKeyspace(c: cassandraDriver.Client, keyspace: string): Promise<void> {
  await c.execute(`CREATE KEYSPACE IF NOT EXISTS "${keyspace}" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
}

/** A keyspace name of this test process, so parallel runs never share tables. */
export function testKeyspace(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now() % 1_000_000}`;
}
