import { errorMessage, isNetworkErrorCode, RuntimeError } from '../../core/errors.js';

/** What pg puts on its errors: server errors carry a SQLSTATE `code` and details, socket errors a Node code. */
export interface DriverError {
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
  column?: string;
  where?: string;
}

export const driverError = (error: unknown): DriverError => (typeof error === 'object' && error !== null ? (error as DriverError) : {});

/**
 * SQLSTATEs a new connection or a second attempt can cure: the connection broke (class 08), the server is shutting
 * down or starting (57P01-57P03), it is full (53300), or this transaction lost a serialization conflict or a
 * deadlock (40001, 40P01) or a lock wait (55P03).
 */
const RETRIABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01', '55P03']);

/** pg's own messages for a connection that ended under it (they carry no code). */
const LOST_CONNECTION = /Connection terminated|connection timeout|timeout expired|Client has encountered a connection error|not queryable/i;

/** A lost or refused connection: the client is dead and a new one is needed. */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof RuntimeError) return false;
  const e = driverError(error);
  if (isNetworkErrorCode(e.code)) return true;
  if (e.code?.startsWith('08') || e.code === '57P01' || e.code === '57P02' || e.code === '57P03') return true;
  return e.code === undefined && LOST_CONNECTION.test(errorMessage(error));
}

/**
 * Errors worth the whole batch transaction again. Its commit-table row makes that safe even when the first COMMIT
 * reached the server but its answer did not reach us: the retry looks first.
 */
export function isRetriablePostgresError(error: unknown): boolean {
  if (error instanceof RuntimeError) return false;
  const e = driverError(error);
  return isConnectionError(error) || (e.code !== undefined && RETRIABLE_STATES.has(e.code));
}

/** Where a component reads or writes, for messages. */
export interface Target {
  /** `sink` or `source`, as in `postgres sink: ...`. */
  role: string;
  /** host:port */
  server: string;
  database: string;
  /** `schema.table` */
  table: string;
}

/**
 * A driver or server error as a RuntimeError that says what happened, where and what to do. The server's text is
 * kept (it names the column, and its DETAIL the value and the key); it never holds the password.
 */
export function describePostgresError(error: unknown, target: Target, doing = ''): RuntimeError {
  if (error instanceof RuntimeError) return error;
  const e = driverError(error);
  const server = [e.message ?? errorMessage(error), e.detail, e.where?.startsWith('COPY') ? e.where : undefined].filter(Boolean).join('; ');
  const at = `${target.server}`;
  const where = doing ? ` (${doing})` : '';
  let message: string;
  switch (e.code) {
    case '28P01':
    case '28000':
      message = `access denied by ${at}: ${server}. Check user and password in the options or the profile (PGUSER, PGPASSWORD).`;
      break;
    case '3D000':
      message = `database '${target.database}' does not exist on ${at}: ${server}. Create it first: CREATE DATABASE ${target.database}`;
      break;
    case '42501':
      message = `permission denied on ${at} for ${target.table}${where}: ${server}. The user needs SELECT, INSERT${target.role === 'sink' ? ', UPDATE, DELETE and CREATE' : ''} there.`;
      break;
    case '42P01':
      message = `table ${target.table} does not exist in database ${target.database} on ${at}${where}: ${server}`;
      break;
    case '42703':
      message = `${target.table} on ${at} has no such column${where}: ${server}`;
      break;
    case '23505':
      message = `a row has a key that is already in ${target.table} on ${at}${where}: ${server}. outputMode append only inserts; update mode upserts by the key.`;
      break;
    default:
      if (e.code?.startsWith('22') || e.code?.startsWith('23')) {
        message = `a value does not fit its column in ${target.table} on ${at}${where}: ${server}. Nothing of this batch was written.`;
      } else if (isConnectionError(error)) {
        message = `cannot reach ${at} (${e.code ?? 'connection lost'}): ${server}. Is the server running and the host/port right?`;
      } else {
        message = `${at} refused ${doing || 'a statement'} on ${target.table}: ${server}`;
      }
  }
  return new RuntimeError(`postgres ${target.role}: ${message}`, { cause: error });
}
