import mysql from 'mysql2/promise';

export interface ConnectOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  database?: string;
  connectTimeout: number;
}

/** The session setup for MySQL and MariaDB, see openSession. */
export const MYSQL_SESSION_SETUP =
  "SET SESSION time_zone = '+00:00', SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ',STRICT_ALL_TABLES,'), ',NO_BACKSLASH_ESCAPES,', ','))";

/**
 * A connection set up for writing exactly what the rows hold:
 * - timezone 'Z' in the driver and time_zone '+00:00' in the session: Dates are written as UTC, into DATETIME and
 *   TIMESTAMP columns alike;
 * - STRICT_ALL_TABLES: a value that does not fit its column is an error naming the column, never a silent truncation
 *   with a warning;
 * - no NO_BACKSLASH_ESCAPES: the driver escapes quotes with backslashes, which that mode would turn into plain
 *   characters (and so into an injection hole).
 * Text protocol only (`query`, never `execute`): StarRocks before 3.2 has no server-side prepared statements, and a
 * multi-row INSERT with thousands of placeholders gains nothing from them.
 */
export async function openSession(
  options: ConnectOptions,
  onError: (error: unknown) => void,
  setup: string | undefined = MYSQL_SESSION_SETUP,
): Promise<mysql.Connection> {
  const connection = await mysql.createConnection({
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    database: options.database,
    connectTimeout: options.connectTimeout,
    timezone: 'Z',
    supportBigNumbers: true,
    dateStrings: false,
  });
  // An idle connection that dies emits 'error'; without a listener that would end the process.
  connection.on('error', onError);
  try {
    if (setup) await connection.query(setup);
  } catch (error) {
    connection.destroy();
    throw error;
  }
  return connection;
}
