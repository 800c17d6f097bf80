import { failOnBadRecord, type BadRecordHandler } from '../../core/bad-records.js';
import type mysql from 'mysql2/promise';
import { errorMessage, RuntimeError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { describeRetry, retriesFor, withRetry, type RetryPolicy } from '../../core/retry.js';
import type { Row } from '../../core/row.js';
import type { Sink, SinkContext } from '../../core/sink.js';
import type { ColumnBinding } from '../../connectors/mysql/columns.js';
import { describeMySqlError, isConnectionError, isRetriableMySqlError, type Target } from '../../connectors/mysql/errors.js';
import { openSession } from '../../connectors/mysql/session.js';
import { insertShape, insertStatements, UnfitRowError, withoutUnfitRows } from '../../connectors/mysql/statements.js';
import { createTableSqlFor, type CreateTable } from './create.js';
import { labelPrefixOf, loadLabel } from './label.js';
import { LABEL_PATTERN } from './options.js';
import { StreamLoadClient } from './stream-load.js';

export interface InsertSinkConfig {
  feHost: string;
  httpPort: number;
  mysqlPort: number;
  user: string;
  password: string;
  database: string;
  table: string;
  columns: readonly ColumnBinding[];
  batchSize: number;
  withLabel: boolean;
  labelPrefix?: string;
  create?: CreateTable;
  retry: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

class LabelStateError extends Error {
  constructor(
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
  }
}

/** A label in backquotes, as `WITH LABEL` takes it; labels are checked against StarRocks' own pattern first. */
export function labelIdentifier(label: string): string {
  if (!LABEL_PATTERN.test(label)) throw new Error(`not a StarRocks label: ${JSON.stringify(label)}`);
  return `\`${label}\``;
}

/** Largest INSERT text; StarRocks' FE accepts far more, but a statement is also one transaction and one version. */
const MAX_STATEMENT_CHARS = 16 * 1024 * 1024;

/**
 * The `starrocks` sink in `insert` mode: `INSERT INTO db.table WITH LABEL <label> (...) VALUES (...), ...` over the
 * MySQL protocol, text protocol only (StarRocks before 3.2 has no server-side prepared statements; values are
 * escaped by the driver). Each statement is its own StarRocks transaction and creates a new data version of the
 * table, which compaction must later merge: frequent small inserts are what StarRocks warns against, so this mode
 * suits large, infrequent batches; Stream Load is the default.
 *
 * Exactly once with labels (withLabel: true): statement k of batch N is labelled <prefix>-<tag>-<N>-<k>; replayed,
 * StarRocks refuses it with "Label [...] has already been used", and the sink asks get_load_state (HTTP, as in
 * stream_load mode) whether that earlier insert is visible (skip it), aborted (insert again) or still running (wait).
 * Without labels (other MySQL-protocol servers, such as MariaDB in the tests), a replayed batch is inserted again.
 */
export class InsertSink implements Sink {
  readonly description: string;
  private connection: mysql.Connection | undefined;
  private context!: SinkContext;
  private badRecords: BadRecordHandler = failOnBadRecord;
  private logger: Logger = silentLogger;
  private readonly target: Target;
  private readonly states: StreamLoadClient;

  constructor(private readonly config: InsertSinkConfig) {
    const { feHost, mysqlPort, database, table, withLabel } = config;
    this.description = `StarRocksInsert[${feHost}:${mysqlPort}/${database}.${table}, batchSize=${config.batchSize}, labels=${withLabel}]`;
    this.target = {
      kind: 'starrocks',
      server: `${feHost}:${mysqlPort}`,
      database,
      table,
      createTableSql: () =>
        createTableSqlFor(
          config,
          config.create ?? { duplicateKey: [config.columns[0].table], distributedBy: [config.columns[0].table], replicationNum: 1 },
          config.columns,
        ),
    };
    this.states = new StreamLoadClient(config, undefined);
  }

  async open(context: SinkContext): Promise<void> {
    this.context = context;
    this.badRecords = context.badRecords ?? failOnBadRecord;
    this.logger = context.logger;
    try {
      await this.retrying('connect', retriesFor(this.config.retry, context), async () => {
        const connection = await this.connect();
        // The driver escapes quotes with backslashes; a server that treats backslashes as plain characters would
        // let a value end its string literal. Refuse such a server rather than write through it.
        const [mode] = await connection.query('SELECT @@sql_mode AS mode');
        if (/NO_BACKSLASH_ESCAPES/i.test(String((mode as Array<{ mode: unknown }>)[0]?.mode ?? ''))) {
          throw new RuntimeError(
            `starrocks sink: ${this.target.server} runs with sql_mode NO_BACKSLASH_ESCAPES, under which the driver's escaping is unsafe; remove that mode for this user.`,
          );
        }
        if (this.config.create) await connection.query(this.target.createTableSql());
      });
    } catch (error) {
      this.dropConnection();
      throw error;
    }
  }

  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    const { database, table, columns, batchSize, withLabel } = this.config;
    const plain = insertShape(database, table, columns, 'append');
    const at = { sink: 'starrocks sink', batchId, table: `${database}.${table}` };
    const fit = withoutUnfitRows(rows, plain, this.badRecords, at);
    if (fit.length === 0) return;
    const prefix = this.config.labelPrefix ?? labelPrefixOf(this.context.queryName);
    let part = 0;
    try {
      for (const statement of insertStatements(fit, plain, batchSize, MAX_STATEMENT_CHARS)) {
        const label = withLabel ? loadLabel(prefix, this.context.queryId, batchId, part) : undefined;
        const sql = label
          ? insertShape(database, table, columns, 'append', ` WITH LABEL ${labelIdentifier(label)}`).prefix +
            statement.sql.slice(plain.prefix.length)
          : statement.sql;
        await this.retrying(`batch ${batchId}, statement ${part}`, this.config.retry, () => this.insert(sql, label));
        part++;
      }
    } catch (error) {
      if (error instanceof UnfitRowError)
        throw new RuntimeError(`starrocks sink: batch ${batchId}: ${error.message}. Statements before it were inserted.`);
      throw error;
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await connection.end().catch(() => connection.destroy());
  }

  private async insert(sql: string, label: string | undefined): Promise<void> {
    const connection = await this.connect();
    try {
      await connection.query(sql);
    } catch (error) {
      if (!label || !/has already been used/i.test(errorMessage(error))) throw error;
      const stored = label;
      const { state, reason } = await this.states.loadState(stored, 30_000);
      if (state === 'VISIBLE' || state === 'COMMITTED') {
        this.logger.info(
          `starrocks sink: insert labelled ${stored} into ${this.target.database}.${this.target.table} was already done by an earlier attempt; skipped`,
        );
        return;
      }
      if (state === 'UNKNOWN')
        throw new RuntimeError(
          `starrocks sink: label ${stored} "has already been used" but get_load_state does not know it; stopping rather than risk a duplicate`,
        );
      throw new LabelStateError(`the earlier insert labelled ${stored} is ${state}${reason ? ` (${reason})` : ''}; trying again`, true);
    }
  }

  private retrying<T>(what: string, policy: RetryPolicy, operation: () => Promise<T>): Promise<T> {
    return withRetry(operation, policy, {
      isRetriable: (error) => (error instanceof LabelStateError ? error.retriable : isRetriableMySqlError(error)),
      sleep: this.config.sleep,
      onRetry: (error, attempt, delayMs) => {
        if (isConnectionError(error)) this.dropConnection();
        this.logger.warn(
          `starrocks sink (${this.target.server}): ${what}: ${errorMessage(error)}; ${describeRetry(attempt, delayMs, policy)}`,
        );
      },
    }).catch((error: unknown) => {
      if (isConnectionError(error)) this.dropConnection();
      throw describeMySqlError(error, this.target, what);
    });
  }

  private async connect(): Promise<mysql.Connection> {
    if (this.connection) return this.connection;
    const { feHost, mysqlPort, user, password } = this.config;
    const connection = await openSession(
      { host: feHost, port: mysqlPort, user, password, database: this.config.database, connectTimeout: 10_000 },
      () => {
        if (this.connection === connection) this.connection = undefined;
      },
      undefined,
    );
    this.connection = connection;
    return connection;
  }

  private dropConnection(): void {
    this.connection?.destroy();
    this.connection = undefined;
  }
}
