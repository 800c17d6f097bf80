/**
 * Rows and batches: the data model every source, operator and sink shares.
 *
 * A row is a plain object keyed by column name. Timestamps are `Date` objects (Spark's TimestampType), so sinks
 * that know about time (InfluxDB, Cassandra, MySQL, Parquet) can map them without guessing from numbers.
 * Operators work on whole batches (arrays of rows), which keeps the per-row cost near a plain loop.
 */
export type Scalar = string | number | boolean | bigint | Date | null;
export type Value = Scalar | Value[] | { [key: string]: Value };
export type Row = Record<string, Value>;

/** An offset as a source reports it: any JSON value the source can compare and resume from. */
export type Offset = number | string | boolean | null | Offset[] | { [key: string]: Offset };
