import type { Column } from '../../core/schema.js';
import { canHold, postgresType } from '../../connectors/postgres/column-types.js';
import type { TableInfo } from '../../connectors/postgres/catalog.js';

/**
 * What is wrong with an existing table for the rows the sink writes, one line per problem, every problem at once:
 * an input column the table lacks, a column whose type cannot hold the input's values (named with both types), a
 * NOT NULL column without a default that the input does not fill, and in update mode a key that no primary key or
 * unique constraint covers exactly (ON CONFLICT needs one).
 */
export function tableProblems(info: TableInfo, input: readonly Column[], key: readonly string[] | undefined): string[] {
  const problems: string[] = [];
  const byName = new Map(info.columns.map((c) => [c.name, c]));
  for (const column of input) {
    const existing = byName.get(column.name);
    if (!existing)
      problems.push(`it has no column ${column.name} (input column ${column.name}: ${column.type}, would be ${postgresType(column.type)})`);
    else if (!canHold(existing.type, column.type))
      problems.push(
        `column ${column.name} is ${existing.type}, which cannot hold the input's ${column.type} values (make it ${postgresType(column.type)})`,
      );
  }
  const written = new Set(input.map((c) => c.name));
  for (const column of info.columns) {
    if (column.notNull && !column.hasDefault && !written.has(column.name))
      problems.push(`column ${column.name} is NOT NULL without a default, and the input has no column ${column.name} to fill it`);
  }
  if (key) {
    const wanted = [...key].sort().join(',');
    if (!info.uniqueKeys.some((k) => [...k].sort().join(',') === wanted)) {
      const existing = info.uniqueKeys.map((k) => `(${k.join(', ')})`).join(', ') || 'none';
      problems.push(
        `update mode upserts by (${key.join(', ')}), but no primary key or unique constraint covers exactly these columns (it has: ${existing}); add one, e.g. ALTER TABLE ... ADD PRIMARY KEY (${key.join(', ')})`,
      );
    }
  }
  return problems;
}
