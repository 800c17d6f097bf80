import { ConfigError } from '../core/errors.js';
import type { ConfigLocation } from './definition.js';
import type { Column, ColumnType } from '../core/schema.js';

/**
 * The declared `schema` of a database table source as columns, refused (naming the option) when it is empty or names
 * a column the database's identifier rules would not take; `identifier` and `help` are the database's own rules.
 */
export function tableColumns(
  declared: Record<string, ColumnType>,
  location: ConfigLocation,
  identifier: { test(name: string): boolean; help: string },
): Column[] {
  const columns = Object.entries(declared).map(([name, type]) => ({ name, type }));
  const bad = columns.filter((c) => !identifier.test(c.name)).map((c) => c.name);
  if (columns.length === 0 || bad.length > 0) {
    throw ConfigError.single({
      file: location.file,
      path: `${location.path}.schema`,
      message: bad.length
        ? `column name(s) ${bad.join(', ')}: expected ${identifier.help}`
        : 'name at least one column to read, e.g. { id: string }',
    });
  }
  return columns;
}
