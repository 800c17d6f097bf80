import pg from 'pg';
import type { PostgresConnectionOptions } from './connection-options.js';

/** PostgreSQL type OIDs whose text form the session parses itself (see `typeParsers`). */
const OID = { int8: 20, numeric: 1700, timestamp: 1114, date: 1082 } as const;

/**
 * How values come back from the server, per client (pg's defaults are process-wide and would change other users of
 * the driver):
 * - bigint (int8) as a number when it is a safe integer (streamlab's `long`), else as a BigInt, never as text;
 * - numeric as a number (streamlab has no decimal type; SUM over bigint is numeric);
 * - timestamp without time zone as UTC (the session runs in UTC, so what was written as UTC reads back the same),
 *   date as UTC midnight. timestamptz carries its offset and needs nothing.
 */
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format === 'binary') return pg.types.getTypeParser(oid, format);
    switch (oid) {
      case OID.int8:
        return (text: string) => {
          const n = Number(text);
          return Number.isSafeInteger(n) ? n : BigInt(text);
        };
      case OID.numeric:
        return (text: string) => Number(text);
      case OID.timestamp:
        return (text: string) => new Date(`${text.replace(' ', 'T')}Z`);
      case OID.date:
        return (text: string) => new Date(`${text}T00:00:00Z`);
      default:
        return pg.types.getTypeParser(oid, 'text');
    }
  },
} as pg.CustomTypesConfig;

/**
 * A client set up for reading and writing exactly what rows hold: the session's TimeZone is UTC (so timestamps
 * without a zone, date_trunc and to_char mean UTC, whatever the server's default), values parse as `typeParsers`
 * says, and the server logs it as application `streamlab`. An idle client whose connection dies emits 'error'; without
 * a listener that would end the process, so `onError` is required (drop the client there and open a new one).
 */
export async function openSession(options: PostgresConnectionOptions, onError: (error: unknown) => void): Promise<pg.Client> {
  const client = new pg.Client({
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    database: options.database,
    connectionTimeoutMillis: options.connectTimeout,
    application_name: 'streamlab',
    options: '-c TimeZone=UTC',
    types: typeParsers,
  });
  client.on('error', onError);
  try {
    await client.connect();
  } catch (error) {
    client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** Ends a client, ignoring a connection that is already gone. */
export async function closeSession(client: pg.Client | undefined): Promise<void> {
  await client?.end().catch(() => undefined);
}
