/**
 * How a run splits its rows: batch 0 is the warm-up (batchSize rows, offsets [0, batchSize)), then the measured
 * rows in batches of batchSize, the last one possibly shorter. The sink's query, the direct sink and the baseline all
 * get exactly these batches.
 */
export interface BatchSlice {
  batchId: number;
  from: number;
  count: number;
  /** Rows written once this batch is (warm-up included): what a reader must see after it. */
  rowsThrough: number;
}

export function batchSlices(batchSize: number, measuredRows: number): BatchSlice[] {
  const total = batchSize + measuredRows;
  const slices: BatchSlice[] = [];
  for (let from = 0, batchId = 0; from < total; from += batchSize, batchId++) {
    const count = Math.min(batchSize, total - from);
    slices.push({ batchId, from, count, rowsThrough: from + count });
  }
  return slices;
}
