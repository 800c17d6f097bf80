import type { ConfigLocation } from '../../component/definition.js';
import { ConfigError, type ConfigProblem } from '../../core/errors.js';
import { describeSchema, findColumn, type ColumnType, type Schema } from '../../core/schema.js';
import { IDENTIFIER_HELP, isIdentifier } from './identifiers.js';

/** One column of the target table and the input column that fills it. */
export interface ColumnBinding {
  /** Column name in the table (a checked identifier). */
  table: string;
  /** Column name in the rows the sink receives. */
  source: string;
  type: ColumnType;
}

/**
 * The `columns` option, shared by the mysql and starrocks sinks: `{ tableColumn: inputColumn, ... }`, in table order.
 * Without it every input column goes to the table column of the same name. All problems are reported at once, each
 * at `<sink path>.columns...` in the job file.
 */
export function bindColumns(input: Schema, mapping: Record<string, string> | undefined, location: ConfigLocation): ColumnBinding[] {
  const problems: ConfigProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ file: location.file, path: `${location.path}.${path}`, message });
  const bindings: ColumnBinding[] = [];

  if (mapping === undefined) {
    if (input.length === 0) problem('columns', 'the input has no columns to write');
    for (const column of input) {
      if (isIdentifier(column.name)) bindings.push({ table: column.name, source: column.name, type: column.type });
      else
        problem(
          'columns',
          `the input column "${column.name}" is not ${IDENTIFIER_HELP}; map it to a table column, e.g. columns: { my_name: "${column.name}" }`,
        );
    }
  } else {
    const entries = Object.entries(mapping);
    if (entries.length === 0) problem('columns', 'maps no column; leave it out to write every input column under its own name');
    for (const [table, source] of entries) {
      const column = findColumn(input, source);
      if (!isIdentifier(table)) problem(`columns.${table}`, `the table column name "${table}" is not ${IDENTIFIER_HELP}`);
      else if (!column)
        problem(`columns.${table}`, `unknown input column "${source}"; the input has: ${describeSchema(input) || '(no columns)'}`);
      else bindings.push({ table, source, type: column.type });
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return bindings;
}
