import { z } from 'zod';

/**
 * SQL identifiers (schema, table and column names) from configuration or from the input schema. They cannot be
 * passed as parameters, so they are checked against a deliberately narrow pattern, then double-quoted: a name is
 * then taken exactly as written, case included (PostgreSQL folds unquoted names to lower case, so write them in lower
 * case to reach tables made by unquoted SQL). `x"; DROP TABLE y; --` is refused before anything connects.
 */
export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export const IDENTIFIER_HELP = 'a plain SQL name: a letter or _, then letters, digits or _, at most 63 characters';

export const isIdentifier = (name: string): boolean => IDENTIFIER_PATTERN.test(name);

/** `"name"`. Throws on anything that is not a checked identifier: a programming error, not user input. */
export function quoteIdentifier(name: string): string {
  if (!isIdentifier(name)) throw new Error(`not a checked SQL identifier: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/** A table as `name` (in schema `public`) or `schema.name`. */
export interface TableName {
  schema: string;
  name: string;
}

const TABLE_PATTERN = /^(?:([A-Za-z_][A-Za-z0-9_]{0,62})\.)?([A-Za-z_][A-Za-z0-9_]{0,62})$/;

/** The `table` option: `bytes` or `analytics.bytes`, parsed into schema and name. */
export function tableOption(description: string) {
  return z
    .string()
    .regex(TABLE_PATTERN, { message: `expected a table name or schema.table, each ${IDENTIFIER_HELP}` })
    .describe(description);
}

export function parseTableName(text: string): TableName {
  const match = TABLE_PATTERN.exec(text);
  if (!match) throw new Error(`not a checked table name: ${JSON.stringify(text)}`);
  return { schema: match[1] ?? 'public', name: match[2] };
}

/** `"schema"."name"` */
export const qualifiedName = (table: TableName): string => `${quoteIdentifier(table.schema)}.${quoteIdentifier(table.name)}`;

/** `schema.name` for messages. */
export const displayName = (table: TableName): string => `${table.schema}.${table.name}`;
