import { coerce } from '../../component/coerce.js';
import type { Value } from '../../core/row.js';
import { findColumn, type Schema } from '../../core/schema.js';
import type { FolderFilter, ListedFile, PartitionValue } from './listing.js';
import { partitionValuesOf } from './listing.js';

export type PartitionLiteral = string | number | boolean | null;

/** The folders of one UTC hour as the parquet sink's time partition writes them: `2026-11-30T13` -> year=2026/.../hour=13. */
export function hourPartitions(hour: string): Record<string, string> {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/.exec(hour);
  if (!m) throw new Error(`expected an hour as YYYY-MM-DDTHH (UTC), e.g. 2026-11-30T13, found ${JSON.stringify(hour)}`);
  return { year: m[1], month: m[2], day: m[3], hour: m[4] };
}

/**
 * A partition folder's value as the schema declares its column (Spark casts the folder text to the user's type:
 * `hour=09` is 9 as a long, "09" as a string); a column the schema lacks keeps its text.
 */
export function partitionValue(value: PartitionValue, schema: Schema): { value: Value } | { error: string } {
  const column = findColumn(schema, value.name);
  if (!column || value.text === null) return { value: value.text };
  return coerce(value.text, column.type);
}

/**
 * Partition pruning, as Spark's `PruneFileSourcePartitions` does for a filter on partition columns: a folder
 * `name=value` whose name is listed in `wanted` is entered only when its value (read as the schema's type) is one of
 * the wanted ones. Returns the folder filter for the listing and a check that every wanted name is a folder level
 * of the files found (a misspelt name would otherwise prune nothing and read the whole table).
 */
export function pruner(
  wanted: Record<string, PartitionLiteral | PartitionLiteral[]>,
  schema: Schema,
): { keep: FolderFilter; unknownLevels(files: readonly ListedFile[]): string | undefined } {
  const allowed = new Map<string, Set<string>>();
  for (const [name, values] of Object.entries(wanted)) {
    const list = Array.isArray(values) ? values : [values];
    allowed.set(name, new Set(list.map((v) => keyOf(v === null ? { value: null } : partitionValue({ name, text: String(v) }, schema)))));
  }
  return {
    keep: (folder) => {
      const set = allowed.get(folder.name);
      return !set || set.has(keyOf(partitionValue(folder, schema)));
    },
    unknownLevels(files) {
      if (allowed.size === 0 || files.length === 0) return undefined;
      const levels = partitionValuesOf(files[0].path).map((v) => v.name);
      const missing = [...allowed.keys()].filter((n) => !levels.includes(n));
      if (missing.length === 0) return undefined;
      return `partitions names ${missing.map((n) => `'${n}'`).join(', ')}, but the table's partition folders are ${levels.length ? levels.map((n) => `${n}=`).join('/') : '(none)'} (e.g. ${files[0].path}): nothing would be pruned`;
    },
  };
}

/** Comparable text of a converted value; a value that does not convert matches nothing. */
function keyOf(result: { value: Value } | { error: string }): string {
  if ('error' in result) return '\u0000error';
  const v = result.value;
  return v instanceof Date ? `date:${v.getTime()}` : `${typeof v}:${String(v)}`;
}
