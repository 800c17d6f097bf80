/**
 * `npm run bench -- parquet [rows]` (default 5,000,000): the parquet sink's writer against pyarrow on the same rows,
 * in the same run. The rows are the lake's rate-triangle shape (timestamp, value, tr = triangle(value, 0, 30, 10);
 * one timestamp per 10 rows), snappy, 100,000-row groups, written to a file in a temp folder (no fsync on any side).
 * Each run, in turn:
 * - sink from rows: ParquetWriter.encodeRows (what the sink does per file: rows -> column arrays -> parquet-wasm);
 * - sink from columns: what the sink's foreachColumns does per file with a columnar batch (src/core/columnar): its
 *   Float64Array vectors -> the writer's column arrays (vectorColumnValues) -> parquet-wasm;
 * - hyparquet-writer from the same column arrays (the sink's previous writer);
 * - pyarrow 26 pq.write_table of the same rows, built once as an Arrow table in a warm python3 process.
 * Medians of RUNS runs and their ratio to pyarrow's; then pyarrow reads every file back and checks it holds the same
 * rows and types as its own table (the bench fails otherwise). Needs python3 with pyarrow (pip install pyarrow).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { Row } from '../src/core/row.js';
import type { Column } from '../src/core/schema.js';
import type { Vector } from '../src/core/columnar/vector.js';
import { columnValues } from '../src/sinks/parquet/encode.js';
import { vectorColumnValues } from '../src/sinks/parquet/encode-vectors.js';
import { loadParquetWriter } from '../src/sinks/parquet/writer.js';
import { hyparquetEncode } from './parquet/hyparquet.js';
import { formatRate, median } from './stats.js';

const ROWS = Number(process.argv[2] ?? 5_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const START_MS = Date.UTC(2026, 10, 30, 13);
const COLUMNS: Column[] = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'value', type: 'long' },
  { name: 'tr', type: 'double' },
];
const OPTIONS = { codec: 'snappy', rowGroupSize: 100_000 } as const;

function rateTriangleRows(count: number): Row[] {
  const rows: Row[] = new Array(count);
  let timestamp = new Date(START_MS);
  for (let i = 0; i < count; i++) {
    if (i % 10 === 0) timestamp = new Date(START_MS + (i / 10) * 100);
    rows[i] = { timestamp, value: i, tr: 5 - (10 / 15) * Math.abs((i % 30) - 15) };
  }
  return rows;
}

/** The python3 process holding pyarrow's table; one request line in, one answer line out. */
/** The rows as the vectors a columnar batch holds: epoch ms and numbers in Float64Arrays. */
function columnarBatch(rows: readonly Row[]): Vector[] {
  return [
    { kind: 'timestamp', values: Float64Array.from(rows, (r) => (r.timestamp as Date).getTime()) },
    { kind: 'number', values: Float64Array.from(rows, (r) => r.value as number) },
    { kind: 'number', values: Float64Array.from(rows, (r) => r.tr as number) },
  ];
}

async function startPyarrow(dir: string) {
  const script = resolve(import.meta.dirname, '../../bench/parquet/pyarrow_writer.py');
  const child = spawn(process.env.PYTHON ?? 'python3', [script, String(ROWS)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const ask = async (line?: string) => {
    if (line) child.stdin.write(`${line}\n`);
    const next = await lines.next();
    if (next.done) throw new Error(`python3 ${script} exited (code ${child.exitCode}); is pyarrow installed? (pip install pyarrow)`);
    return next.value;
  };
  const version = (await ask()).replace('ready ', '');
  return {
    version,
    write: async (name: string) => Number(await ask(`write ${join(dir, name)}`)),
    check: (name: string) => ask(`check ${join(dir, name)}`),
    stop: () => child.stdin.end(),
  };
}

function timed(dir: string, name: string, encode: () => Uint8Array): number {
  const start = performance.now();
  writeFileSync(join(dir, name), encode());
  return performance.now() - start;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-bench-parquet-'));
  try {
    const writer = await loadParquetWriter();
    const rows = rateTriangleRows(ROWS);
    const columns = COLUMNS.map((c) => columnValues(c, rows));
    const vectors = columnarBatch(rows);
    const positions = Int32Array.from({ length: ROWS }, (_, i) => i);
    const pyarrow = await startPyarrow(dir);
    console.log(
      `parquet bench: ${ROWS.toLocaleString()} rows (timestamp, value, tr), snappy, ${RUNS} interleaved runs; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    const sides: Record<string, number[]> = {
      'sink from rows': [],
      'sink from columns': [],
      'hyparquet-writer': [],
      [pyarrow.version]: [],
    };
    const names = Object.keys(sides);
    const files = ['sink-rows.parquet', 'sink-columns.parquet', 'hyparquet.parquet', 'pyarrow.parquet'];
    for (let run = 0; run < RUNS; run++) {
      sides[names[0]].push(timed(dir, files[0], () => writer.encodeRows(COLUMNS, rows, OPTIONS)));
      sides[names[1]].push(
        timed(dir, files[1], () =>
          writer.encodeColumns(
            COLUMNS,
            COLUMNS.map((c, i) => vectorColumnValues(c, vectors[i], positions)),
            ROWS,
            OPTIONS,
          ),
        ),
      );
      sides[names[2]].push(timed(dir, files[2], () => hyparquetEncode({ timestamp: columns[0], value: columns[1], tr: columns[2] })));
      sides[names[3]].push(await pyarrow.write(files[3]));
      console.log(`  run ${run + 1}: ${names.map((n) => `${n} ${sides[n][run].toFixed(0)} ms`).join(', ')}`);
    }
    const base = median(sides[names[3]]);
    console.log('');
    for (const [i, name] of names.entries()) {
      const ms = median(sides[name]);
      const check = await pyarrow.check(files[i]);
      if (check !== 'equal') throw new Error(`${name}: ${files[i]} read back by pyarrow ${check}`);
      console.log(
        `${name.padEnd(20)} ${ms.toFixed(0).padStart(6)} ms  ${formatRate((ROWS / ms) * 1000).padStart(6)} rows/s  ${(ms / base).toFixed(2)}x pyarrow's time  (read back by pyarrow: same rows)`,
      );
    }
    console.log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    pyarrow.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
