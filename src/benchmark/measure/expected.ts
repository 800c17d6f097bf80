/**
 * What every read-back is compared with, and the bytes that MB/s is computed from, from the workload's own rows:
 * the row count and checksum of all rows written (warm-up included), and the size as CSV text of the measured rows
 * (the same figure for every sink). Computed once per workload, scale and batch size, in chunks so that a million
 * rows never sit in memory at once.
 */
import { toCsv } from '../../sinks/file/serialize.js';
import type { Workload } from '../workload.js';

export interface Expected {
  rows: number;
  checksum: number;
  /** CSV text size of the measured rows (offsets from the warm-up batch's end). */
  measuredBytes: number;
}

const CHUNK = 10_000;

export class ExpectedRows {
  private readonly cache = new Map<string, Expected>();

  constructor(
    private readonly workload: Workload,
    private readonly scale: number,
  ) {}

  /** All rows of a run whose warm-up batch held `warmupRows` rows (its batch size), then `measuredRows` rows. */
  for(warmupRows: number, measuredRows: number): Expected {
    const key = `${warmupRows}/${measuredRows}`;
    let found = this.cache.get(key);
    if (!found) {
      found = this.compute(warmupRows, warmupRows + measuredRows);
      this.cache.set(key, found);
    }
    return found;
  }

  private compute(measuredFrom: number, total: number): Expected {
    const { workload, scale } = this;
    let checksum = 0;
    let measuredBytes = 0;
    for (let from = 0; from < total; from += CHUNK) {
      const rows = workload.rows(from, Math.min(CHUNK, total - from), scale);
      for (const row of rows) checksum += Number(row[workload.checksumColumn]);
      const measured = rows.slice(Math.max(0, measuredFrom - from));
      if (measured.length > 0) measuredBytes += Buffer.byteLength(toCsv(measured, workload.schema, false));
    }
    return { rows: total, checksum, measuredBytes };
  }
}
