import { errorMessage, isNetworkErrorCode, RuntimeError } from '../../core/errors.js';

/** What mysql2 puts on its errors (server errors carry errno/sqlMessage, socket errors a Node code). */
export interface DriverError {
  code?: string;
  errno?: number;
  sqlMessage?: string;
  fatal?: boolean;
  message?: string;
}

export const driverError = (error: unknown): DriverError => (typeof error === 'object' && error !== null ? (error as DriverError) : {});

/**
 * Errors that a new connection or a second attempt can cure: the connection was lost or refused (server restarting),
 * the server is shutting down or full, or InnoDB chose this transaction as a deadlock victim or timed out on a lock.
 * The whole batch transaction is then run again; its commit-table row makes that safe even when the first COMMIT
 * reached the server but its answer did not reach us.
 */
const RETRIABLE_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_CONNECTION_KILLED',
  'ER_NET_READ_ERROR',
  'ER_NET_WRITE_INTERRUPTED',
  'ER_NET_READ_INTERRUPTED',
]);

/** errno values for the same conditions, for servers whose code names mysql2 does not know (1927: MariaDB's connection killed). */
const RETRIABLE_ERRNOS = new Set([1213, 1205, 1053, 1040, 1927, 2006, 2013]);

export function isRetriableMySqlError(error: unknown): boolean {
  if (error instanceof RuntimeError) return false;
  const e = driverError(error);
  return (
    isNetworkErrorCode(e.code) ||
    (e.code !== undefined && RETRIABLE_CODES.has(e.code)) ||
    (e.errno !== undefined && RETRIABLE_ERRNOS.has(e.errno))
  );
}

export const isConnectionError = (error: unknown): boolean => {
  const e = driverError(error);
  return (
    e.fatal === true || isNetworkErrorCode(e.code) || (e.code !== undefined && RETRIABLE_CODES.has(e.code) && !e.code.startsWith('ER_LOCK'))
  );
};

/** Where the sink writes, for messages. */
export interface Target {
  server: string;
  database: string;
  table: string;
  /** DDL that would create the table, shown when it does not exist. */
  createTableSql(): string;
  /** The name of the `create` option path, for hints. */
  kind: 'mysql' | 'starrocks';
}

/**
 * A driver or server error as a RuntimeError that says what happened, where and what to do. The server's own text is
 * kept (it names the column and the row); it never contains the password, and the CLI redacts secrets anyway.
 */
export function describeMySqlError(error: unknown, target: Target, context = ''): RuntimeError {
  if (error instanceof RuntimeError) return error;
  const e = driverError(error);
  // With a context naming the batch row, the server's "at row N" (of one statement) would only confuse.
  const server = (e.sqlMessage ?? errorMessage(error)).replace(context ? / at row \d+$/ : /$^/, '');
  const at = `${target.server}`;
  const table = `${target.database}.${target.table}`;
  const where = context ? ` (${context})` : '';
  let message: string;
  switch (e.code) {
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      message = `access denied by ${at}: ${server}. Check user and password in the sink options or its profile.`;
      break;
    case 'ER_DBACCESS_DENIED_ERROR':
    case 'ER_TABLEACCESS_DENIED_ERROR':
    case 'ER_COLUMNACCESS_DENIED_ERROR':
    case 'ER_SPECIFIC_ACCESS_DENIED_ERROR':
      message = `permission denied on ${at} for ${table}: ${server}. The user needs SELECT, INSERT${target.kind === 'mysql' ? ', UPDATE and CREATE' : ''} there.`;
      break;
    case 'ER_BAD_DB_ERROR':
      message = `database '${target.database}' does not exist on ${at}: ${server}. Create it first: CREATE DATABASE \`${target.database}\``;
      break;
    case 'ER_NO_SUCH_TABLE':
      message = unknownTableMessage(target);
      break;
    case 'ER_BAD_FIELD_ERROR':
      message = `${table} on ${at} has no such column: ${server}. Map input columns to table columns with \`columns:\`, or add the column to the table.`;
      break;
    case 'ER_WARN_DATA_OUT_OF_RANGE':
    case 'ER_DATA_TOO_LONG':
    case 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD':
    case 'ER_TRUNCATED_WRONG_VALUE':
    case 'WARN_DATA_TRUNCATED':
    case 'ER_BAD_NULL_ERROR':
    case 'ER_INVALID_JSON_TEXT':
    case 'ER_CONSTRAINT_FAILED':
      message = `a value does not fit its column in ${table} on ${at}${where}: ${server}. Nothing of this batch was written; change the column type or the value.`;
      break;
    case 'ER_DUP_ENTRY':
      message = `a row has a key that is already in ${table} on ${at}${where}: ${server}. mode: append only inserts; use mode: upsert to replace existing rows.`;
      break;
    case 'ER_NET_PACKET_TOO_LARGE':
      message = `a statement was larger than the server's max_allowed_packet on ${at}: ${server}. Lower batchSize.`;
      break;
    default:
      message = isConnectionError(error)
        ? `cannot reach ${at} (${e.code ?? 'connection error'}): ${server}. Is the server running and the host/port right?`
        : `${at} refused a write to ${table}${where}: ${server}`;
  }
  return new RuntimeError(`${target.kind} sink: ${message}`, { cause: error });
}

export function unknownTableMessage(target: Target): string {
  const hint =
    target.kind === 'mysql'
      ? 'or let the sink create it: create: { primaryKey: [<column>, ...] }'
      : 'or let the sink create it with the `create` option';
  return `table ${target.database}.${target.table} does not exist on ${target.server}. Create it:\n\n${target.createTableSql()};\n\n${hint}`;
}
