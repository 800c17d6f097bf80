/**
 * How fast the bench workloads make their rows (tsbs-cpu, wide, sensor at their default scales), in batches of
 * 100,000 as a bench run asks for them, against a baseline in the same run: copying one ready row of the same shape
 * as many times (`{ ...row }`: the cost of the row objects alone, no value computed). Median of 5 runs after a warm-up.
 *
 *   npm run bench -- workloads [rows]
 */
import { WORKLOADS } from '../src/benchmark/workloads.js';
import type { Row } from '../src/core/row.js';
import { formatRate, median } from './stats.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const BATCH = 100_000;
const RUNS = 5;

/** Milliseconds per run of `make`, which builds ROWS rows in batches (each batch dropped after a look at its length). */
function timeRuns(make: (from: number, count: number) => Row[]): number[] {
  const runOnce = () => {
    let made = 0;
    for (let from = 0; from < ROWS; from += BATCH) made += make(from, Math.min(BATCH, ROWS - from)).length;
    if (made !== ROWS) throw new Error(`made ${made} rows, not ${ROWS}`);
  };
  runOnce(); // warm-up (and each generator's per-host caches)
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    runOnce();
    times.push(performance.now() - t0);
  }
  return times;
}

process.stdout.write(`${ROWS} rows per run in batches of ${BATCH}, median of ${RUNS} runs\n`);
for (const workload of WORKLOADS) {
  const scale = workload.defaultScale;
  const template = workload.rows(0, 1, scale)[0];
  const baseline = median(
    timeRuns((_, count) => {
      const rows: Row[] = new Array(count);
      for (let i = 0; i < count; i++) rows[i] = { ...template };
      return rows;
    }),
  );
  const generated = median(timeRuns((from, count) => workload.rows(from, count, scale)));
  process.stdout.write(
    `${workload.name.padEnd(9)} scale ${String(scale).padStart(5)}: ${generated.toFixed(0).padStart(5)} ms (${formatRate((ROWS / generated) * 1000)} rows/s); ` +
      `copying a ready row: ${baseline.toFixed(0).padStart(4)} ms; ratio ${(generated / baseline).toFixed(1)}x\n`,
  );
}
