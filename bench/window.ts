/**
 * `npm run bench:engine -- window` (or `npm run bench -- window`): event-time windowed aggregation through the engine
 * against a plain loop doing the same work, and the state memory along the way.
 *
 * Workload: ROWS rows (default 10 million) over KEYS keys (1,000), RATE rows per second of event time (100,000, so
 * 100 s of event time), one batch per second of event time (100,000 rows); every 10th row arrives 1.5 s late and
 * every 97th 4 s late (behind the watermark: dropped). Query: withWatermark(time, 2 s) -> window(time, 1 s) ->
 * groupBy([window, key]) with count, sum, avg, min, max -> a sink that counts rows; append mode, checkpoint and state
 * store on disk (every batch fsyncs offsets, commit and the state delta).
 *
 * Baseline, in the same process: a for loop over the same rows keeping a Map from (window start, key) to the same
 * five aggregates, dropping late rows and emitting/evicting windows behind the watermark after each batch.
 * Each side runs RUNS times, alternating; medians and their ratio are reported.
 *
 * State memory: the state rows and the store's estimate (memoryUsedBytes) at each quarter of the run, for two
 * watermark delays: flat over time (it follows the open windows, not the rows seen) and larger with a longer delay.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, of, type Observable } from 'rxjs';
import type { z } from 'zod';
import { codeContext } from '../src/api/build.js';
import type { ColumnInfos, OperatorDefinition } from '../src/component/definition.js';
import { silentLogger } from '../src/core/logger.js';
import type { BatchOperator, MicroBatch } from '../src/core/operator.js';
import type { QueryProgress } from '../src/core/progress.js';
import { StreamingQuery } from '../src/core/query.js';
import type { Offset, Row } from '../src/core/row.js';
import type { Schema } from '../src/core/schema.js';
import type { Source } from '../src/core/source.js';
import { groupByOperator } from '../src/operators/group-by.js';
import { windowOperator } from '../src/operators/window.js';
import { withWatermarkOperator } from '../src/operators/with-watermark.js';
import { formatRate, median } from './stats.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const KEYS = Number(process.env.BENCH_KEYS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WINDOW_MS = 1000;
const START = Date.UTC(2024, 4, 1);

/** Event time of row i: RATE rows per second, every 10th 1.5 s late, every 97th 4 s late. */
function eventTime(i: number): number {
  const t = START + Math.floor((i * 1000) / RATE);
  return i % 97 === 0 ? t - 4000 : i % 10 === 0 ? t - 1500 : t;
}

/** Rows [from, to): one Date per distinct event time, as a real source would share nothing but costs no more. */
function makeRows(from: number, to: number): Row[] {
  const rows: Row[] = new Array(to - from);
  let lastT = NaN;
  let lastDate = new Date(0);
  for (let i = from; i < to; i++) {
    const t = eventTime(i);
    if (t !== lastT) {
      lastT = t;
      lastDate = new Date(t);
    }
    rows[i - from] = { time: lastDate, key: i % KEYS, value: (i * 7919) % 1000 };
  }
  return rows;
}

/** Replayable, unthrottled: the offset is the number of rows; each batch is one second of event time. */
class EventSource implements Source {
  readonly replayable = true;
  readonly description = `BenchEvents[rows=${ROWS}, keys=${KEYS}]`;
  readonly schema: Schema = [
    { name: 'time', type: 'timestamp' },
    { name: 'key', type: 'long' },
    { name: 'value', type: 'long' },
  ];
  async open() {}
  /** availableNow: the target is the end of the data, still one second of event time per batch. */
  prepareForTriggerAvailableNow(): void {}
  latestOffset(start: Offset | null): Offset | null {
    const from = (start as number | null) ?? 0;
    return from >= ROWS ? start : Math.min(ROWS, from + RATE);
  }
  getBatch(start: Offset | null, end: Offset): Row[] {
    return makeRows((start as number | null) ?? 0, end as number);
  }
  async stop() {}
}

/** Builds operators as buildJob does: each gets the schema and the event-time facts of the one before. */
function operators(delay: string): BatchOperator[] {
  const steps: Array<[OperatorDefinition, unknown]> = [
    [withWatermarkOperator as OperatorDefinition, { column: 'time', delay }],
    [windowOperator as OperatorDefinition, { column: 'time', size: '1 second' }],
    [
      groupByOperator as OperatorDefinition,
      { keys: ['window', 'key'], agg: { n: 'count()', total: 'sum(value)', mean: 'avg(value)', low: 'min(value)', high: 'max(value)' } },
    ],
  ];
  let schema: Schema = new EventSource().schema;
  let columns: ColumnInfos = new Map();
  return steps.map(([definition, options]) => {
    const built = definition.create((definition.options as z.ZodType).parse(options) as never, {
      ...codeContext('bench'),
      input: schema,
      columns,
    });
    schema = built.schema;
    columns = built.columns ?? columns;
    return built.operator;
  });
}

interface EngineRun {
  rowsPerSecond: number;
  output: number;
  progress: QueryProgress[];
}

async function engine(dir: string, delay: string): Promise<EngineRun> {
  let output = 0;
  const progress: QueryProgress[] = [];
  const query = new StreamingQuery({
    name: 'bench-window',
    source: new EventSource(),
    operators: operators(delay),
    sink: {
      description: 'CountingSink',
      open: async () => {},
      foreachBatch: async (rows) => void (output += rows.length),
      close: async () => {},
    },
    trigger: { kind: 'availableNow' },
    outputMode: 'append',
    checkpointLocation: join(dir, `engine-${delay}-${performance.now()}`),
  });
  query.progress$.subscribe((p) => progress.push(p));
  const start = performance.now();
  await query.run();
  const seconds = (performance.now() - start) / 1000;
  return { rowsPerSecond: ROWS / seconds, output, progress };
}

/** The same aggregation by hand: numeric group keys, five aggregates, watermark, late drop, append-mode eviction. */
function plainLoop(delayMs: number): { rowsPerSecond: number; output: number } {
  type Group = { window: number; key: number; n: number; sum: number; min: number; max: number };
  const groups = new Map<number, Group>();
  let watermark = 0;
  let output = 0;
  const start = performance.now();
  for (let from = 0; from < ROWS; from += RATE) {
    const rows = makeRows(from, Math.min(ROWS, from + RATE));
    let maxTime = -Infinity;
    for (const row of rows) {
      const t = (row.time as Date).getTime();
      if (t > maxTime) maxTime = t;
      const window = t - (t % WINDOW_MS);
      if (window + WINDOW_MS <= watermark) continue;
      const key = row.key as number;
      const id = window * KEYS + key;
      const value = row.value as number;
      const g = groups.get(id);
      if (!g) groups.set(id, { window, key, n: 1, sum: value, min: value, max: value });
      else {
        g.n++;
        g.sum += value;
        if (value < g.min) g.min = value;
        if (value > g.max) g.max = value;
      }
    }
    const done: Row[] = [];
    for (const [id, g] of groups) {
      if (g.window + WINDOW_MS > watermark) continue;
      done.push({
        window: { start: new Date(g.window), end: new Date(g.window + WINDOW_MS) },
        key: g.key,
        n: g.n,
        total: g.sum,
        mean: g.sum / g.n,
        low: g.min,
        high: g.max,
      });
      groups.delete(id);
    }
    output += done.length;
    watermark = Math.max(watermark, maxTime - delayMs);
  }
  // The engine's final no-data batch: flush with the last watermark.
  for (const g of groups.values()) if (g.window + WINDOW_MS <= watermark) output++;
  const seconds = (performance.now() - start) / 1000;
  return { rowsPerSecond: ROWS / seconds, output };
}

function stateAlongTheRun(progress: QueryProgress[]): string {
  const batches = progress.filter((p) => p.numInputRows > 0);
  const at = [0.25, 0.5, 0.75, 1].map((q) => batches[Math.min(batches.length - 1, Math.floor(q * batches.length) - 1)]);
  return at
    .map((p, i) => {
      const s = p.stateOperators[0];
      return `${(i + 1) * 25}%: ${s.numRowsTotal} rows, ${(s.memoryUsedBytes / 1024).toFixed(0)} KiB`;
    })
    .join(' | ');
}

/**
 * The same operators fed the same batches directly, with the watermark carried by hand and the state kept in memory:
 * what the operators cost without the engine's checkpoint (offsets, commit and state files, each fsync'ed).
 */
async function operatorsOnly(dir: string, delay: string, delayMs: number): Promise<{ rowsPerSecond: number; output: number }> {
  const ops = operators(delay);
  const tracker = ops.find((o) => o.watermark)!.watermark!;
  for (const [operatorId, o] of ops.filter((op) => op.stateful).entries()) {
    await o.stateful!.open({ operatorId, stateDir: join(dir, `memory-${performance.now()}`), outputMode: 'append', logger: silentLogger });
    await o.stateful!.restore(-1);
  }
  const pipeline = (input: Observable<MicroBatch>) => ops.reduce((stream, o) => o(stream), input);
  const source = new EventSource();
  let offset: Offset | null = null;
  let watermark = 0;
  let output = 0;
  const start = performance.now();
  for (let batchId = 0; ; batchId++) {
    const end = source.latestOffset(offset);
    const rows = end === offset ? [] : source.getBatch(offset, end!);
    const out = await lastValueFrom(of({ batchId, rows, watermarkMs: watermark, batchTimestampMs: 0 }).pipe(pipeline));
    output += out.rows.length;
    if (end === offset) break; // that was the final no-data batch, as the engine runs one
    const stats = tracker.stats();
    if (stats) watermark = Math.max(watermark, stats.max - delayMs);
    offset = end;
  }
  return { rowsPerSecond: ROWS / ((performance.now() - start) / 1000), output };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-bench-window-'));
  const heap = process.execArgv.find((a) => a.startsWith('--max-semi-space-size')) ?? "V8's default young generation";
  try {
    console.log(
      `window bench (${heap}): ${ROWS.toLocaleString()} rows, ${KEYS} keys, ${RATE.toLocaleString()} rows per second of event time (one batch each), 1 s tumbling windows, watermark 2 s, count/sum/avg/min/max; ${RUNS} runs each`,
    );
    const engineRuns: EngineRun[] = [];
    const loopRates: number[] = [];
    const operatorRates: number[] = [];
    let loopOutput = 0;
    for (let run = 0; run < RUNS; run++) {
      const loop = plainLoop(2000);
      loopRates.push(loop.rowsPerSecond);
      loopOutput = loop.output;
      const direct = await operatorsOnly(dir, '2 seconds', 2000);
      operatorRates.push(direct.rowsPerSecond);
      if (direct.output !== loopOutput) throw new Error(`operators emitted ${direct.output} window rows, the plain loop ${loopOutput}`);
      engineRuns.push(await engine(dir, '2 seconds'));
      console.log(
        `  run ${run + 1}: plain loop ${formatRate(loop.rowsPerSecond)} rows/s, operators only ${formatRate(direct.rowsPerSecond)} rows/s, engine ${formatRate(engineRuns[run].rowsPerSecond)} rows/s`,
      );
    }
    const eng = median(engineRuns.map((r) => r.rowsPerSecond));
    const ops = median(operatorRates);
    const loop = median(loopRates);
    const last = engineRuns.at(-1)!;
    if (last.output !== loopOutput) throw new Error(`engine emitted ${last.output} window rows, the plain loop ${loopOutput}`);
    const dropped = last.progress.reduce((sum, p) => sum + (p.stateOperators[0]?.numRowsDroppedByWatermark ?? 0), 0);
    console.log('');
    console.log(`plain loop (median):      ${formatRate(loop)} rows/s`);
    console.log(
      `operators only (median):  ${formatRate(ops)} rows/s  (${((ops / loop) * 100).toFixed(1)}% of the loop; state in memory, no checkpoint)`,
    );
    console.log(
      `engine (median):          ${formatRate(eng)} rows/s  (${((eng / loop) * 100).toFixed(1)}% of the loop; checkpoint and state on disk; aim >= 3M rows/s on one core)`,
    );
    console.log(
      `windows emitted:          ${last.output.toLocaleString()} rows (same as the loop); late rows dropped: ${dropped.toLocaleString()}; batches: ${last.progress.length}`,
    );
    const mean = (f: (p: QueryProgress) => number) => (last.progress.reduce((sum, p) => sum + f(p), 0) / last.progress.length).toFixed(1);
    console.log(
      `engine per batch (mean):  getBatch ${mean((p) => p.durationMs.getBatch)} ms, operators + sink + state commit ${mean((p) => p.durationMs.addBatch)} ms (state commit ${mean((p) => p.stateOperators[0].commitTimeMs)} ms), offsets + commit log ${mean((p) => p.durationMs.walCommit)} ms`,
    );
    if (process.env.BENCH_CHILD) return;
    const longer = await engine(dir, '10 seconds');
    console.log(`state, watermark 2 s:     ${stateAlongTheRun(last.progress)}`);
    console.log(`state, watermark 10 s:    ${stateAlongTheRun(longer.progress)}`);
    console.log('  (state follows the open windows: flat along the run, about (delay + 1 s) x keys rows; not the rows seen)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Short-lived rows are young-generation garbage: V8's default (16 MB semi-spaces) promotes a batch's rows to the old
  // generation before they die. The same run with a larger young generation shows how much that costs.
  if (!process.env.BENCH_CHILD) {
    console.log('');
    spawnSync(process.execPath, ['--max-semi-space-size=64', fileURLToPath(import.meta.url)], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_CHILD: '1' },
    });
  }
}

await main();
