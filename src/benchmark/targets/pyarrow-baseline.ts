/**
 * The parquet baseline: pyarrow's `write_table`, the usual fast way to write Parquet. One python3 process per bench
 * session, started (and pyarrow imported) when the target opens, so no run pays for it; each run then sends it a
 * line with its folder and schema, and its batches in order over the pipe, each as CSV text (`<bytes>\n<csv>`).
 * pyarrow's C++ CSV reader makes a Table of the schema's types, written as one file per batch with the sink's
 * compression and row-group size, fsynced and renamed into place (as the sink's files, so a freshness poll never
 * reads half a file; the sink also fsyncs the folder); `ok` comes back before the next batch.
 *
 * A run's time therefore includes: making the CSV text in Node, the pipe, pyarrow's CSV parse (multi-threaded), the
 * Parquet encoding and the write + fsync. Types as the sink writes them: long int64, double, boolean, string,
 * timestamp[us, UTC], other columns JSON text.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Row, Value } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { Baseline } from '../target.js';

export interface PyarrowOptions {
  compression: string;
  rowGroupSize: number;
}

const SCRIPT = `
import json, os, sys
import pyarrow as pa, pyarrow.compute as pc, pyarrow.csv as pcsv, pyarrow.parquet as pq
types = {'long': pa.int64(), 'double': pa.float64(), 'boolean': pa.bool_(), 'timestamp': pa.int64()}
stream = sys.stdin.buffer
def answer(text):
    sys.stdout.write(text + '\\n'); sys.stdout.flush()
answer('ready ' + pa.__version__)
files_written = {}  # a run sends one batch at a time: number the files per folder, so no batch replaces another
for run in stream:
    run = json.loads(run)
    cols = run['columns']
    read = pcsv.ReadOptions(column_names=[c['name'] for c in cols])
    convert = pcsv.ConvertOptions(column_types={c['name']: types.get(c['type'], pa.string()) for c in cols},
                                  strings_can_be_null=True, quoted_strings_can_be_null=False)
    n = files_written.get(run['dir'], 0)
    while True:
        size = int(stream.readline())
        if size == 0: break
        table = pcsv.read_csv(pa.py_buffer(stream.read(size)), read_options=read, convert_options=convert)
        for i, c in enumerate(cols):
            if c['type'] == 'timestamp':
                table = table.set_column(i, c['name'], pc.multiply(table.column(i), 1000).cast(pa.timestamp('us', tz='UTC')))
        name = os.path.join(run['dir'], 'part-%012d.parquet' % n)
        temp = os.path.join(run['dir'], '.part-%012d.parquet.tmp' % n)
        with open(temp, 'wb') as f:
            pq.write_table(table, f, compression=run['codec'], row_group_size=run['rowGroupSize'])
            f.flush(); os.fsync(f.fileno())
        os.rename(temp, name)
        n += 1
        files_written[run['dir']] = n
        answer('ok')
    answer('done')
`;

interface Python {
  /** The next line it answers; rejects with its last error lines once it has exited. */
  next(): Promise<string>;
  send(data: string | Buffer): void;
  stop(): void;
}

function startPython(): Python {
  const child = spawn('python3', ['-c', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<string>((resolve) => {
    child.on('error', (error) => resolve(error.message));
    child.on('close', (code) => resolve(`exit code ${code}`));
  });
  child.stdin.on('error', () => {}); // a dead process: reported by next()
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async next() {
      const line = await lines.next();
      if (!line.done) return line.value;
      const tail = stderr.trim().split('\n').slice(-3).join(' | ');
      throw new Error(`pyarrow baseline: python3 stopped (${await exited})${tail ? `: ${tail}` : ''}`);
    },
    send: (data) => child.stdin.write(data),
    stop: () => {
      child.stdin.end();
      if (child.exitCode === null) child.kill();
    },
  };
}

/** The baseline, with its python3 process started and pyarrow imported; undefined when python3 or pyarrow is missing. */
export async function startPyarrowBaseline(options: PyarrowOptions): Promise<{ baseline: Baseline; close(): void } | undefined> {
  let python = startPython();
  let version: string;
  try {
    version = (await python.next()).replace(/^ready /, '');
  } catch {
    return undefined;
  }
  const codec = options.compression === 'uncompressed' ? 'none' : options.compression;
  const baseline: Baseline = {
    name: `pyarrow ${version} write_table (batches as CSV over a pipe, one file per batch, fsync + rename)`,
    async write(batches, destination, spec) {
      const columns = spec.schema.map((c) => ({ name: c.name, type: c.type }));
      python.send(`${JSON.stringify({ dir: String(destination.sinkOptions.path), columns, codec, rowGroupSize: options.rowGroupSize })}\n`);
      try {
        for (const batch of batches) {
          if (batch.length === 0) continue;
          const csv = Buffer.from(arrowCsv(batch, spec.schema));
          python.send(`${csv.length}\n`);
          python.send(csv);
          await python.next();
        }
        python.send('0\n');
        await python.next();
      } catch (error) {
        python.stop();
        python = startPython(); // for the next run; this one failed
        await python.next().catch(() => {});
        throw error;
      }
    },
  };
  return { baseline, close: () => python.stop() };
}

/** CSV in schema order as the script reads it: strings always quoted (so "" is the empty string), null empty. */
export function arrowCsv(rows: Row[], schema: Schema): string {
  const names = schema.map((c) => c.name);
  const lines = new Array<string>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    let line = '';
    for (let i = 0; i < names.length; i++) line += (i ? ',' : '') + cell(row[names[i]]);
    lines[r] = line;
  }
  return `${lines.join('\n')}\n`;
}

function cell(v: Value | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return `"${v.replaceAll('"', '""')}"`;
  if (v instanceof Date) return String(v.getTime());
  if (typeof v === 'object') return `"${JSON.stringify(v).replaceAll('"', '""')}"`;
  return String(v);
}
