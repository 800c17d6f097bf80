import { z } from 'zod';

/**
 * SQL identifiers (database, table, column names) that come from configuration or from the input schema.
 *
 * Values are escaped by the driver, but identifiers cannot be passed as parameters: they are pasted into the SQL text.
 * So they are checked against a deliberately narrow pattern and then quoted with backticks. A name like
 * "x`; DROP TABLE y; --" is rejected at validation time, before anything connects.
 */
export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const IDENTIFIER_HELP = 'a plain SQL name: a letter or _, then letters, digits or _, at most 64 characters';

export function isIdentifier(name: string): boolean {
  return IDENTIFIER_PATTERN.test(name);
}

/** A string option that must be a plain identifier; the message says what is allowed. */
export function identifierOption(description: string) {
  return z
    .string()
    .regex(IDENTIFIER_PATTERN, { message: `expected ${IDENTIFIER_HELP}` })
    .describe(description);
}

/** `name` -> `` `name` ``. Throws on anything that is not a checked identifier: a programming error, not user input. */
export function quoteIdentifier(name: string): string {
  if (!isIdentifier(name)) throw new Error(`not a checked SQL identifier: ${JSON.stringify(name)}`);
  return `\`${name}\``;
}

/** `` `db`.`table` `` */
export function qualifiedName(database: string, table: string): string {
  return `${quoteIdentifier(database)}.${quoteIdentifier(table)}`;
}
