/**
 * The `memory` sink as a bench target: rows kept in this process, read back from the sink's own table. No server, no
 * disk, no baseline: it measures streamlab's own overhead (the query, the checkpoint's fsyncs with `exactly-once`)
 * and is the target the runner's tests use.
 */
import type { Row } from '../../core/row.js';
import { dropMemoryTable, memoryTable } from '../../sinks/memory/index.js';
import type { BenchTarget, Destination, DestinationSpec, TargetSession } from '../target.js';

function checksumOf(rows: Row[], column: string): number {
  let sum = 0;
  for (const row of rows) sum += Number(row[column]);
  return sum;
}

function memoryDestination(spec: DestinationSpec): Destination {
  return {
    sinkOptions: { queryName: spec.name },
    count: async () => memoryTable(spec.name).length,
    readBack: async () => {
      const rows = memoryTable(spec.name);
      return { rows: rows.length, checksum: checksumOf(rows, spec.checksumColumn) };
    },
    diskBytes: async () => undefined,
    drop: async () => dropMemoryTable(spec.name),
  };
}

export const memoryTarget: BenchTarget = {
  sink: 'memory',
  async open(): Promise<TargetSession> {
    return {
      serverVersion: undefined,
      note: 'in-process, no server: the cost of streamlab itself',
      // A leftover of the same name can only be this process's: start it empty.
      prepare: async (spec) => {
        dropMemoryTable(spec.name);
        return memoryDestination(spec);
      },
      close: async () => {},
    };
  },
};
