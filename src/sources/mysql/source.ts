import type mysql from 'mysql2/promise';
import { driverError, isConnectionError } from '../../connectors/mysql/errors.js';
import { qualifiedName, quoteIdentifier } from '../../connectors/mysql/identifiers.js';
import { type ConnectOptions, openSession } from '../../connectors/mysql/session.js';
import { errorMessage, RuntimeError } from '../../core/errors.js';
import type { Offset, Row, Value } from '../../core/row.js';
import type { ColumnType, Schema } from '../../core/schema.js';
import type { Source, SourceContext } from '../../core/source.js';

/** The one offset: the table has been read. */
const READ: Offset = 1;

/**
 * The `mysql` table source (MySQL, MariaDB), bounded, after `spark.read.jdbc`: one batch with every row of the table,
 * then nothing more. Like the postgres source, it is the static side of a stream-static join; the declared schema is
 * checked against information_schema when it opens, naming a missing column or one of another type.
 */
export class MySqlTableSource implements Source {
  readonly replayable = true;
  readonly description: string;
  private connection: mysql.Connection | undefined;
  private readonly server: string;

  constructor(
    private readonly options: ConnectOptions & { database: string },
    private readonly table: string,
    readonly schema: Schema,
  ) {
    this.server = `${options.host}:${options.port}`;
    this.description = `MySqlTableSource[${this.server}, ${options.database}.${table}]`;
  }

  async open(_context: SourceContext): Promise<void> {
    try {
      this.connection = await openSession(this.options, () => {
        this.connection = undefined;
      });
      await this.checkTable(this.connection);
    } catch (error) {
      await this.stop();
      throw this.describe(error, 'reading the table definition');
    }
  }

  latestOffset(): Offset {
    return READ;
  }

  async getBatch(start: Offset | null): Promise<Row[]> {
    if (start === READ) return [];
    if (!this.connection)
      throw new RuntimeError(`mysql source: the connection to ${this.server} is closed (getBatch before open, or it died)`);
    const columns = this.schema.map((c) => quoteIdentifier(c.name)).join(', ');
    try {
      const [found] = await this.connection.query(`SELECT ${columns} FROM ${qualifiedName(this.options.database, this.table)}`);
      return (found as Record<string, unknown>[]).map((record) => {
        const row: Row = {};
        for (const column of this.schema) row[column.name] = toValue(record[column.name], column.type);
        return row;
      });
    } catch (error) {
      throw this.describe(error, 'reading the table');
    }
  }

  async stop(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.end().catch(() => connection.destroy());
  }

  private async checkTable(connection: mysql.Connection): Promise<void> {
    const [found] = await connection.query(
      'SELECT COLUMN_NAME AS name, DATA_TYPE AS type, COLUMN_TYPE AS full_type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      [this.options.database, this.table],
    );
    const columns = found as { name: string; type: string; full_type: string }[];
    const where = `${this.options.database}.${this.table} on ${this.server}`;
    if (columns.length === 0) throw new RuntimeError(`mysql source: table ${where} does not exist`);
    const problems: string[] = [];
    for (const column of this.schema) {
      const col = columns.find((c) => c.name === column.name);
      if (!col) problems.push(`column '${column.name}' is not in the table (its columns: ${columns.map((c) => c.name).join(', ')})`);
      else if (!fits(col.type.toLowerCase(), col.full_type.toLowerCase(), column.type)) {
        problems.push(`column '${column.name}' is ${col.full_type} in the table, but the schema declares it ${column.type}`);
      }
    }
    if (problems.length > 0) throw new RuntimeError(`mysql source: ${where}: ${problems.join('; ')}`);
  }

  private describe(error: unknown, doing: string): RuntimeError {
    if (error instanceof RuntimeError) return error;
    const e = driverError(error);
    const text = e.sqlMessage ?? errorMessage(error);
    if (isConnectionError(error))
      return new RuntimeError(
        `mysql source: cannot reach ${this.server} (${e.code ?? 'connection error'}): ${text}. Is the server running and the host/port right?`,
        { cause: error },
      );
    if (e.code?.startsWith('ER_ACCESS_DENIED'))
      return new RuntimeError(`mysql source: access denied by ${this.server}: ${text}. Check user and password.`, { cause: error });
    return new RuntimeError(`mysql source: ${this.server} refused ${doing} ${this.options.database}.${this.table}: ${text}`, {
      cause: error,
    });
  }
}

const INTEGER = ['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'year'];
const TEXT = ['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set'];

/** Which MySQL DATA_TYPEs read as each declared type (MariaDB's JSON is a longtext, so text serves json too). */
function fits(type: string, fullType: string, declared: ColumnType): boolean {
  switch (declared) {
    case 'any':
      return true;
    case 'long':
      return INTEGER.includes(type);
    case 'double':
      return ['double', 'float', 'decimal', 'real', ...INTEGER].includes(type);
    case 'string':
      return TEXT.includes(type);
    case 'boolean':
      return fullType.startsWith('tinyint(1)') || fullType === 'bit(1)';
    case 'timestamp':
      return ['datetime', 'timestamp', 'date'].includes(type);
    case 'array':
    case 'struct':
      return type === 'json' || TEXT.includes(type);
  }
}

/** The driver's value as the declared type: DECIMAL comes as text, BIGINT past 2^53 as text, MariaDB JSON as text. */
function toValue(raw: unknown, type: ColumnType): Value {
  if (raw === null || raw === undefined) return null;
  switch (type) {
    case 'long':
      return typeof raw === 'string' ? (Number.isSafeInteger(Number(raw)) ? Number(raw) : BigInt(raw)) : (raw as Value);
    case 'double':
      return Number(raw);
    case 'boolean':
      return raw instanceof Buffer ? raw[0] === 1 : raw === 1 || raw === true;
    case 'array':
    case 'struct':
      return typeof raw === 'string' ? (JSON.parse(raw) as Value) : (raw as Value);
    default:
      return raw as Value;
  }
}
