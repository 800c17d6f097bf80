import type cassandra from 'cassandra-driver';
import { RuntimeError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { describeRetry, withRetry } from '../../core/retry.js';
import type { Offset, Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { Source, SourceContext } from '../../core/source.js';
import { connect, retryPolicy, type ConnectionConfig } from '../../connectors/cassandra/connection.js';
import type { CqlType } from '../../connectors/cassandra/cql-types.js';
import { describeCluster, describeRequestError, isRetriable, shortReason } from '../../connectors/cassandra/errors.js';
import { qualified, quote, readable, tableName } from '../../connectors/cassandra/identifiers.js';
import { decoderFor, readIncompatibility, type Decoder } from './values.js';

export interface CassandraSourceConfig {
  connection: ConnectionConfig;
  keyspace: string;
  table: string;
  schema: Schema;
  /** CQL after WHERE, as written by the user. */
  where?: string;
}

/** The one offset: the table has been read. */
const READ: Offset = 1;

/**
 * The `cassandra` source, bounded, after `spark.read.format("org.apache.spark.sql.cassandra")`: one batch with every
 * row of the table (or those matching `where`), then nothing more. Its offset says only "read" (1): the first batch
 * is (null, 1], and after it commits there is nothing new, so an availableNow job stops there.
 *
 * Replayable in the engine's sense: a replayed batch reads the table again. If the table changed in between, the
 * replay sees the new rows; a job that must see exactly the same rows copies them elsewhere first.
 */
export class CassandraSource implements Source {
  readonly replayable = true;
  readonly description: string;
  readonly schema: Schema;
  private client: cassandra.Client | undefined;
  private decoders: Decoder[] = [];
  private logger: Logger = silentLogger;
  private readonly query: string;
  private readonly name: string;
  private readonly who = 'cassandra source';

  constructor(private readonly config: CassandraSourceConfig) {
    const { keyspace, table, schema, where } = config;
    this.schema = schema;
    this.name = tableName(keyspace, table);
    this.query = `SELECT ${schema.map((c) => quote(c.name)).join(', ')} FROM ${qualified(keyspace, table)}${where ? ` WHERE ${where}` : ''}`;
    this.description = `CassandraSource[${config.connection.contactPoints.join(',')}, ${this.name}${where ? `, where ${where}` : ''}]`;
  }

  /** The SELECT statement the table is read with. */
  get statement(): string {
    return this.query;
  }

  async open(context: SourceContext): Promise<void> {
    this.logger = context.logger;
    this.client = await connect(this.config.connection, this.logger, this.who, context.failFast);
    try {
      this.decoders = await this.checkTable(this.client);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  latestOffset(): Offset {
    return READ;
  }

  async getBatch(start: Offset | null): Promise<Row[]> {
    if (start === READ) return [];
    const client = this.client;
    if (!client) throw new RuntimeError(`${this.who}: getBatch before open()`);
    try {
      return await withRetry(() => this.readAll(client), retryPolicy(this.config.connection), {
        isRetriable,
        onRetry: (error, attempt, delayMs) =>
          this.logger.warn(
            `${this.who}: reading ${this.name} failed (${shortReason(error)}); ${describeRetry(attempt, delayMs, retryPolicy(this.config.connection))}`,
          ),
        ...(this.config.connection.retry?.sleep ? { sleep: this.config.connection.retry.sleep } : {}),
      });
    } catch (error) {
      const { contactPoints, username } = this.config.connection;
      throw new RuntimeError(
        `${this.who}: ${describeRequestError(error, contactPoints, username)}, while reading ${this.name} (${this.query})`,
        { cause: error },
      );
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.shutdown();
  }

  /** Every page of the result, decoded into rows of the declared schema. */
  private async readAll(client: cassandra.Client): Promise<Row[]> {
    const names = this.schema.map((c) => c.name);
    const decoders = this.decoders;
    const rows: Row[] = [];
    let pageState: string | undefined;
    do {
      const result = await client.execute(this.query, [], { prepare: true, isIdempotent: true, pageState });
      for (const found of result.rows) {
        const row: Row = {};
        for (let i = 0; i < names.length; i++) row[names[i]] = decoders[i](found.get(i));
        rows.push(row);
      }
      pageState = result.pageState ?? undefined;
    } while (pageState);
    return rows;
  }

  /** The declared schema against the table's columns: each must exist and be readable as its declared type. */
  private async checkTable(client: cassandra.Client): Promise<Decoder[]> {
    const { keyspace, table, schema } = this.config;
    const at = `${this.who} (${describeCluster(this.config.connection.contactPoints)})`;
    if (!client.metadata.keyspaces[keyspace]) throw new RuntimeError(`${at}: the keyspace ${readable(keyspace)} does not exist`);
    const metadata = await client.metadata.getTable(keyspace, table);
    if (!metadata) throw new RuntimeError(`${at}: the table ${this.name} does not exist`);
    const has = metadata.columns.map((c) => c.name).join(', ');
    const problems: string[] = [];
    const decoders = schema.map((column) => {
      const found = metadata.columnsByName[column.name];
      if (!found) {
        problems.push(`${this.name} has no column "${column.name}" (it has: ${has})`);
        return decoderFor({ code: 0 }, 'any');
      }
      const why = readIncompatibility(found.type as CqlType, column.type);
      if (why) problems.push(`column "${column.name}": ${why}`);
      return decoderFor(found.type as CqlType, column.type);
    });
    if (problems.length) {
      throw new RuntimeError(
        `${at}: the schema does not fit ${this.name}:${problems.length === 1 ? ` ${problems[0]}` : problems.map((p) => `\n  - ${p}`).join('')}`,
      );
    }
    return decoders;
  }
}
