import { defineSink } from '../../component/definition.js';
import type { SinkBuildContext } from '../../component/definition.js';
import { ConfigError, type ConfigProblem } from '../../core/errors.js';
import { describeSchema, findColumn, type Column } from '../../core/schema.js';
import { PARTITION_COLUMN_TYPES } from './encode.js';
import { ParquetSinkOptions } from './options.js';
import { partitionNames, type PartitionSpec } from './partition.js';
import { ParquetSink } from './sink.js';

export { ParquetSinkOptions } from './options.js';
export { ParquetSink } from './sink.js';

/**
 * The `parquet` sink: the storage layer of the lambda architecture (Kafka -> Parquet partitioned by hour -> a batch
 * layer over the files). Each batch becomes one Parquet file per partition folder, named by batch id, so a replayed
 * batch overwrites its own files and the table never holds a batch twice. See `sink.ts` for the replay protocol,
 * `encode.ts` for the column types and `partition.ts` for the folder names.
 */
export const parquetSink = defineSink({
  type: 'parquet',
  summary: 'Parquet files in Hive-style partition folders (year=/month=/day=/hour=, col=value), one per batch and partition, replay-safe.',
  options: ParquetSinkOptions,
  examples: [
    { path: 'data/lake/rate', partitionBy: [{ time: 'timestamp', granularity: 'hour' }] },
    {
      path: 'data/lake/sensors',
      partitionBy: ['sensor', { time: 'timestamp', granularity: 'day' }],
      compression: 'gzip',
      rowGroupSize: 50000,
      maxRowsPerFile: 1000000,
    },
  ],
  create(options, context) {
    const { specs, columns } = checkPartitions(options.partitionBy, context);
    return new ParquetSink({
      path: options.path,
      partitionBy: specs,
      columns,
      codec: options.compression,
      rowGroupSize: options.rowGroupSize,
      maxRowsPerFile: options.maxRowsPerFile,
      queryName: context.queryName,
    });
  },
});

/**
 * Checks `partitionBy` against the input schema (all problems at once) and returns the specs and the columns that
 * stay inside the files: every input column but the plain partition columns, which live in the folder names only,
 * as Spark writes them. A time partition's timestamp column stays in the files (its folders are derived values).
 */
export function checkPartitions(
  partitionBy: ParquetSinkOptions['partitionBy'],
  context: Pick<SinkBuildContext, 'input' | 'location'>,
): { specs: PartitionSpec[]; columns: Column[] } {
  const { input, location } = context;
  const problems: ConfigProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ file: location.file, path: `${location.path}.${path}`, message });
  const specs: PartitionSpec[] = [];
  const folders = new Map<string, number>();

  partitionBy.forEach((entry, i) => {
    const spec: PartitionSpec =
      typeof entry === 'string' ? { kind: 'column', column: entry } : { kind: 'time', column: entry.time, granularity: entry.granularity };
    const where = typeof entry === 'string' ? `partitionBy[${i}]` : `partitionBy[${i}].time`;
    const column = findColumn(input, spec.column);
    if (!column) {
      problem(where, `unknown column "${spec.column}"; the input has: ${describeSchema(input) || '(no columns)'}`);
    } else if (spec.kind === 'time' && column.type !== 'timestamp') {
      problem(where, `a time partition needs a timestamp column, but "${spec.column}" is ${column.type}`);
    } else if (spec.kind === 'column' && !PARTITION_COLUMN_TYPES.includes(column.type)) {
      problem(
        where,
        column.type === 'timestamp'
          ? `"${spec.column}" is a timestamp: one folder per distinct instant is almost never wanted; use { time: ${spec.column}, granularity: hour }`
          : `"${spec.column}" is ${column.type}; partition columns must be string, long or boolean`,
      );
    }
    for (const name of partitionNames(spec)) {
      const earlier = folders.get(name);
      if (earlier !== undefined) problem(`partitionBy[${i}]`, `the folder level "${name}" is already produced by partitionBy[${earlier}]`);
      else folders.set(name, i);
      if (spec.kind === 'time' && findColumn(input, name)) {
        problem(
          `partitionBy[${i}]`,
          `the time partition's folder "${name}=" has the name of the input column "${name}", which stays in the files; Spark and pyarrow would read two columns of one name: rename the column first`,
        );
      }
    }
    specs.push(spec);
  });

  const folderColumns = new Set(specs.filter((s) => s.kind === 'column').map((s) => s.column));
  const columns = input.filter((c) => !folderColumns.has(c.name));
  if (columns.length === 0 && input.length > 0) {
    problem(
      'partitionBy',
      'every input column is a partition column, so the files would have no columns; keep at least one column out of partitionBy',
    );
  }
  if (input.length === 0) problem('partitionBy', 'the input has no columns to write');
  if (problems.length) throw new ConfigError(problems);
  return { specs, columns };
}
