/** One micro-batch as either engine ran it: its id, input rows, the watermark it used and the rows it wrote. */
export interface BatchResult {
  batchId: number;
  numInputRows: number;
  /** ISO 8601 UTC; null without a watermark. */
  watermark: string | null;
  rows: Record<string, unknown>[];
}

export type EngineResult = { columns: string[]; batches: BatchResult[] } | { error: string };

/**
 * Every difference between streamlab's run and Spark's, batch by batch: the output columns (names and order), the
 * batch ids run, each batch's watermark and its rows as a multiset (neither engine orders a batch's rows). Numbers
 * are compared at 12 significant digits (doubles summed in another order differ in the last bits); everything
 * else exactly. An error on either side is a difference unless both failed.
 */
export function differences(streamlab: EngineResult, spark: EngineResult): string[] {
  if ('error' in streamlab || 'error' in spark) {
    if ('error' in streamlab && 'error' in spark) return [];
    return [
      'error' in streamlab ? `streamlab failed: ${streamlab.error}` : 'streamlab ran',
      'error' in spark ? `Spark failed: ${spark.error}` : 'Spark ran',
    ];
  }
  const found: string[] = [];
  if (streamlab.columns.join(',') !== spark.columns.join(',')) {
    found.push(`columns: streamlab [${streamlab.columns.join(', ')}], Spark [${spark.columns.join(', ')}]`);
  }
  const ids = [...new Set([...streamlab.batches, ...spark.batches].map((b) => b.batchId))].sort((a, b) => a - b);
  for (const id of ids) {
    const ours = streamlab.batches.find((b) => b.batchId === id);
    const theirs = spark.batches.find((b) => b.batchId === id);
    if (!ours || !theirs) {
      const ran = ours ?? theirs!;
      found.push(
        `batch ${id}: only ${ours ? 'streamlab' : 'Spark'} ran it (${ran.numInputRows} input rows, ${ran.rows.length} output rows)`,
      );
      continue;
    }
    if (ours.watermark !== theirs.watermark) found.push(`batch ${id}: watermark streamlab ${ours.watermark}, Spark ${theirs.watermark}`);
    found.push(...rowDifferences(id, ours.rows, theirs.rows));
  }
  return found;
}

function rowDifferences(id: number, ours: Record<string, unknown>[], theirs: Record<string, unknown>[]): string[] {
  const count = (rows: Record<string, unknown>[]) => {
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(canonical(row), (counts.get(canonical(row)) ?? 0) + 1);
    return counts;
  };
  const a = count(ours);
  const b = count(theirs);
  const found: string[] = [];
  for (const [row, n] of a)
    if ((b.get(row) ?? 0) < n) found.push(`batch ${id}: only streamlab wrote ${row}${n > 1 ? ` (x${n - (b.get(row) ?? 0)})` : ''}`);
  for (const [row, n] of b)
    if ((a.get(row) ?? 0) < n) found.push(`batch ${id}: only Spark wrote ${row}${n > 1 ? ` (x${n - (a.get(row) ?? 0)})` : ''}`);
  return found;
}

/** A value as text with object keys sorted and numbers at 12 significant digits. */
export function canonical(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}
