import type { ComponentConfig } from '../../config/load-job.js';
import type { Translation } from './context.js';
import { comment, py } from './python.js';
import { refuse } from './refusal.js';
import { ddlSchema } from './sources.js';
import { sqlColumn } from './spark-sql.js';

const HOUR_FOLDERS = ['year', 'month', 'day', 'hour'] as const;

/**
 * The body of `read_stream(spark)` for the parquet source: Spark's streaming Parquet reader over the table folder
 * (basePath, so that partition folders become columns), narrowed to one hour's folder when `hour` is set, then the
 * schema's columns in the schema's order (Spark adds partition columns the schema does not name).
 */
export function parquetSource(source: ComponentConfig, o: Record<string, unknown>, _t: Translation): string[] {
  if (Object.keys(o.partitions as object).length > 0) {
    refuse(source, 'the parquet source with partitions has no translation yet (hour has: the folders are its path)');
  }
  if (o.ignoreCorruptFiles) refuse(source, 'the parquet source with ignoreCorruptFiles has no translation yet');
  const schema = o.schema as Record<string, string>;
  const path = o.path as string;
  const hour = o.hour as string | undefined;
  const lines: string[] = [];
  let folder = `os.path.abspath(${py(path)})`;
  if (hour !== undefined) {
    // 2026-11-30T13 -> year=2026/month=11/day=30/hour=13, the folders the parquet sink writes
    const values = hour.split(/[-T]/);
    const below = HOUR_FOLDERS.map((name, i) => `${name}=${values[i]}`).join('/');
    lines.push(...comment(`hour: ${hour} -> only the folder ${below} is read (streamlab lists no other)`, '    '));
    folder = `os.path.join(os.path.abspath(${py(path)}), ${py(below)})`;
  }
  lines.push(
    '    return (',
    '        spark.readStream',
    `        .schema(${py(ddlSchema(source, schema))})`,
    ...comment('partition folders (hour=13) become columns, named from the table folder down', '        '),
    `        .option("basePath", os.path.abspath(${py(path)}))`,
  );
  if (o.maxFilesPerBatch !== undefined) lines.push(`        .option("maxFilesPerTrigger", ${o.maxFilesPerBatch})`);
  lines.push(
    `        .option("maxFileAge", ${py(`${Math.round((o.maxFileAge as number) / 1000)}s`)})`,
    `        .parquet(${folder})`,
    `        .select(${Object.keys(schema)
      .map((c) => py(sqlColumn(c)))
      .join(', ')})`,
    '    )',
  );
  return lines;
}
