import { z } from 'zod';

/**
 * Keyspace and table names go into CQL text (they cannot be bound parameters), so they are checked against
 * Cassandra's own rule for them (letters, digits and _, at most 48 characters) before anything connects, and
 * written double-quoted. Quoting keeps the name exactly as given: `table: WordCount` is the table "WordCount",
 * not wordcount (cqlsh folds unquoted names to lower case; the docs say so).
 */
export const NAME_PATTERN = /^[A-Za-z0-9_]{1,48}$/;
export const NAME_HELP = 'a Cassandra name: letters, digits and _, at most 48 characters';

export function nameOption(description: string) {
  return z
    .string()
    .regex(NAME_PATTERN, { message: `expected ${NAME_HELP}` })
    .describe(description);
}

/**
 * A CQL identifier, double-quoted, with quotes inside doubled: safe for any column name a row may have
 * (`timestamp`, `window.start`, names with spaces), and exact about case.
 */
export function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"keyspace"."table"` */
export function qualified(keyspace: string, table: string): string {
  return `${quote(keyspace)}.${quote(table)}`;
}

/**
 * A name as a person types it in cqlsh: bare when that reads back the same (lower case, not starting with a digit,
 * not a reserved word), quoted otherwise. Used in messages and suggested CQL only.
 */
export function readable(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : quote(name);
}

/** CQL's reserved words (cassandra.apache.org, "Appendix A: CQL Keywords"), which need quotes as names. */
const RESERVED = new Set(
  (
    'add allow alter and apply asc authorize batch begin by columnfamily create default delete desc describe drop ' +
    'entries execute from full grant if in index infinity insert into is keyspace limit materialized mbean mbeans ' +
    'modify nan norecursive not null of on or order primary rename replace revoke schema select set table to token ' +
    'truncate unlogged unset update use using view where with'
  ).split(' '),
);

/** `test.seq`, as one would type it in cqlsh. */
export function tableName(keyspace: string, table: string): string {
  return `${readable(keyspace)}.${readable(table)}`;
}
