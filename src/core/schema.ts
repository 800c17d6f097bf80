/**
 * Column schemas, after Spark's StructType: sources declare the columns they produce and every operator derives
 * its output schema from its input, so a job can be checked (unknown columns, wrong types) and explained before
 * any row flows. `any` is the escape hatch for columns whose type is only known at run time (e.g. parsed JSON).
 */
export type ColumnType = 'string' | 'long' | 'double' | 'boolean' | 'timestamp' | 'array' | 'struct' | 'any';

export interface Column {
  name: string;
  type: ColumnType;
}

export type Schema = readonly Column[];

export function columnNames(schema: Schema): string[] {
  return schema.map((c) => c.name);
}

export function findColumn(schema: Schema, name: string): Column | undefined {
  return schema.find((c) => c.name === name);
}

/** Replaces a column of the same name in place, or appends it: Spark's `withColumn`. */
export function withColumn(schema: Schema, column: Column): Schema {
  const index = schema.findIndex((c) => c.name === column.name);
  if (index < 0) return [...schema, column];
  const copy = [...schema];
  copy[index] = column;
  return copy;
}

/** `timestamp: timestamp, value: long` — for explain and messages. */
export function describeSchema(schema: Schema): string {
  return schema.map((c) => `${c.name}: ${c.type}`).join(', ');
}
