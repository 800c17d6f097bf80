/**
 * The parquet sink in the conformance suite: every data file under the target directory is read with hyparquet
 * (files whose name starts with `.` or `_` are not data, as Spark and pyarrow read a table). INT64 comes back as
 * bigint and array/struct columns as JSON text; both turn back into what the rows held.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import type { Row, Value } from '../../../src/core/row.js';
import type { Schema } from '../../../src/core/schema.js';
import { parquetSink } from '../../../src/sinks/parquet/index.js';
import type { SinkAdapter } from '../sink-conformance.js';
import { buildContext } from './build-context.js';
import { directoryAdapter } from './directory.js';

function fromParquet(value: unknown, type: Schema[number]['type']): Value {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if ((type === 'array' || type === 'struct' || type === 'any') && typeof value === 'string') return JSON.parse(value);
  return value as Value;
}

async function readParquet(dir: string, schema: Schema): Promise<Row[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .filter((path) => !path.split(sep).some((part) => part.startsWith('.') || part.startsWith('_')));
  const rows: Row[] = [];
  for (const path of files) {
    for (const record of await parquetReadObjects({ file: await asyncBufferFromFile(join(dir, path)) })) {
      const extra = Object.keys(record).filter((k) => !schema.some((c) => c.name === k));
      if (extra.length > 0) throw new Error(`${path} has columns the rows do not: ${extra.join(', ')}`);
      rows.push(Object.fromEntries(schema.map((c) => [c.name, fromParquet(record[c.name], c.type)])));
    }
  }
  return rows;
}

export function parquetAdapter(): SinkAdapter {
  return directoryAdapter({
    name: 'parquet',
    columnTypes: ['string', 'long', 'double', 'boolean', 'timestamp', 'array', 'struct'],
    build: (dir, schema) => parquetSink.create(parquetSink.options.parse({ path: dir }), buildContext(schema)),
    readAll: readParquet,
  });
}
