import type { ComponentConfig } from '../../config/load-job.js';
import type { SinkDefinition } from '../../component/definition.js';
import type { Translation } from './context.js';
import { foreachBatchSink } from './foreach-batch.js';
import { kafkaSink } from './sink-kafka.js';
import { comment, py } from './python.js';
import { refuse } from './refusal.js';

type Options = Record<string, unknown>;

/**
 * The sink as the tail of `df.writeStream`: Spark's own sink where it has one (console, memory, json/csv files,
 * parquet), else `foreachBatch(write_batch)` with the service's Python client (see foreach-batch.ts). Returns the
 * writer lines and, for foreachBatch sinks, the `write_batch` function.
 */
export interface SinkCode {
  /** Lines after `df.writeStream` (`.format(...)`, `.option(...)`). */
  writer: string[];
  /** Module-level functions the writer uses (`write_batch`). */
  functions: string[];
  /** Lines run on `df` just before writing (columns the sink needs, e.g. partition folders). */
  prepare?: string[];
}

export function translateSink(sink: ComponentConfig<SinkDefinition>, t: Translation): SinkCode {
  const o = sink.options as Options;
  const origin = t.origin(sink, '        ');
  switch (sink.definition.type) {
    case 'console': {
      const writer = [...origin, '        .format("console")', `        .option("numRows", ${o.numRows})`];
      writer.push(`        .option("truncate", ${o.truncate ? 'True' : 'False'})`);
      return { writer, functions: [] };
    }
    case 'memory':
      return {
        writer: [...origin, '        .format("memory")', `        .queryName(${py((o.queryName as string) ?? t.job.name)})`],
        functions: [],
      };
    case 'file':
      appendOnly(sink, t, 'file');
      return {
        writer: [
          ...origin,
          ...comment("Spark's file sink: exactly-once through its _spark_metadata log (streamlab: one file per batch id)", '        '),
          `        .format(${py(o.format === 'csv' ? 'csv' : 'json')})`,
          ...(o.format === 'csv' ? [`        .option("header", ${o.header ? 'True' : 'False'})`] : []),
          `        .option("path", os.path.abspath(${py(o.path as string)}))`,
        ],
        functions: [],
      };
    case 'parquet':
      appendOnly(sink, t, 'parquet');
      return parquet(o, origin);
    case 'kafka':
      return kafkaSink(sink, o, t);
    default:
      return foreachBatchSink(sink, t);
  }
}

function appendOnly(sink: ComponentConfig<SinkDefinition>, t: Translation, what: string): void {
  if (t.job.outputMode !== 'append') {
    refuse(sink, `Spark's ${what} sink writes in append mode only, and this job's outputMode is ${t.job.outputMode}`);
  }
}

const TIME_FOLDERS: [name: string, format: string][] = [
  ['year', 'yyyy'],
  ['month', 'MM'],
  ['day', 'dd'],
  ['hour', 'HH'],
];

/** Parquet with Hive folders: a time partition becomes year=/month=/day=/hour= columns made just before writing. */
function parquet(o: Options, origin: string[]): SinkCode {
  const folders: string[] = [];
  const derived: string[] = [];
  for (const part of o.partitionBy as (string | { time: string; granularity: string })[]) {
    if (typeof part === 'string') {
      folders.push(part);
      continue;
    }
    const depth = TIME_FOLDERS.findIndex(([name]) => name === part.granularity) + 1;
    for (const [name, format] of TIME_FOLDERS.slice(0, depth)) {
      folders.push(name);
      derived.push(`    df = df.withColumn(${py(name)}, F.date_format(${py(part.time)}, ${py(format)}))`);
    }
  }
  const lines = [...origin, '        .format("parquet")', `        .option("compression", ${py(o.compression as string)})`];
  if (o.maxRowsPerFile) lines.push(`        .option("maxRecordsPerFile", ${o.maxRowsPerFile})`);
  if (folders.length > 0) lines.push(`        .partitionBy(${folders.map(py).join(', ')})`);
  lines.push(`        .option("path", os.path.abspath(${py(o.path as string)}))`);
  const prepare =
    derived.length > 0 ? [...comment('partition folders from a timestamp, in UTC (the session time zone)', '    '), ...derived] : [];
  return { writer: lines, functions: [], prepare };
}
