import type mysql from 'mysql2/promise';
import { errorMessage, RuntimeError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { describeRetry, retriesFor, withRetry, type RetryPolicy } from '../../core/retry.js';
import type { Row } from '../../core/row.js';
import type { Sink, SinkContext } from '../../core/sink.js';
import type { ColumnBinding } from '../../connectors/mysql/columns.js';
import { createCommitTableSql, createTableSql } from './ddl.js';
import {
  describeMySqlError,
  isConnectionError,
  isRetriableMySqlError,
  unknownTableMessage,
  type Target,
} from '../../connectors/mysql/errors.js';
import { qualifiedName } from '../../connectors/mysql/identifiers.js';
import { openSession } from '../../connectors/mysql/session.js';
import {
  insertShape,
  insertStatements,
  withoutUnfitRows,
  UnfitRowError,
  type InsertShape,
  type Statement,
} from '../../connectors/mysql/statements.js';
import { failOnBadRecord, type BadRecordHandler } from '../../core/bad-records.js';

export interface MySqlSinkConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  table: string;
  columns: readonly ColumnBinding[];
  mode: 'append' | 'upsert';
  batchSize: number;
  /** Create the table with this primary key when missing; undefined: it must exist. */
  createPrimaryKey?: readonly string[];
  commitTable: string;
  /** Milliseconds. */
  connectTimeout: number;
  retry: RetryPolicy;
  /** Injected by tests (no real waiting). */
  sleep?: (ms: number) => Promise<void>;
}

/** Statement size cap in characters, below a quarter of max_allowed_packet (utf8mb4 takes up to 4 bytes a character). */
const MAX_STATEMENT_CHARS = 4 * 1024 * 1024;

/**
 * The `mysql` sink. Each batch is one transaction:
 *
 *   START TRANSACTION
 *   SELECT num_rows FROM streamlab_commits WHERE query_id = ? AND batch_id = ?   -- found: a replay, ROLLBACK, done
 *   INSERT INTO streamlab_commits (query_id, batch_id, ...) VALUES (...)
 *   INSERT INTO db.table (...) VALUES (...), (...), ...                         -- batchSize rows per statement
 *   COMMIT
 *
 * The commit row and the data rows commit together or not at all, so after a crash anywhere, replaying the batch
 * either finds the commit row (the rows are there: skip) or not (nothing is there: write). That holds for an
 * ambiguous COMMIT too (sent, connection lost before the answer): the retry looks first. Spark's foreachBatch is
 * at-least-once by default; this makes append tables exactly-once.
 */
export class MySqlSink implements Sink {
  readonly description: string;
  private connection: mysql.Connection | undefined;
  private context!: SinkContext;
  private logger: Logger = silentLogger;
  private badRecords: BadRecordHandler = failOnBadRecord;
  private maxStatementChars = MAX_STATEMENT_CHARS;
  private readonly shape: InsertShape;
  private readonly target: Target;

  constructor(private readonly config: MySqlSinkConfig) {
    const { host, port, database, table, mode, batchSize } = config;
    this.description = `MySqlSink[${host}:${port}/${database}.${table}, mode=${mode}, batchSize=${batchSize}]`;
    this.shape = insertShape(database, table, config.columns, mode);
    this.target = {
      kind: 'mysql',
      server: `${host}:${port}`,
      database,
      table,
      createTableSql: () => createTableSql(database, table, config.columns, config.createPrimaryKey),
    };
  }

  async open(context: SinkContext): Promise<void> {
    this.context = context;
    this.logger = context.logger;
    this.badRecords = context.badRecords ?? failOnBadRecord;
    try {
      await this.retrying('connect', retriesFor(this.config.retry, context), async () => {
        const connection = await this.connect();
        const [packet] = await connection.query('SELECT @@max_allowed_packet AS packet');
        this.maxStatementChars = Math.min(MAX_STATEMENT_CHARS, Math.floor(Number((packet as Array<{ packet: number }>)[0].packet) / 4));
        await this.prepareTables(connection);
      });
    } catch (error) {
      // The engine calls close() only after a successful open: do not leave a connection behind.
      this.dropConnection();
      throw error;
    }
  }

  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    if (rows.length === 0) return; // nothing to write, nothing that a replay could duplicate
    const { database, table } = this.config;
    const fit = withoutUnfitRows(rows, this.shape, this.badRecords, { sink: 'mysql sink', batchId, table: `${database}.${table}` });
    if (fit.length === 0) return;
    await this.retrying(`batch ${batchId}`, this.config.retry, () => this.writeBatch(fit, batchId));
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await connection.end().catch(() => connection.destroy());
  }

  /** Runs `operation` with the shared backoff; a lost connection is dropped so the next attempt opens a new one. */
  private retrying<T>(what: string, policy: RetryPolicy, operation: () => Promise<T>): Promise<T> {
    return withRetry(operation, policy, {
      isRetriable: isRetriableMySqlError,
      sleep: this.config.sleep,
      onRetry: (error, attempt, delayMs) => {
        if (isConnectionError(error)) this.dropConnection();
        this.logger.warn(`mysql sink (${this.target.server}): ${what}: ${errorMessage(error)}; ${describeRetry(attempt, delayMs, policy)}`);
      },
    }).catch((error: unknown) => {
      if (isConnectionError(error)) this.dropConnection();
      throw describeMySqlError(error, this.target, what);
    });
  }

  private async connect(): Promise<mysql.Connection> {
    if (this.connection) return this.connection;
    const { host, port, user, password, connectTimeout } = this.config;
    // No default database: an unknown database must be reported as such, not as a failed login.
    const connection = await openSession({ host, port, user, password, connectTimeout }, () => {
      if (this.connection === connection) this.connection = undefined;
    });
    this.connection = connection;
    return connection;
  }

  private dropConnection(): void {
    this.connection?.destroy();
    this.connection = undefined;
  }

  /** Checks database and table, creates what the options allow, and names every mapped column the table lacks. */
  private async prepareTables(connection: mysql.Connection): Promise<void> {
    const { database, table, commitTable, createPrimaryKey } = this.config;
    const [schemata] = await connection.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database]);
    if ((schemata as unknown[]).length === 0) {
      throw new RuntimeError(
        `mysql sink: database '${database}' does not exist on ${this.target.server}. Create it first: CREATE DATABASE \`${database}\``,
      );
    }
    if (createPrimaryKey) await connection.query(this.target.createTableSql());
    await connection.query(createCommitTableSql(database, commitTable));
    const [rows] = await connection.query(
      'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
      [database, table],
    );
    const existing = new Set((rows as Array<{ name: string }>).map((r) => r.name.toLowerCase()));
    if (existing.size === 0) throw new RuntimeError(`mysql sink: ${unknownTableMessage(this.target)}`);
    const missing = this.config.columns.filter((c) => !existing.has(c.table.toLowerCase()));
    if (missing.length) {
      throw new RuntimeError(
        `mysql sink: ${database}.${table} on ${this.target.server} has no column ${missing.map((c) => `'${c.table}' (for input column ${c.source})`).join(', ')}; ` +
          `its columns are: ${[...(rows as Array<{ name: string }>)].map((r) => r.name).join(', ')}. Map input columns to table columns with \`columns:\`, or add the columns to the table.`,
      );
    }
  }

  private async writeBatch(rows: Row[], batchId: number): Promise<void> {
    const connection = await this.connect();
    const { database, commitTable, table } = this.config;
    const commits = qualifiedName(database, commitTable);
    const queryId = this.context.queryId;
    await connection.query('START TRANSACTION');
    let done = false;
    try {
      const [found] = await connection.query(`SELECT num_rows FROM ${commits} WHERE query_id = ? AND batch_id = ? FOR UPDATE`, [
        queryId,
        batchId,
      ]);
      const previous = (found as Array<{ num_rows: number | string }>)[0];
      if (previous) {
        const count = Number(previous.num_rows);
        this.logger.info(
          `mysql sink: batch ${batchId} was already written to ${database}.${table} (${count} rows, recorded in ${commitTable}); skipped`,
        );
        if (count !== rows.length)
          this.logger.warn(
            `mysql sink: the replayed batch ${batchId} has ${rows.length} rows, the recorded one ${count}: the source did not replay the same rows`,
          );
        await connection.query('ROLLBACK');
        done = true;
        return;
      }
      await connection.query(`INSERT INTO ${commits} (query_id, batch_id, table_name, num_rows) VALUES (?, ?, ?, ?)`, [
        queryId,
        batchId,
        table,
        rows.length,
      ]);
      await this.insertRows(connection, rows);
      await connection.query('COMMIT');
      done = true;
    } finally {
      // On a lost connection the server rolls back by itself; on a server error we say so explicitly.
      if (!done && this.connection === connection) await connection.query('ROLLBACK').catch(() => undefined);
    }
  }

  /** Sends the statements one after another, formatting the next one while the server runs the current one. */
  private async insertRows(connection: mysql.Connection, rows: Row[]): Promise<void> {
    let pending: { promise: Promise<unknown>; statement: Statement } | undefined;
    const settle = async () => {
      if (!pending) return;
      const { promise, statement } = pending;
      pending = undefined;
      try {
        await promise;
      } catch (error) {
        throw this.withRowContext(error, statement);
      }
    };
    try {
      for (const statement of insertStatements(rows, this.shape, this.config.batchSize, this.maxStatementChars)) {
        await settle();
        pending = { promise: connection.query(statement.sql), statement };
      }
      await settle();
    } catch (error) {
      pending?.promise.catch(() => undefined); // a statement still in flight must not become an unhandled rejection
      if (error instanceof UnfitRowError) {
        throw new RuntimeError(
          `mysql sink: a value does not fit column ${error.unfit.column} of ${this.config.database}.${this.config.table}: ${error.message}. Nothing of this batch was written.`,
        );
      }
      throw error;
    }
  }

  /** Server errors say "at row 3" of the statement; name the row of the batch instead, which the user can find. */
  private withRowContext(error: unknown, statement: Statement): unknown {
    const message = (error as { sqlMessage?: string }).sqlMessage;
    const match = message ? /at row (\d+)/.exec(message) : null;
    if (!match || isRetriableMySqlError(error)) return error;
    return describeMySqlError(error, this.target, `row ${statement.firstRow + Number(match[1]) - 1} of the batch`);
  }
}
