/**
 * The file bench target (the csv / jsonl file sink). A destination is a fresh folder under the bench root (see
 * folder.ts); the bench runs the sink with `format: csv` by default, the format of its baseline. Read-back parses
 * every batch file (CSV or JSON Lines, by extension) for its rows and the sum of the checksum column. Disk bytes:
 * the files' sizes. Baseline: the same text written with plain fs calls (see file-baseline.ts).
 */
import { readFile } from 'node:fs/promises';
import type { BenchTarget, Destination, DestinationSpec, ReadBack } from '../target.js';
import { fileBaseline } from './file-baseline.js';
import { csvColumn } from './file-csv.js';
import { benchRoot, dataBytes, dataFiles, freshFolder, removeFolder } from './folder.js';

export const fileTarget: BenchTarget = {
  sink: 'file',
  defaults: { format: 'csv' },
  async open(connection) {
    const root = benchRoot(connection);
    const format = connection.format === 'jsonl' ? 'jsonl' : 'csv';
    return {
      serverVersion: undefined,
      prepare: async (spec) => destination(await freshFolder(root, spec.name, 'file'), spec),
      baseline: fileBaseline(format, connection.header === true),
      close: async () => {},
    };
  },
};

function destination(dir: string, spec: DestinationSpec): Destination {
  const read = () => readFiles(dir, spec);
  return {
    sinkOptions: { path: dir },
    count: async () => (await read()).rows,
    readBack: read,
    diskBytes: () => dataBytes(dir),
    drop: () => removeFolder(dir),
  };
}

/** Rows and checksum of every `.csv` / `.jsonl` file (a CSV header, if written, is recognized by its column name). */
async function readFiles(dir: string, spec: DestinationSpec): Promise<ReadBack> {
  const column = spec.checksumColumn;
  const index = spec.schema.findIndex((c) => c.name === column);
  let rows = 0;
  let sum = 0n;
  const add = (text: string | null | undefined, where: string) => {
    rows++;
    if (text === null || text === undefined || text === '') return;
    if (!/^-?\d+$/.test(text))
      throw new Error(`${where}: column "${column}" holds ${JSON.stringify(text.slice(0, 40))}, not a whole number`);
    sum += BigInt(text);
  };
  for (const file of await dataFiles(dir)) {
    const text = await readFile(file, 'utf8');
    if (file.endsWith('.jsonl')) {
      for (const line of text.split('\n')) {
        if (line === '') continue;
        const v = (JSON.parse(line) as Record<string, unknown>)[column];
        add(v === null || v === undefined ? null : String(v), file);
      }
    } else {
      let first = true;
      for (const field of csvColumn(text, index)) {
        if (first && field === column)
          rows--; // the header line
        else add(field, file);
        first = false;
      }
    }
  }
  return { rows, checksum: Number(sum) };
}
