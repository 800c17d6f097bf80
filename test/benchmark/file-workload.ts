/**
 * A tiny bench workload for the runner's tests, until src/benchmark/workloads.ts exists: rows are a pure function of
 * the offset, and its source is the registered `file` source over JSON Lines files of `chunk` rows each written to a
 * temporary folder, one file per batch (maxFilesPerBatch: 1). The tests' batch size must therefore equal `chunk`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../support/temp-dir.js';
import type { Row } from '../../src/core/row.js';
import type { Workload } from '../../src/benchmark/workload.js';

const START = Date.UTC(2024, 0, 1);

function row(offset: number): Row {
  return { id: offset, host: `host_${offset % 3}`, ts: new Date(START + offset * 10_000), value: (offset * 7) % 101 };
}

export function fileWorkload(chunk: number, name = 'test-file'): Workload & { dir: string } {
  const dir = makeTempDir('streamlab-bench-workload-');
  return {
    name,
    dir,
    summary: `JSON Lines files of ${chunk} rows (runner tests)`,
    defaultScale: 1,
    schema: [
      { name: 'id', type: 'long' },
      { name: 'host', type: 'string' },
      { name: 'ts', type: 'timestamp' },
      { name: 'value', type: 'long' },
    ],
    checksumColumn: 'value',
    keyColumns: ['host'],
    timeColumn: 'ts',
    rows: (from, count) => Array.from({ length: count }, (_, i) => row(from + i)),
    source(rows) {
      const folder = join(dir, String(rows));
      mkdirSync(folder, { recursive: true });
      for (let from = 0; from < rows; from += chunk) {
        const lines = Array.from({ length: Math.min(chunk, rows - from) }, (_, i) => JSON.stringify(row(from + i)));
        writeFileSync(join(folder, `part_${String(from).padStart(9, '0')}.jsonl`), `${lines.join('\n')}\n`);
      }
      return {
        type: 'file',
        path: folder,
        format: 'json',
        schema: { id: 'long', host: 'string', ts: 'timestamp', value: 'long' },
        maxFilesPerBatch: 1,
      };
    },
  };
}
