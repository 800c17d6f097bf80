import type { ConfigLocation } from '../../component/definition.js';
import { ConfigError, type ConfigProblem } from '../../core/errors.js';
import { describeSchema, findColumn, type ColumnType, type Schema } from '../../core/schema.js';

/** One table column the sink writes, and where its values come from. */
export interface ColumnBinding {
  /** Column name in the table. */
  target: string;
  /** Input column that fills it; undefined for the generated id. */
  source?: string;
  /** The input column's type; `id` for the generated uuid. */
  type: ColumnType | 'id';
}

/**
 * The columns the sink writes, in INSERT order: the `columns` mapping (input -> table) or every input column under
 * its own name, then the generated id if asked for. Checked against the input schema at build time, every problem
 * at once; the table itself is checked at open().
 */
export function bindColumns(
  input: Schema,
  mapping: Record<string, string> | undefined,
  idColumn: string | undefined,
  location: ConfigLocation,
): ColumnBinding[] {
  const problems: ConfigProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ file: location.file, path: `${location.path}.${path}`, message });
  const has = () => describeSchema(input) || '(no columns)';
  const bindings: ColumnBinding[] = [];

  if (mapping === undefined) {
    for (const column of input) bindings.push({ target: column.name, source: column.name, type: column.type });
  } else {
    const entries = Object.entries(mapping);
    if (entries.length === 0) problem('columns', 'maps no column; leave it out to write every input column under its own name');
    for (const [source, target] of entries) {
      const column = findColumn(input, source);
      if (!column) problem(`columns.${source}`, `unknown input column "${source}"; the input has: ${has()}`);
      else bindings.push({ target, source, type: column.type });
    }
  }
  if (idColumn !== undefined) {
    const clash = bindings.find((b) => b.target === idColumn);
    if (clash) {
      problem(
        'id.column',
        `the table column "${idColumn}" is already filled by the input column "${clash.source}"; name another id column (id.column) or map "${clash.source}" elsewhere with columns`,
      );
    }
    bindings.push({ target: idColumn, type: 'id' });
  }
  const seen = new Map<string, string>();
  for (const binding of bindings) {
    const first = seen.get(binding.target);
    if (first !== undefined && binding.type !== 'id')
      problem('columns', `the table column "${binding.target}" is filled twice (from "${first}" and "${binding.source}")`);
    seen.set(binding.target, binding.source ?? 'id');
  }
  if (bindings.length === 0 && problems.length === 0) problem('columns', `nothing to write: the input has no columns (${has()})`);
  if (problems.length) throw new ConfigError(problems);
  return bindings;
}
