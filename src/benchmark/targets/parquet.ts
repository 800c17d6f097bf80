/**
 * The parquet bench target. A destination is a fresh folder under the bench root (see folder.ts); the sink writes
 * its table there. Read-back reads every data file with hyparquet: the row count from the footers (cheap, for
 * freshness polls: files appear atomically, by rename), the checksum by decoding that one column. Disk bytes: the
 * data files' sizes. Baseline: pyarrow, when `python3 -c 'import pyarrow'` works here (see pyarrow-baseline.ts).
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import type { BenchTarget, Destination, DestinationSpec, ReadBack } from '../target.js';
import { benchRoot, dataBytes, dataFiles, freshFolder, removeFolder } from './folder.js';
import { startPyarrowBaseline } from './pyarrow-baseline.js';

export const parquetTarget: BenchTarget = {
  sink: 'parquet',
  async open(connection) {
    const root = benchRoot(connection);
    const pyarrow = await startPyarrowBaseline({
      compression: typeof connection.compression === 'string' ? connection.compression : 'snappy',
      rowGroupSize: typeof connection.rowGroupSize === 'number' ? connection.rowGroupSize : 100_000,
    });
    return {
      serverVersion: undefined,
      prepare: async (spec) => destination(await freshFolder(root, spec.name, 'parquet'), spec),
      ...(pyarrow ? { baseline: pyarrow.baseline } : {}),
      close: async () => pyarrow?.close(),
    };
  },
};

function destination(dir: string, spec: DestinationSpec): Destination {
  return {
    sinkOptions: { path: dir },
    count: async () => {
      let rows = 0;
      for (const file of await dataFiles(dir)) rows += Number((await parquetMetadataAsync(await asyncBufferFromFile(file))).num_rows);
      return rows;
    },
    readBack: () => readChecksum(dir, spec.checksumColumn),
    diskBytes: () => dataBytes(dir),
    drop: () => removeFolder(dir),
  };
}

/** Every data file's rows and the sum of its checksum column (INT64 comes back as bigint: summed exactly). */
export async function readChecksum(dir: string, column: string): Promise<ReadBack> {
  let rows = 0;
  let sum = 0n;
  for (const file of await dataFiles(dir)) {
    const records = await parquetReadObjects({ file: await asyncBufferFromFile(file), columns: [column] });
    rows += records.length;
    for (const record of records) {
      const v = record[column];
      if (typeof v === 'bigint') sum += v;
      else if (typeof v === 'number') sum += BigInt(v);
    }
  }
  return { rows, checksum: Number(sum) };
}
