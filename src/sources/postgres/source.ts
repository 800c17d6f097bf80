import type pg from 'pg';
import { describeTable } from '../../connectors/postgres/catalog.js';
import { columnTypeOf } from '../../connectors/postgres/column-types.js';
import { type PostgresConnectionOptions, serverAddress } from '../../connectors/postgres/connection-options.js';
import { describePostgresError, type Target } from '../../connectors/postgres/errors.js';
import { displayName, qualifiedName, quoteIdentifier, type TableName } from '../../connectors/postgres/identifiers.js';
import { closeSession, openSession } from '../../connectors/postgres/session.js';
import { RuntimeError } from '../../core/errors.js';
import type { Offset, Row, Value } from '../../core/row.js';
import type { ColumnType, Schema } from '../../core/schema.js';
import type { Source, SourceContext } from '../../core/source.js';

/** The one offset: the table has been read. */
const READ: Offset = 1;

/**
 * The `postgres` table source, bounded, after `spark.read.jdbc(url, table)`: one batch with every row of the table,
 * then nothing more (offset 1 = "read"). Its main use is the static side of a stream-static join (user metadata
 * enriching device events); as a job source it suits an availableNow job. The declared schema is checked against the
 * table when the source opens: a missing column or one of another type is named with the table, the server and both
 * types, before any row is read. A replayed batch reads the table again (it may have changed meanwhile).
 */
export class PostgresTableSource implements Source {
  readonly replayable = true;
  readonly description: string;
  private client: pg.Client | undefined;
  private readonly target: Target;

  constructor(
    private readonly connection: PostgresConnectionOptions,
    private readonly table: TableName,
    readonly schema: Schema,
  ) {
    this.target = { role: 'source', server: serverAddress(connection), database: connection.database, table: displayName(table) };
    this.description = `PostgresTableSource[${this.target.server}/${connection.database}, ${displayName(table)}]`;
  }

  async open(_context: SourceContext): Promise<void> {
    try {
      this.client = await openSession(this.connection, () => {
        this.client = undefined; // an idle connection died: getBatch reports it
      });
      await this.checkTable(this.client);
    } catch (error) {
      await this.stop();
      throw describePostgresError(error, this.target, 'reading the table definition');
    }
  }

  latestOffset(): Offset {
    return READ;
  }

  async getBatch(start: Offset | null): Promise<Row[]> {
    if (start === READ) return [];
    if (!this.client)
      throw new RuntimeError(`postgres source: the connection to ${this.target.server} is closed (getBatch before open, or it died)`);
    const columns = this.schema.map((c) => quoteIdentifier(c.name)).join(', ');
    try {
      const result = await this.client.query<Record<string, unknown>>(`SELECT ${columns} FROM ${qualifiedName(this.table)}`);
      return result.rows.map((found) => {
        const row: Row = {};
        for (const column of this.schema) row[column.name] = (found[column.name] ?? null) as Value;
        return row;
      });
    } catch (error) {
      throw describePostgresError(error, this.target, 'reading the table');
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await closeSession(client);
  }

  /** Every declared column must be in the table with a type that reads as the declared one. */
  private async checkTable(client: pg.Client): Promise<void> {
    const info = await describeTable(client, this.table);
    const where = `${this.target.table} in database ${this.target.database} on ${this.target.server}`;
    if (!info) throw new RuntimeError(`postgres source: table ${where} does not exist`);
    const problems: string[] = [];
    for (const column of this.schema) {
      const found = info.columns.find((c) => c.name === column.name);
      if (!found) {
        problems.push(`column '${column.name}' is not in the table (its columns: ${info.columns.map((c) => c.name).join(', ')})`);
        continue;
      }
      const readsAs = columnTypeOf(found.type);
      if (!fits(readsAs, column.type)) {
        problems.push(
          `column '${column.name}' is ${found.type} in the table (${readsAs ? `reads as ${readsAs}` : 'no streamlab type reads it'}), but the schema declares it ${column.type}`,
        );
      }
    }
    if (problems.length > 0) throw new RuntimeError(`postgres source: ${where}: ${problems.join('; ')}`);
  }
}

/** A declared `any` takes every type; json columns (`any`) also serve declared arrays and structs. */
function fits(readsAs: ColumnType | undefined, declared: ColumnType): boolean {
  if (readsAs === undefined) return false;
  return declared === 'any' || readsAs === declared || (readsAs === 'any' && (declared === 'array' || declared === 'struct'));
}
