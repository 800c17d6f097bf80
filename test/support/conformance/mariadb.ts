/**
 * Reading a whole MariaDB table back as rows of a schema, for the adapters of the sinks that end in MariaDB (mysql,
 * starrocks through the Stream Load peer, starrocks insert mode): booleans come back as 1/0 and JSON as text, and
 * turn back into what the rows held; a table that does not exist (yet) holds nothing.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import mysql from 'mysql2/promise';
import type { Row, Value } from '../../../src/core/row.js';
import type { Schema } from '../../../src/core/schema.js';
import type { Service } from '../services.js';

export const DATABASE = 'streamlab';

export function connect(mariadb: Service): Promise<mysql.Connection> {
  return mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: 'root', database: DATABASE, timezone: 'Z' });
}

function fromColumn(value: unknown, type: Schema[number]['type']): Value {
  if (value === null) return null;
  if (type === 'boolean') return value === 1;
  if ((type === 'array' || type === 'struct' || type === 'any') && typeof value === 'string') return JSON.parse(value);
  return value as Value;
}

/** Every row of `table`, the columns of `schema` (and only those) converted back; [] if the table is missing. */
export async function readTable(connection: mysql.Connection, table: string, schema: Schema): Promise<Row[]> {
  try {
    const [rows] = await connection.query(`SELECT * FROM \`${DATABASE}\`.\`${table}\``);
    return (rows as mysql.RowDataPacket[]).map((r) => {
      const extra = Object.keys(r).filter((k) => !schema.some((c) => c.name === k));
      if (extra.length > 0) throw new Error(`${table} has columns the rows do not: ${extra.join(', ')}`);
      return Object.fromEntries(schema.map((c) => [c.name, fromColumn(r[c.name], c.type)]));
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'ER_NO_SUCH_TABLE') return [];
    throw error;
  }
}

let counter = 0;
/** A table name of this test process and property. */
export const tableName = (sink: string, label: string) => `conf_${sink}_${label}_${process.pid}_${++counter}`;
