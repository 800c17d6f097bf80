import type cassandra from 'cassandra-driver';
import { RuntimeError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { describeRetry, withRetry } from '../../core/retry.js';
import type { Row } from '../../core/row.js';
import type { Sink, SinkContext } from '../../core/sink.js';
import type { ColumnBinding } from './columns.js';
import { connect, retryPolicy, type ConnectionConfig } from '../../connectors/cassandra/connection.js';
import { ValueError } from '../../connectors/cassandra/cql-types.js';
import { failOnBadRecord, type BadRecordHandler } from '../../core/bad-records.js';
import { createKeyspaceCql, createTableCql, suggestedDesign, type TableDesign } from './ddl.js';
import { describeCluster, describeRequestError, isRetriable, shortReason } from '../../connectors/cassandra/errors.js';
import { qualified, quote, tableName } from '../../connectors/cassandra/identifiers.js';
import { checkTable, missingTableMessage, type TablePlan } from './table.js';
import { RowIds } from './uuid.js';
import { BATCH_BYTES, executeRound, PartialFailure, planUnits, rowsIn, type Grouping } from './writer.js';

export interface CassandraSinkConfig {
  connection: ConnectionConfig;
  keyspace: string;
  table: string;
  bindings: ColumnBinding[];
  ttlSeconds?: number;
  concurrency: number;
  /** Most rows of one partition per unlogged batch; 1: every row alone. */
  batchSize: number;
  /** Set: create the keyspace (with this replication) and the table when missing. */
  create?: { design: TableDesign; replication: Record<string, string | number> };
}

/**
 * The `cassandra` sink. At open(): connect (retried while no node answers), create the keyspace and table if asked,
 * read the table's columns from the driver's metadata and check them against the rows (a missing column or a type
 * that cannot hold the values stops the job before any write). Per micro-batch: every row becomes the parameters of
 * one prepared INSERT (values checked and converted first, so a bad value stops the batch before anything of it is
 * written); rows that share a partition key go together as unlogged batches of that partition (writer.ts); the
 * requests are sent `concurrency` at a time, and `foreachBatch` resolves when Cassandra has acknowledged every one.
 *
 * Replays: an INSERT in Cassandra is an upsert of the row with that primary key. A replayed batch has the same rows,
 * so it overwrites what its first attempt wrote. Generated ids (`id: { generate: uuid }`) are derived from the query
 * id, the batchId and the row's index, so they too are the same on replay.
 *
 * Failures: requests that fail with a retriable error (no node reachable, timeouts, overload) are sent again after
 * a backoff, only those; INSERTs are idempotent, so a request that was applied but not acknowledged does no harm
 * when sent twice.
 */
export class CassandraSink implements Sink {
  readonly description: string;
  private client: cassandra.Client | undefined;
  private plan: TablePlan | undefined;
  private grouping: Grouping | undefined;
  private ids: RowIds | undefined;
  private logger: Logger = silentLogger;
  private badRecords: BadRecordHandler = failOnBadRecord;
  private readonly query: string;
  private readonly name: string;
  private readonly who = 'cassandra sink';

  constructor(private readonly config: CassandraSinkConfig) {
    const { keyspace, table, bindings, ttlSeconds } = config;
    this.name = tableName(keyspace, table);
    this.query =
      `INSERT INTO ${qualified(keyspace, table)} (${bindings.map((b) => quote(b.target)).join(', ')}) ` +
      `VALUES (${bindings.map(() => '?').join(', ')})${ttlSeconds ? ` USING TTL ${ttlSeconds}` : ''}`;
    const columns = bindings.map((b) =>
      b.source === undefined ? `${b.target}=uuid5` : b.source === b.target ? b.target : `${b.source}->${b.target}`,
    );
    this.description =
      `CassandraSink[${config.connection.contactPoints.join(',')}, ${this.name}, columns=${columns.join(',')}, ` +
      `consistency=${config.connection.consistency}, concurrency=${config.concurrency}, batchSize=${config.batchSize}${ttlSeconds ? `, ttl=${ttlSeconds}s` : ''}]`;
  }

  /** The INSERT statement every row is written with. */
  get statement(): string {
    return this.query;
  }

  async open(context: SinkContext): Promise<void> {
    this.logger = context.logger;
    this.badRecords = context.badRecords ?? failOnBadRecord;
    if (this.config.bindings.some((b) => b.type === 'id')) this.ids = new RowIds(context.queryId);
    this.client = await connect(this.config.connection, this.logger, this.who, context.failFast);
    try {
      this.plan = await this.prepareTable(this.client);
      const targets = this.config.bindings.map((b) => b.target);
      this.grouping = {
        partitionKey: this.plan.partitionKey.map((k) => targets.indexOf(k)),
        maxRows: this.config.batchSize,
        maxBytes: BATCH_BYTES,
      };
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    if (rows.length === 0) return;
    const { client, plan, grouping } = this;
    if (!client || !plan || !grouping) throw new RuntimeError(`${this.who}: foreachBatch before open()`);
    const params = this.parameters(rows, batchId, plan);
    if (params.length === 0) return; // every row was a bad record (skipped or dead-lettered)
    const units = planUnits(params, grouping);
    let pending: number[] | undefined;
    let attempts = 1;
    try {
      await withRetry(
        async () => {
          try {
            await executeRound(client, this.query, params, units, pending, this.config.concurrency);
          } catch (error) {
            if (error instanceof PartialFailure) pending = error.pending;
            throw error;
          }
        },
        retryPolicy(this.config.connection),
        {
          isRetriable: (error) => error instanceof PartialFailure,
          onRetry: (error, attempt, delayMs) => {
            attempts++;
            const failure = error as PartialFailure;
            this.logger.warn(
              `${this.who}: batch ${batchId}: ${rowsIn(units, failure.pending)} of ${rows.length} rows not written yet (${shortReason(failure.cause)}) ` +
                `at ${describeCluster(this.config.connection.contactPoints)}; ${describeRetry(attempt, delayMs, retryPolicy(this.config.connection))}`,
            );
          },
          ...(this.config.connection.retry?.sleep ? { sleep: this.config.connection.retry.sleep } : {}),
        },
      );
    } catch (error) {
      const cause = error instanceof PartialFailure ? error.cause : error;
      const unwritten =
        error instanceof PartialFailure
          ? ` (${rowsIn(units, error.pending)} of ${rows.length} rows not acknowledged after ${attempts} attempts)`
          : '';
      throw new RuntimeError(
        `${this.who}: ${describeRequestError(cause, this.config.connection.contactPoints, this.config.connection.username)}, while writing batch ${batchId} to ${this.name}${unwritten}. ` +
          'The batch is not committed: once the cause is fixed, restarting the job writes it again.',
        { cause },
      );
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.shutdown();
  }

  /**
   * Every row's INSERT parameters, checked and converted before anything is sent. A value the column cannot hold
   * (NaN in a decimal, a null in a key column) goes to the query's onBadRecord policy, naming batch, row and column:
   * `fail` stops the batch with nothing of it written; `skip` and `deadLetter` leave that row out.
   */
  private parameters(rows: Row[], batchId: number, plan: TablePlan): unknown[][] {
    const width = this.config.bindings.length;
    const params: unknown[][] = [];
    for (let r = 0; r < rows.length; r++) {
      const values = new Array(width);
      const unfit = this.convertRow(rows[r], r, batchId, plan, values);
      if (unfit === undefined) {
        params.push(values);
        continue;
      }
      this.badRecords.report({
        raw: rows[r],
        reason: unfit,
        where: `${this.who}: batch ${batchId}, row ${r + 1}`,
        position: { row: r },
      });
    }
    return params;
  }

  /** Fills `values` with row `r` converted for its columns; returns what is wrong (naming the column) when a value does not fit. */
  private convertRow(row: Row, r: number, batchId: number, plan: TablePlan, values: unknown[]): string | undefined {
    const { bindings } = this.config;
    const { converters, inKey } = plan;
    for (let c = 0; c < bindings.length; c++) {
      const source = bindings[c].source;
      const value = source === undefined ? this.ids!.id(batchId, r) : row[source];
      try {
        if (value === null || value === undefined) {
          if (inKey[c])
            throw new ValueError(
              `null, but "${bindings[c].target}" is part of the primary key of ${this.name}, which cannot hold null; filter such rows out (filter: "${source} IS NOT NULL")`,
            );
          values[c] = null;
        } else values[c] = converters[c](value);
      } catch (error) {
        if (!(error instanceof ValueError)) throw error;
        const binding = bindings[c];
        const column =
          binding.source === binding.target
            ? `column "${binding.target}"`
            : `column "${binding.source}" (table column "${binding.target}")`;
        return `${column}: ${error.message}`;
      }
    }
    return undefined;
  }

  /** Creates what `create` asks for, then reads and checks the table. */
  private async prepareTable(client: cassandra.Client): Promise<TablePlan> {
    const { keyspace, table, bindings, create } = this.config;
    const where = { keyspace, table, at: `${this.who} (${describeCluster(this.config.connection.contactPoints)})` };
    if (create) {
      const existed =
        Boolean(client.metadata.keyspaces[keyspace]) && (await client.metadata.getTable(keyspace, table).catch(() => null)) !== null;
      for (const statement of [createKeyspaceCql(keyspace, create.replication), createTableCql(keyspace, table, create.design)]) {
        await this.schemaChange(client, statement, where.at);
      }
      if (!existed) this.logger.info(`${this.who}: created ${this.name} (${createTableCql(keyspace, table, create.design)})`);
    } else if (!client.metadata.keyspaces[keyspace]) {
      throw new RuntimeError(missingTableMessage('keyspace', where, suggestedDesign(bindings)));
    }
    let metadata: cassandra.metadata.TableMetadata | null;
    try {
      metadata = await client.metadata.getTable(keyspace, table);
    } catch (error) {
      throw new RuntimeError(
        `${where.at}: cannot read the columns of ${this.name}: ${describeRequestError(error, this.config.connection.contactPoints, this.config.connection.username)}`,
        { cause: error },
      );
    }
    if (!metadata) {
      if (!client.metadata.keyspaces[keyspace]) throw new RuntimeError(missingTableMessage('keyspace', where, suggestedDesign(bindings)));
      throw new RuntimeError(missingTableMessage('table', where, suggestedDesign(bindings)));
    }
    return checkTable(bindings, metadata, where);
  }

  private async schemaChange(client: cassandra.Client, statement: string, at: string): Promise<void> {
    try {
      // Schema statements are not prepared; the driver waits for schema agreement before resolving.
      await withRetry(() => client.execute(statement, [], { prepare: false }), retryPolicy(this.config.connection), { isRetriable });
    } catch (error) {
      throw new RuntimeError(
        `${at}: ${describeRequestError(error, this.config.connection.contactPoints, this.config.connection.username)}, running: ${statement}`,
        { cause: error },
      );
    }
  }
}
