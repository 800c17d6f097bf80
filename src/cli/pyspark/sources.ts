import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { ComponentConfig } from '../../config/load-job.js';
import type { SourceDefinition } from '../../component/definition.js';
import { findComponent, sources } from '../../registry.js';
import type { Translation } from './context.js';
import { comment, py } from './python.js';
import { refuse } from './refusal.js';
import { kafkaSource } from './source-kafka.js';
import { parquetSource } from './source-parquet.js';
import { sqlColumn } from './spark-sql.js';
import { postgresTable } from './table-postgres.js';

type Options = Record<string, unknown>;

const DDL_TYPES: Record<string, string> = {
  string: 'STRING',
  long: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
};

/** A streamlab schema `{ name: type }` as Spark's DDL text, `timestamp TIMESTAMP, word STRING`. */
export function ddlSchema(component: Pick<ComponentConfig, 'yaml' | 'path'>, schema: Record<string, string>): string {
  return Object.entries(schema)
    .map(([name, type]) => {
      const ddl = DDL_TYPES[type];
      if (!ddl) refuse(component, `column '${name}' of type ${type} has no Spark DDL type here`);
      return `${sqlColumn(name)} ${ddl}`;
    })
    .join(', ');
}

/** Spark reads only the file names streamlab reads (it would take every file otherwise). */
const GLOBS: Record<string, string> = { json: '*.{json,jsonl,ndjson}', csv: '*.csv' };

/** The body of `read_stream(spark)`: the job's source as `spark.readStream`. */
export function translateSource(source: ComponentConfig<SourceDefinition>, t: Translation): string[] {
  const o = source.options as Options;
  const lines = [...t.origin(source)];
  switch (source.definition.type) {
    case 'file':
      lines.push(
        ...comment("Spark's file source takes new files by modification time, streamlab by name: write them in name order", '    '),
      );
      lines.push('    return (', '        spark.readStream', ...fileReader(source, o, t.cwd), '    )');
      return lines;
    case 'rate':
      lines.push('    return (', '        spark.readStream.format("rate")');
      lines.push(`        .option("rowsPerSecond", ${o.rowsPerSecond})`);
      if (o.rampUpTime) lines.push(`        .option("rampUpTime", "${Math.round((o.rampUpTime as number) / 1000)}s")`);
      lines.push('        .load()', '    )');
      return lines;
    case 'socket':
      lines.push(...comment("like streamlab's, Spark's socket source is not replayable: for learning, not for production", '    '));
      lines.push('    return (', '        spark.readStream.format("socket")');
      lines.push(`        .option("host", ${py(o.host as string)})`, `        .option("port", ${o.port})`);
      if (o.includeTimestamp) lines.push('        .option("includeTimestamp", True)');
      lines.push('        .load()', '    )');
      return lines;
    case 'kafka':
      return [...lines, ...kafkaSource(source, o, t)];
    case 'parquet':
      return [...lines, ...parquetSource(source, o, t)];
    default: {
      // Spark reads these too (format("kafka") with spark-sql-kafka, format("parquet"), spark.read.jdbc): the
      // translation is what is missing, not a counterpart.
      const type = source.definition.type;
      if (SPARK_READS[type]) {
        return refuse(
          source,
          `source '${type}' has no PySpark translation yet (Spark reads it with ${SPARK_READS[type]}; translated: file, rate, socket, kafka, parquet)`,
        );
      }
      return refuse(
        source,
        `source '${type}' has no Spark counterpart (translatable sources: file, rate, socket, kafka, parquet); write its data to files or Kafka and read those`,
      );
    }
  }
}

/** Sources Spark has its own reader for, that the export does not translate yet. */
const SPARK_READS: Record<string, string> = {
  postgres: 'spark.read.jdbc',
  mysql: 'spark.read.jdbc',
};

/** `.schema(...).option(...).json(path)`: the reader chain of a file source (stream or static). */
function fileReader(component: Pick<ComponentConfig, 'yaml' | 'path'>, o: Options, cwd: string): string[] {
  const format = o.format as string;
  const lines = [`        .schema(${py(ddlSchema(component, o.schema as Record<string, string>))})`];
  if (format === 'csv') lines.push(`        .option("header", ${o.header ? 'True' : 'False'})`);
  if (o.maxFilesPerBatch !== undefined) lines.push(`        .option("maxFilesPerTrigger", ${o.maxFilesPerBatch})`);
  // Spark's file source reads a folder only: a single file is read as its folder, filtered to the file's name.
  const path = o.path as string;
  const single = isFile(resolve(cwd, path), format);
  lines.push(`        .option("pathGlobFilter", ${py(single ? basename(path) : GLOBS[format])})`);
  lines.push(`        .${format}(os.path.abspath(${py(single ? dirname(path) || '.' : path)}))`);
  return lines;
}

/** As streamlab decides at run time: a path that is a file; one that does not exist yet, by its extension. */
function isFile(path: string, format: string): boolean {
  if (existsSync(path)) return statSync(path).isFile();
  return format === 'csv' ? /\.csv$/i.test(path) : /\.(json|jsonl|ndjson)$/i.test(path);
}

/** The static side of a join: the same reader, as a batch read (`df.sparkSession.read`). */
export function staticTable(component: ComponentConfig, reference: Options, t: Translation): string {
  if (reference.type === 'postgres') return postgresTable(component, reference, t);
  if (reference.type !== 'file') {
    return refuse(component, `join with a '${String(reference.type)}' table has no translation yet (a file or postgres table has)`);
  }
  const { type: _type, ...rest } = reference;
  const parsed = findComponent(sources, 'file')!.options.safeParse(rest);
  if (!parsed.success) return refuse(component, 'the join table is not a valid file source');
  const lines = fileReader(component, parsed.data as Options, t.cwd).map((l) => l.trim());
  return `df.sparkSession.read${lines.join('')}`;
}
