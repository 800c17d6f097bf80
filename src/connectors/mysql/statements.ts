import type { BadRecordHandler } from '../../core/bad-records.js';
import type { Row } from '../../core/row.js';
import type { ColumnBinding } from './columns.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';
import { literalFormatter, UnfitValueError, type LiteralFormatter } from './values.js';

/** One multi-row INSERT and the rows of the batch it covers, so server errors ("at row 3") can name the batch row. */
export interface Statement {
  sql: string;
  /** Index in the batch of the statement's first row. */
  firstRow: number;
  rowCount: number;
}

/** A row the sink could not turn into SQL, with its index in the batch. */
export class UnfitRowError extends Error {
  constructor(
    readonly unfit: UnfitValueError,
    readonly row: number,
  ) {
    super(`row ${row}, column ${unfit.column}: ${unfit.reason}`);
    this.name = 'UnfitRowError';
  }
}

export interface InsertShape {
  /** `INSERT INTO ... (...) VALUES ` */
  prefix: string;
  /** '' or ` ON DUPLICATE KEY UPDATE ...` */
  suffix: string;
  formatters: LiteralFormatter[];
  sources: string[];
}

/**
 * The fixed parts of the statements for a table. Upsert updates every written column from the new row
 * (`c = VALUES(c)`): on MySQL and MariaDB alike this touches only the row whose primary or unique key matched, and
 * setting a key column to its own value is a no-op. (MySQL 8.0.20+ warns that VALUES() is deprecated in favour of a
 * row alias, which MariaDB does not understand; VALUES() works on both.)
 */
export function insertShape(
  database: string,
  table: string,
  columns: readonly ColumnBinding[],
  mode: 'append' | 'upsert',
  /** Text between the table name and the column list, e.g. StarRocks' ` WITH LABEL x`. */
  afterTable = '',
): InsertShape {
  const names = columns.map((c) => quoteIdentifier(c.table));
  const prefix = `INSERT INTO ${qualifiedName(database, table)}${afterTable} (${names.join(', ')}) VALUES `;
  const suffix = mode === 'upsert' ? ` ON DUPLICATE KEY UPDATE ${names.map((n) => `${n} = VALUES(${n})`).join(', ')}` : '';
  return { prefix, suffix, formatters: columns.map((c) => literalFormatter(c.type, c.table)), sources: columns.map((c) => c.source) };
}

/**
 * Where each row that has a value the table cannot hold (NaN, infinity, a Date outside DATETIME) fails, by batch
 * index: checked before the transaction, so that each such row is reported once per batch however often the write is
 * retried, and also when the batch turns out to be a replay that writes nothing. Only numbers and Dates can be unfit,
 * so strings (whose escaping is the costly part) are not formatted twice.
 */
export function unfitRows(rows: readonly Row[], shape: InsertShape): Map<number, UnfitValueError> {
  const { formatters, sources } = shape;
  const unfit = new Map<number, UnfitValueError>();
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let c = 0; c < formatters.length; c++) {
      const value = row[sources[c]];
      if (typeof value !== 'number' && !(value instanceof Date)) continue;
      try {
        formatters[c](value);
      } catch (error) {
        if (!(error instanceof UnfitValueError)) throw error;
        unfit.set(r, error);
        break;
      }
    }
  }
  return unfit;
}

/**
 * The rows of a batch without those holding a value the table cannot hold, each of which goes to the query's
 * onBadRecord policy before anything is sent: `fail` stops the batch naming row and column; `skip` and `deadLetter`
 * leave it out. `sink` names the sink in messages (`mysql sink`); `table` is `database.table`.
 */
export function withoutUnfitRows(
  rows: Row[],
  shape: InsertShape,
  badRecords: BadRecordHandler,
  at: { sink: string; batchId: number; table: string },
): Row[] {
  const unfit = unfitRows(rows, shape);
  if (unfit.size === 0) return rows;
  for (const [r, error] of unfit) {
    badRecords.report({
      raw: rows[r],
      reason: `column ${error.column} of ${at.table}: ${error.reason}`,
      where: `${at.sink}: batch ${at.batchId}, row ${r + 1}`,
      position: { row: r },
    });
  }
  return rows.filter((_, r) => !unfit.has(r));
}

/**
 * Splits a batch into multi-row INSERTs of at most `maxRows` rows and about `maxChars` characters. Lazy on purpose:
 * the sink formats statement k+1 while the server executes statement k.
 */
export function* insertStatements(rows: readonly Row[], shape: InsertShape, maxRows: number, maxChars: number): Generator<Statement> {
  const { prefix, suffix, formatters, sources } = shape;
  const width = formatters.length;
  // Plain string concatenation: V8 builds ropes, flattened once when the driver writes the packet; measured faster
  // than collecting tuples in an array and joining them.
  let sql = prefix;
  let count = 0;
  let firstRow = 0;
  let r = 0;
  try {
    for (; r < rows.length; r++) {
      const row = rows[r];
      let tuple = formatters[0](row[sources[0]]);
      for (let c = 1; c < width; c++) tuple += `, ${formatters[c](row[sources[c]])}`;
      if (count > 0 && (count >= maxRows || sql.length + tuple.length + suffix.length + 4 > maxChars)) {
        yield { sql: sql + suffix, firstRow, rowCount: count };
        sql = prefix;
        count = 0;
        firstRow = r;
      }
      sql += count === 0 ? `(${tuple})` : `, (${tuple})`;
      count++;
    }
  } catch (error) {
    if (error instanceof UnfitValueError) throw new UnfitRowError(error, r);
    throw error;
  }
  if (count > 0) yield { sql: sql + suffix, firstRow, rowCount: count };
}
