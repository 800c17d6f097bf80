/**
 * `npm run bench -- memory [--pipeline stateless|windowed] [--sizes 100k,1m,10m] [--batches 4] [--modes columns,rows]`:
 * what a buffered row costs in resident memory, in a pipeline of bench/pyspark (stateless: rate-micro-batch -> filter
 * value % 2 == 0 -> tr = triangle(value, 0, 30, 10) -> a counting sink; windowed: its groupBy(window, key)) at each batch size, each run in a fresh Node process so that one
 * run's heap does not inflate the next's. Modes:
 * - columns: the columnar engine end to end (the sink reads the `tr` vector, as bench pyspark's counting sink);
 * - row-sink: columns through the operators, rows built at the sink (what any row sink costs);
 * - rows: the row engine (the source's rows, every operator on row objects: what streamlab did before columns).
 * Per run: RSS before the query starts (modules loaded, query built), the process's peak RSS (the kernel's high-water
 * mark, getrusage maxrss), and (peak - before) / rows per batch: the bytes a buffered row costs. The baseline is the
 * rows mode in the same run (issue 17's aim: a quarter of it). The 10m rows mode takes GBs: left out unless --rows-10m.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildJob } from '../src/config/build-job.js';
import { loadJobValue } from '../src/config/load-job.js';
import type { ColumnBatch } from '../src/core/columnar/column-batch.js';
import { isValid } from '../src/core/columnar/vector.js';
import { StreamingQuery } from '../src/core/query.js';
import type { Offset, Row } from '../src/core/row.js';
import type { Sink } from '../src/core/sink.js';
import type { Source } from '../src/core/source.js';
import { checkedColumn, type Pipeline, streamlabJob } from './pyspark/protocol.js';
import { formatRate } from './stats.js';

type Mode = 'columns' | 'row-sink' | 'rows';
interface Measured {
  before: number;
  peak: number;
  rows: number;
  ms: number;
}

/** Counts rows and sums one column (`tr`, windowed `n`); from its vector in columns mode, else from rows. */
function countingSink(mode: Mode, column: string): Sink & { total: number } {
  const sink = {
    description: 'BenchCountingSink',
    total: 0,
    open: async () => {},
    close: async () => {},
    foreachBatch: async (rows: Row[]) => {
      for (const row of rows) sink.total += Number(row[column]);
    },
    foreachColumns: async (columns: ColumnBatch) => {
      const tr = columns.vector(column);
      if (tr?.kind !== 'number') return sink.foreachBatch(columns.rows());
      for (let k = 0; k < columns.length; k++) {
        const i = columns.position(k);
        if (isValid(tr.valid, i)) sink.total += tr.values[i];
      }
    },
  };
  if (mode !== 'columns') return { ...sink, foreachColumns: undefined };
  return sink;
}

/** The source without getColumns: the engine then reads rows and every operator takes its row path. */
function rowsOnly(source: Source): Source {
  const wrapper = Object.create(source) as Source;
  Object.defineProperty(wrapper, 'getColumns', { value: undefined });
  // Its own getBatch may build the rows from its columns: called on the source itself, not the wrapper.
  Object.defineProperty(wrapper, 'getBatch', { value: (start: Offset | null, end: Offset) => source.getBatch(start, end) });
  return wrapper;
}

async function child(pipeline: Pipeline, mode: Mode, batchRows: number, batches: number, checkpoint: string): Promise<void> {
  const built = buildJob(loadJobValue(streamlabJob(pipeline, batchRows), 'bench-memory.yaml', { env: {} }));
  const source = mode === 'rows' ? rowsOnly(built.query.source) : built.query.source;
  const query = new StreamingQuery(
    { ...built.query, source, sink: countingSink(mode, checkedColumn(pipeline)), checkpointLocation: checkpoint },
    { maxBatches: batches, pollMs: 1 },
  );
  global.gc?.();
  const before = process.memoryUsage.rss();
  const started = performance.now();
  await query.run();
  const ms = performance.now() - started;
  const measured: Measured = { before, peak: process.resourceUsage().maxRSS * 1024, rows: batchRows, ms };
  process.stdout.write(`${JSON.stringify(measured)}\n`);
}

function runChild(pipeline: Pipeline, mode: Mode, batchRows: number, batches: number): Promise<Measured> {
  const checkpoint = `/tmp/streamlab-bench-memory-${process.pid}-${pipeline}-${mode}-${batchRows}`;
  const args = ['--expose-gc', import.meta.filename, '--child', pipeline, mode, String(batchRows), String(batches), checkpoint];
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d));
    proc.once('close', (code) => {
      spawn('rm', ['-rf', checkpoint]);
      if (code !== 0) reject(new Error(`${mode} ${batchRows}: the child exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as Measured);
    });
  });
}

function parseSize(text: string): number {
  const m = /^(\d+)(k|m)?$/i.exec(text.trim());
  if (!m) throw new Error(`--sizes: "${text}" is not a size like 100k or 10m`);
  return Number(m[1]) * ({ k: 1e3, m: 1e6 }[m[2]?.toLowerCase() as 'k' | 'm'] ?? 1);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '100k,1m,10m' },
      batches: { type: 'string', default: '4' },
      modes: { type: 'string', default: 'columns,row-sink,rows' },
      pipeline: { type: 'string', default: 'stateless' },
      'rows-10m': { type: 'boolean', default: false },
    },
  });
  const batches = Number(values.batches);
  const modes = values.modes.split(',') as Mode[];
  const pipeline = values.pipeline as Pipeline;
  console.log(
    `memory bench: ${pipeline} pipeline, ${batches} batches per run; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const table: string[][] = [['batch', 'mode', 'RSS before', 'peak RSS', 'bytes / buffered row', 'vs rows', 'rows/s (all batches)']];
  for (const size of values.sizes.split(',').map(parseSize)) {
    const perRow: Partial<Record<Mode, number>> = {};
    for (const mode of modes) {
      if (mode === 'rows' && size >= 10_000_000 && !values['rows-10m']) continue;
      const m = await runChild(pipeline, mode, size, batches);
      perRow[mode] = (m.peak - m.before) / size;
      const ratio = perRow.rows ? `${(perRow[mode]! / perRow.rows).toFixed(2)}x` : '';
      table.push([
        formatRate(size),
        mode,
        mb(m.before),
        mb(m.peak),
        perRow[mode]!.toFixed(0),
        ratio,
        formatRate((size * batches * 1000) / m.ms),
      ]);
      console.log(`  ${table.at(-1)!.join('  ')}`);
    }
    // The ratio to rows once rows ran (it runs last by default).
    for (const line of table.filter((l) => l[0] === formatRate(size) && l[1] !== 'rows' && perRow.rows)) {
      line[5] = `${(Number(line[4]) / perRow.rows!).toFixed(2)}x`;
    }
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${line(table[0])}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of table.slice(1)) console.log(line(r));
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

const at = process.argv.indexOf('--child');
if (at >= 0) {
  const [pipeline, mode, rows, batches, checkpoint] = process.argv.slice(at + 1);
  await child(pipeline as Pipeline, mode as Mode, Number(rows), Number(batches), checkpoint);
} else {
  await main();
}
