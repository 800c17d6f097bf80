import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { failOnBadRecord, type BadRecordHandler } from '../../core/bad-records.js';
import { errorMessage, RuntimeError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { describeRetry, retriesFor, withRetry, type RetryPolicy } from '../../core/retry.js';
import type { Row } from '../../core/row.js';
import type { Column } from '../../core/schema.js';
import type { OutputMode, Sink, SinkContext } from '../../core/sink.js';
import { serverAddress, type PostgresConnectionOptions } from '../../connectors/postgres/connection-options.js';
import { describePostgresError, isConnectionError, isRetriablePostgresError, type Target } from '../../connectors/postgres/errors.js';
import { displayName, qualifiedName, type TableName } from '../../connectors/postgres/identifiers.js';
import { closeSession, openSession } from '../../connectors/postgres/session.js';
import type { TableInfo } from '../../connectors/postgres/catalog.js';
import { postgresType } from '../../connectors/postgres/column-types.js';
import { copyBinaryChunks } from './copy-binary.js';
import { copyTextChunks, unfitRows, type CopyColumns } from './copy-text.js';
import { lastPerKey, statements, type Statements } from './statements.js';
import { prepareTables } from './prepare.js';
import type { SetupSql } from './setup-sql.js';

export interface PostgresSinkConfig {
  connection: PostgresConnectionOptions;
  table: TableName;
  columns: readonly Column[];
  /** Create the table when missing, with this primary key ([] for none; 'key': the update-mode key in update mode, else none); undefined: it must exist. */
  create?: readonly string[] | 'key';
  /** The update-mode key (the `key` option, or the grouping columns); undefined when there is none. */
  key?: readonly string[];
  setupSql?: SetupSql;
  replaceWhere?: string;
  batchSize: number;
  commitTable: string;
  retry: RetryPolicy;
  /** Injected by tests (no real waiting). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The `postgres` sink. Each batch is one transaction:
 *
 *   BEGIN
 *   INSERT INTO streamlab_commits (query_id, batch_id, ...) VALUES (...) ON CONFLICT DO NOTHING   -- no row: a replay, ROLLBACK
 *   DELETE FROM t [WHERE replaceWhere]      -- complete mode every batch; replaceWhere: the query's first batch
 *   COPY t (...) FROM STDIN                 -- append, complete
 *   COPY streamlab_stage FROM STDIN; INSERT INTO t SELECT ... FROM streamlab_stage ON CONFLICT (key) DO UPDATE ...  -- update
 *   COMMIT
 *
 * The commit row and the data commit together or not at all, so after a crash anywhere, the replayed batch either
 * finds its commit row (everything is there: skip) or not (nothing is: write). That holds for an ambiguous COMMIT
 * too (sent, connection lost before the answer): the retry looks first. Spark's foreachBatch is at-least-once; this
 * makes every output mode exactly-once.
 */
export class PostgresSink implements Sink {
  readonly description: string;
  private client: pg.Client | undefined;
  private context!: SinkContext;
  private logger: Logger = silentLogger;
  private badRecords: BadRecordHandler = failOnBadRecord;
  private mode: OutputMode = 'append';
  private sql!: Statements;
  /** COPY's binary format when every column has the sink's own type, else the text format (copy-binary.ts). */
  private binary = false;
  /** Whether this query has written a batch to the table (then replaceWhere has been applied). */
  private wroteBefore = false;
  private readonly target: Target;
  private readonly copyColumns: CopyColumns;

  constructor(private readonly config: PostgresSinkConfig) {
    const { connection, table, batchSize } = config;
    this.target = { role: 'sink', server: serverAddress(connection), database: connection.database, table: displayName(table) };
    this.description = `PostgresSink[${this.target.server}/${connection.database} ${this.target.table}, COPY, batchSize=${batchSize}]`;
    this.copyColumns = { names: config.columns.map((c) => c.name), types: config.columns.map((c) => c.type) };
  }

  async open(context: SinkContext): Promise<void> {
    this.context = context;
    this.logger = context.logger;
    this.badRecords = context.badRecords ?? failOnBadRecord;
    this.mode = context.outputMode;
    const key = this.mode === 'update' ? this.config.key : undefined;
    if (this.mode === 'update' && !key) {
      throw new RuntimeError(
        `postgres sink: update output mode writes rows by their key, and this sink has none: set \`key: [...]\` (the columns that identify a row of ${this.target.table})`,
      );
    }
    this.sql = statements(this.config.table, this.copyColumns.names, key, this.config.replaceWhere);
    try {
      await this.retrying('connect', retriesFor(this.config.retry, context), async () => {
        const client = await this.connect();
        const create = this.config.create === 'key' ? (key ?? []) : this.config.create;
        const info = await prepareTables(client, { ...this.config, create, key }, this.target, this.sql);
        const other = notBinary(info, this.config.columns);
        this.binary = other === undefined;
        this.logger.info(`postgres sink: ${this.target.table} is written with COPY ${other ?? 'binary'}`);
      });
    } catch (error) {
      // The engine calls close() only after a successful open: do not leave a connection behind.
      this.dropClient();
      throw error;
    }
  }

  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    if (rows.length === 0) return; // nothing to write, nothing that a replay could duplicate
    let fit = this.withoutUnfitRows(rows, batchId);
    if (this.mode === 'update') fit = lastPerKey(fit, this.config.key!);
    if (fit.length === 0) return;
    await this.retrying(`batch ${batchId}`, this.config.retry, () => this.writeBatch(fit, batchId));
    this.wroteBefore = true;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await closeSession(client);
  }

  /** Runs `operation` with the shared backoff; a lost connection is dropped so the next attempt opens a new one. */
  private retrying<T>(what: string, policy: RetryPolicy, operation: () => Promise<T>): Promise<T> {
    return withRetry(operation, policy, {
      isRetriable: isRetriablePostgresError,
      sleep: this.config.sleep,
      onRetry: (error, attempt, delayMs) => {
        if (isConnectionError(error)) this.dropClient();
        this.logger.warn(
          `postgres sink (${this.target.server}): ${what}: ${errorMessage(error)}; ${describeRetry(attempt, delayMs, policy)}`,
        );
      },
    }).catch((error: unknown) => {
      if (isConnectionError(error)) this.dropClient();
      throw describePostgresError(error, this.target, what);
    });
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = await openSession(this.config.connection, () => {
      if (this.client === client) this.client = undefined;
    });
    this.client = client;
    return client;
  }

  private dropClient(): void {
    const client = this.client;
    this.client = undefined;
    void closeSession(client);
  }

  /** Rows holding a value the table cannot hold go to the query's onBadRecord policy, once per batch, before any write. */
  private withoutUnfitRows(rows: Row[], batchId: number): Row[] {
    const unfit = unfitRows(rows, this.copyColumns);
    if (unfit.size === 0) return rows;
    for (const [r, problem] of unfit) {
      this.badRecords.report({
        raw: rows[r],
        reason: `column ${problem.column} of ${this.target.table}: ${problem.reason}`,
        where: `postgres sink: batch ${batchId}, row ${r + 1}`,
        position: { row: r },
      });
    }
    return rows.filter((_, r) => !unfit.has(r));
  }

  private async writeBatch(rows: Row[], batchId: number): Promise<void> {
    const client = await this.connect();
    await client.query('BEGIN');
    let done = false;
    try {
      if (await this.isReplay(client, rows.length, batchId)) {
        await client.query('ROLLBACK');
        done = true;
        return;
      }
      const replaceFirst = this.config.replaceWhere !== undefined && !this.wroteBefore && !(await this.queryWroteBefore(client, batchId));
      if (this.mode === 'complete' || replaceFirst) {
        const deleted = await client.query(this.sql.delete);
        if (replaceFirst && this.mode !== 'complete')
          this.logger.info(
            `postgres sink: batch ${batchId} replaces ${deleted.rowCount} rows of ${this.target.table} where ${this.config.replaceWhere}`,
          );
      }
      if (this.sql.stage) await client.query(this.sql.stage);
      await this.copy(client, rows);
      if (this.sql.upsert) await client.query(this.sql.upsert);
      await client.query('COMMIT');
      done = true;
    } finally {
      // On a lost connection the server rolls back by itself; on a server error we say so explicitly.
      if (!done && this.client === client) await client.query('ROLLBACK').catch(() => undefined);
    }
  }

  /** Inserts the batch's commit row; none inserted means a writer recorded this batch already. */
  private async isReplay(client: pg.Client, rowCount: number, batchId: number): Promise<boolean> {
    const commits = qualifiedName({ schema: this.config.table.schema, name: this.config.commitTable });
    const inserted = await client.query(
      `INSERT INTO ${commits} (query_id, batch_id, table_name, num_rows) VALUES ($1, $2, $3, $4) ON CONFLICT (query_id, batch_id) DO NOTHING`,
      [this.context.queryId, batchId, this.target.table, rowCount],
    );
    if (inserted.rowCount === 1) return false;
    const found = await client.query<{ num_rows: number }>(`SELECT num_rows FROM ${commits} WHERE query_id = $1 AND batch_id = $2`, [
      this.context.queryId,
      batchId,
    ]);
    const count = Number(found.rows[0]?.num_rows);
    this.logger.info(
      `postgres sink: batch ${batchId} was already written to ${this.target.table} (${count} rows, recorded in ${this.config.commitTable}); skipped`,
    );
    if (count !== rowCount)
      this.logger.warn(
        `postgres sink: the replayed batch ${batchId} has ${rowCount} rows, the recorded one ${count}: the source did not replay the same rows`,
      );
    return true;
  }

  /** Whether this query wrote an earlier batch (in an earlier run of the job): then replaceWhere was applied already. */
  private async queryWroteBefore(client: pg.Client, batchId: number): Promise<boolean> {
    const commits = qualifiedName({ schema: this.config.table.schema, name: this.config.commitTable });
    const found = await client.query(`SELECT 1 FROM ${commits} WHERE query_id = $1 AND batch_id <> $2 LIMIT 1`, [
      this.context.queryId,
      batchId,
    ]);
    return (found.rowCount ?? 0) > 0;
  }

  /** COPY of batchSize rows at a time, each streamed in chunks as it is encoded (the next while the server reads one). */
  private async copy(client: pg.Client, rows: Row[]): Promise<void> {
    const { batchSize } = this.config;
    for (let from = 0; from < rows.length; from += batchSize) {
      const part = from === 0 && rows.length <= batchSize ? rows : rows.slice(from, from + batchSize);
      const chunks = this.binary ? copyBinaryChunks(part, this.copyColumns) : copyTextChunks(part, this.copyColumns);
      await pipeline(Readable.from(chunks), client.query(copyFrom(this.binary ? `${this.sql.copy} (FORMAT binary)` : this.sql.copy)));
    }
  }
}

/** Why COPY's text format is used (a column whose type is not the sink's own: binary needs exact types), or undefined for binary. */
function notBinary(info: TableInfo, columns: readonly Column[]): string | undefined {
  const types = new Map(info.columns.map((c) => [c.name, c.type]));
  const other = columns.find((c) => types.get(c.name) !== canonicalName(postgresType(c.type)));
  return (
    other && `text (column ${other.name} is ${types.get(other.name)}, not ${postgresType(other.type)}: binary values must match the type)`
  );
}

/** format_type's names for the types the sink creates. */
const canonicalName = (type: string): string => (type === 'timestamptz' ? 'timestamp with time zone' : type);
