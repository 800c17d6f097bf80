/**
 * The file sink (JSON Lines) in the conformance suite: every file of the target directory is read and parsed;
 * timestamps, written as ISO 8601 text, become Dates again by the schema.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Row } from '../../../src/core/row.js';
import type { Schema } from '../../../src/core/schema.js';
import { fileSink } from '../../../src/sinks/file/index.js';
import type { SinkAdapter } from '../sink-conformance.js';
import { buildContext } from './build-context.js';
import { directoryAdapter } from './directory.js';

async function readJsonLines(dir: string, schema: Schema): Promise<Row[]> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const rows: Row[] = [];
  for (const file of files.sort()) {
    if (!file.endsWith('.jsonl')) throw new Error(`${dir} holds ${file}, which is not a batch file`);
    for (const line of (await readFile(join(dir, file), 'utf8')).split('\n').filter(Boolean)) {
      const parsed = JSON.parse(line) as Row;
      rows.push(
        Object.fromEntries(
          schema.map((c) => [
            c.name,
            c.type === 'timestamp' && parsed[c.name] !== null ? new Date(parsed[c.name] as string) : parsed[c.name],
          ]),
        ),
      );
    }
  }
  return rows;
}

export function fileAdapter(): SinkAdapter {
  return directoryAdapter({
    name: 'file (jsonl)',
    columnTypes: ['string', 'long', 'double', 'boolean', 'timestamp', 'array', 'struct'],
    build: (dir, schema) => fileSink.create(fileSink.options.parse({ path: dir }), buildContext(schema)),
    readAll: readJsonLines,
  });
}
