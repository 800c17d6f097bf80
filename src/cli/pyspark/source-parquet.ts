import type { ComponentConfig } from '../../config/load-job.js';
import type { Translation } from './context.js';
import { comment, py } from './python.js';
import { refuse } from './refusal.js';
import { ddlSchema } from './sources.js';
import { sqlColumn } from './spark-sql.js';

const HOUR_FOLDERS = ['year', 'month', 'day', 'hour'] as const;

/**
 * The body of `read_stream(spark)` for the parquet source: Spark's streaming Parquet reader over the table folder
 * (partition folders become columns), filtered to one hour's folder values when `hour` is set, then the
 * schema's columns in the schema's order. Without `hour`, the schema must name every partition folder of the table,
 * as Spark's reader requires.
 */
export function parquetSource(source: ComponentConfig, o: Record<string, unknown>, _t: Translation): string[] {
  if (Object.keys(o.partitions as object).length > 0) {
    refuse(source, 'the parquet source with partitions has no translation yet (hour has: the folders are its path)');
  }
  if (o.ignoreCorruptFiles) refuse(source, 'the parquet source with ignoreCorruptFiles has no translation yet');
  const schema = o.schema as Record<string, string>;
  // Spark reads the partition folders below basePath as columns and wants every one of them in a given schema (its
  // Parquet reader asserts it): the hour's four folders are added, and dropped again by the select below.
  const read: Record<string, string> =
    o.hour === undefined
      ? schema
      : { ...schema, ...Object.fromEntries(HOUR_FOLDERS.filter((f) => !(f in schema)).map((f) => [f, 'long'])) };
  const path = o.path as string;
  const hour = o.hour as string | undefined;
  const lines: string[] = [];
  let where = '';
  if (hour !== undefined) {
    // 2026-11-30T13 -> year=2026/month=11/day=30/hour=13, the folders the parquet sink writes
    const values = hour.split(/[-T]/).map(Number);
    where = HOUR_FOLDERS.map((name, i) => `(${name} = ${values[i]})`).join(' AND ');
    lines.push(...comment(`hour: ${hour} -> the rows of the folder ${HOUR_FOLDERS.map((n, i) => `${n}=${values[i]}`).join('/')}`, '    '));
    lines.push(...comment('(Spark lists the whole table and filters; streamlab lists that folder only)', '    '));
  }
  lines.push('    return (', '        spark.readStream', `        .schema(${py(ddlSchema(source, read))})`);
  if (o.maxFilesPerBatch !== undefined) lines.push(`        .option("maxFilesPerTrigger", ${o.maxFilesPerBatch})`);
  lines.push(
    `        .option("maxFileAge", ${py(`${Math.round((o.maxFileAge as number) / 1000)}s`)})`,
    ...comment('partition folders (hour=13) become columns', '        '),
    `        .parquet(os.path.abspath(${py(path)}))`,
    ...(where ? [`        .where(${py(where)})`] : []),
    `        .select(${Object.keys(schema)
      .map((c) => py(sqlColumn(c)))
      .join(', ')})`,
    '    )',
  );
  return lines;
}
