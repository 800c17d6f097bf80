import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join, relative, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { ConfigError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import { checkPartitions, parquetSink } from '../../src/sinks/parquet/index.js';
import { toJson } from '../../src/sinks/parquet/encode.js';
import { tempName, writeFileAtomic } from '../../src/core/durable-file.js';
import { escapePathName, partitioner, timeSegments, type TimeGranularity } from '../../src/sinks/parquet/partition.js';
import { METADATA_DIR, queryTag } from '../../src/sinks/parquet/sink.js';
import { memoryLogger } from '../support/memory-logger.js';

/*
 * The files are read back with pyarrow (Apache Arrow's C++ Parquet reader: independent of the writer, and the
 * reader whose types match what Spark sees) when `python3 -c 'import pyarrow'` works (`pip install pyarrow`), and
 * always with hyparquet (a devDependency; by the author of hyparquet-writer, so a weaker check). Set
 * STREAMLAB_REQUIRE_PYARROW=1 to make a missing pyarrow a failure instead of a skip.
 */

const utc = (iso: string) => new Date(iso);

describe('parquet sink: partition paths', () => {
  const table: [string, TimeGranularity, string][] = [
    ['2026-11-23T09:41:07.123Z', 'hour', 'year=2026/month=11/day=23/hour=09'],
    ['2026-11-23T00:00:00.000Z', 'hour', 'year=2026/month=11/day=23/hour=00'], // midnight
    ['2026-11-23T23:59:59.999Z', 'hour', 'year=2026/month=11/day=23/hour=23'], // last ms before midnight
    ['2026-12-31T23:59:59.999Z', 'hour', 'year=2026/month=12/day=31/hour=23'], // year end
    ['2027-01-01T00:00:00.000Z', 'hour', 'year=2027/month=01/day=01/hour=00'], // new year
    ['2028-02-29T12:30:00.000Z', 'hour', 'year=2028/month=02/day=29/hour=12'], // leap day
    ['1970-01-01T00:00:00.000Z', 'hour', 'year=1970/month=01/day=01/hour=00'], // epoch
    ['1969-12-31T23:59:59.999Z', 'hour', 'year=1969/month=12/day=31/hour=23'], // before the epoch
    ['2026-12-31T23:59:59.999Z', 'day', 'year=2026/month=12/day=31'],
    ['2026-12-31T23:59:59.999Z', 'month', 'year=2026/month=12'],
    ['2027-01-01T00:00:00.000Z', 'year', 'year=2027'],
    ['0999-06-01T00:00:00.000Z', 'year', 'year=0999'],
  ];
  for (const [iso, granularity, expected] of table) {
    it(`${iso} by ${granularity} -> ${expected}`, () => {
      assert.equal(timeSegments(utc(iso), granularity).join('/'), expected);
      // the compiled partitioner (with its cache) agrees
      assert.equal(partitioner([{ kind: 'time', column: 't', granularity }])({ t: utc(iso) }), expected);
    });
  }

  it('a null timestamp gives the default partition at every level', () => {
    assert.equal(
      timeSegments(null, 'day').join('/'),
      'year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/day=__HIVE_DEFAULT_PARTITION__',
    );
  });

  it('does not depend on the local time zone', () => {
    const script = `import('${new URL('../../src/sinks/parquet/partition.js', import.meta.url).href}').then((p) =>
      console.log(['2026-12-31T23:30:00.000Z', '2027-01-01T00:30:00.000Z'].map((t) => p.timeSegments(new Date(t), 'hour').join('/')).join(' ')))`;
    for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Kolkata']) {
      const out = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, TZ: tz }, encoding: 'utf8' });
      assert.equal(out.status, 0, out.stderr);
      assert.equal(out.stdout.trim(), 'year=2026/month=12/day=31/hour=23 year=2027/month=01/day=01/hour=00', tz);
    }
  });

  it('the cached partitioner follows rows out of time order and across hours', () => {
    const p = partitioner([{ kind: 'time', column: 't', granularity: 'hour' }]);
    const times = [0, 3_599_999, 3_600_000, 1, -1, 86_400_000 * 365, 3_600_000 * 5 + 7, 3_600_000 * 5 - 7, -86_400_000];
    for (const ms of times) assert.equal(p({ t: new Date(ms) }), timeSegments(new Date(ms), 'hour').join('/'), String(ms));
  });

  it("escapes values like Spark's escapePathName; null and '' are the default partition", () => {
    assert.equal(escapePathName('a/b'), 'a%2Fb');
    assert.equal(escapePathName('k=v'), 'k%3Dv');
    assert.equal(escapePathName('50%'), '50%25');
    assert.equal(escapePathName('a:b?c*d"e#f\'g\\h{i[j]k^l'), 'a%3Ab%3Fc%2Ad%22e%23f%27g%5Ch%7Bi%5Bj%5Dk%5El');
    assert.equal(escapePathName('line\nbreak\u007f'), 'line%0Abreak%7F');
    assert.equal(escapePathName('plain text é 🌍-_.~'), 'plain text é 🌍-_.~');
    const p = partitioner([{ kind: 'column', column: 'sensor' }]);
    assert.equal(p({ sensor: 'a/b' }), 'sensor=a%2Fb');
    assert.equal(p({ sensor: null }), 'sensor=__HIVE_DEFAULT_PARTITION__');
    assert.equal(p({}), 'sensor=__HIVE_DEFAULT_PARTITION__');
    assert.equal(p({ sensor: '' }), 'sensor=__HIVE_DEFAULT_PARTITION__');
  });

  it('plain columns: strings, integers and booleans as Spark casts them; nested levels in order', () => {
    const p = partitioner([
      { kind: 'column', column: 'n' },
      { kind: 'column', column: 'b' },
      { kind: 'time', column: 't', granularity: 'day' },
    ]);
    assert.equal(p({ n: 5, b: true, t: utc('2026-01-02T03:04:05Z') }), 'n=5/b=true/year=2026/month=01/day=02');
    assert.equal(p({ n: -12345678901234567890n, b: false, t: null }).split('/').slice(0, 2).join('/'), 'n=-12345678901234567890/b=false');
    assert.throws(() => p({ n: 1.5, b: true, t: null }), /partition column "n" has the value number 1.5/);
    assert.throws(() => partitioner([{ kind: 'column', column: 'x' }])({ x: new Date(0) }), /use \{ time: x/);
    assert.throws(() => partitioner([{ kind: 'time', column: 't', granularity: 'hour' }])({ t: 'yesterday' }), /expected a valid Date/);
  });
});

// ---------------------------------------------------------------------------------------------------------------

const INPUT: Schema = [
  { name: 'id', type: 'long' },
  { name: 'timestamp', type: 'timestamp' },
  { name: 'value', type: 'long' },
  { name: 'tr', type: 'double' },
  { name: 'sensor', type: 'string' },
  { name: 'label', type: 'string' },
  { name: 'ok', type: 'boolean' },
  { name: 'payload', type: 'any' },
];
const location = { file: 'jobs/lake.yaml', path: 'sink' };

function createSink(path: string, options: Record<string, unknown> = {}, input: Schema = INPUT) {
  return parquetSink.create(parquetSink.options.parse({ path, ...options }), {
    input,
    location,
    queryName: 'lake',
    compile: () => {
      throw new Error('not used');
    },
  });
}

async function openSink(path: string, options: Record<string, unknown> = {}, queryId = 'query-1', logger: Logger = memoryLogger()) {
  const sink = createSink(path, options);
  await sink.open({ queryId, queryName: 'lake', outputMode: 'append', logger });
  return sink;
}

const TIMES = [
  '2026-12-31T23:59:59.999Z',
  '2027-01-01T00:00:00.000Z',
  '2026-11-23T00:00:00.000Z',
  '2026-11-23T09:41:07.123Z',
  '1969-12-31T23:59:59.999Z',
  null,
];
const VALUES = [0, -1, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, 42, null];
const DOUBLES = [0.1, -0, 0, NaN, Infinity, -Infinity, 5e-324, 1.7976931348623157e308, null, 2.5];
const SENSORS = ['a/b', 's=1', null, '', '50% full', 'plain'];
const LABELS = ['', 'héllo', '🌍 emoji', 'with\nnewline', null, 'a string longer than sixteen bytes, past the statistics truncation'];
const PAYLOADS = [{ a: 1, b: [1, 2n, 'x'], c: { d: null } }, 'text', 42, null, [1, 'x', true], true];

/** Rows with every type, nulls and edge values; `id` is unique (from `offset`) for sorting. */
function makeRows(count: number, offset = 0): Row[] {
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    const t = TIMES[i % TIMES.length];
    return {
      id: i,
      timestamp: t === null ? null : new Date(t),
      value: VALUES[i % VALUES.length],
      tr: DOUBLES[i % DOUBLES.length],
      sensor: SENSORS[i % SENSORS.length],
      label: LABELS[i % LABELS.length],
      ok: i % 5 === 4 ? null : i % 2 === 0,
      payload: PAYLOADS[i % PAYLOADS.length] as Row[string],
    };
  });
}

/** One value as both readers are normalised to: int64 and timestamps (µs) as bigint, partition ints as number. */
type Cell = bigint | number | string | boolean | null;
type Record_ = Record<string, Cell>;

const PARTITION_TYPES = { year: 'int32', month: 'int32', day: 'int32', hour: 'int32', sensor: 'string' } as const;

/** What a reader must return for `rows` written with `partitionBy: [{ time: timestamp, granularity: hour }, sensor]`. */
function expected(rows: Row[]): Record_[] {
  return rows
    .map((r) => {
      const t = r.timestamp as Date | null;
      const sensor = r.sensor as string | null;
      return {
        id: BigInt(r.id as number),
        timestamp: t === null ? null : BigInt(t.getTime()) * 1000n,
        value: r.value === null ? null : BigInt(r.value as number | bigint),
        tr: r.tr as number | null,
        label: r.label as string | null,
        ok: r.ok as boolean | null,
        payload: r.payload === null ? null : toJson(r.payload),
        year: t === null ? null : t.getUTCFullYear(),
        month: t === null ? null : t.getUTCMonth() + 1,
        day: t === null ? null : t.getUTCDate(),
        hour: t === null ? null : t.getUTCHours(),
        sensor: sensor === '' ? null : sensor, // Spark and pyarrow read '' and null partitions back as null
      };
    })
    .sort(byId);
}
const byId = (a: Record_, b: Record_) => (a.id! < b.id! ? -1 : a.id! > b.id! ? 1 : 0);

interface TableRead {
  /** Data files (relative paths, `/`-separated) with the Arrow-style type of each column inside them. */
  files: { path: string; rows: number; schema: Record<string, string>; metadata: Record<string, string> }[];
  /** Columns of the dataset read as a Hive-partitioned table. */
  schema: Record<string, string>;
  rows: (Record_ & { __file: string })[];
}

interface Reader {
  name: string;
  skip: string | false;
  read(root: string): Promise<TableRead>;
}

const PYARROW_SCRIPT = `
import json, math, os, sys
import pyarrow as pa, pyarrow.dataset as ds, pyarrow.parquet as pq
root = sys.argv[1]
def enc(v):
    if v is None or isinstance(v, (bool, str)): return v
    if isinstance(v, int): return str(v)
    if isinstance(v, float):
        if math.isnan(v): return 'NaN'
        if math.isinf(v): return 'Infinity' if v > 0 else '-Infinity'
        return repr(v)
    raise TypeError(repr(v))
files = []
for d, dirs, names in os.walk(root):
    dirs[:] = sorted(x for x in dirs if not x.startswith(('_', '.')))
    for n in sorted(names):
        if n.startswith(('_', '.')): continue
        p = os.path.join(d, n)
        f = pq.ParquetFile(p)
        files.append({'path': os.path.relpath(p, root).replace(os.sep, '/'), 'rows': f.metadata.num_rows,
                      'schema': {x.name: str(x.type) for x in f.schema_arrow},
                      'metadata': {k.decode(): v.decode() for k, v in (f.metadata.metadata or {}).items()}})
dataset = ds.dataset(root, format='parquet', partitioning='hive')
table = dataset.to_table(columns=dataset.schema.names + ['__filename'])
schema = {x.name: str(x.type) for x in dataset.schema}
cols = {}
for name in table.schema.names:
    c = table.column(name)
    if pa.types.is_timestamp(c.type): c = c.cast(pa.int64())
    cols[name] = c.to_pylist()
rows = []
for i in range(table.num_rows):
    r = {k: enc(v[i]) for k, v in cols.items() if k != '__filename'}
    r['__file'] = os.path.relpath(cols['__filename'][i], root).replace(os.sep, '/')
    rows.append(r)
print(json.dumps({'files': files, 'schema': schema, 'rows': rows}))
`;

function fromText(type: string, v: unknown): Cell {
  if (v === null || typeof v === 'boolean') return v;
  const s = String(v);
  if (type === 'int64' || type.startsWith('timestamp')) return BigInt(s);
  if (type === 'int32' || type === 'double') return Number(s);
  return s;
}

// Without pyarrow its suite is skipped, unless STREAMLAB_REQUIRE_PYARROW=1 (for CI): then it fails, saying why.
const pythonCheck = spawnSync('python3', ['-c', 'import pyarrow; print(pyarrow.__version__)'], { encoding: 'utf8' });
const pyarrowMissing =
  pythonCheck.status === 0
    ? ''
    : `pyarrow is not installed for python3 (pip install pyarrow): ${pythonCheck.error?.message ?? pythonCheck.stderr?.trim().split('\n').at(-1)}`;
const pyarrowReader: Reader = {
  name: `pyarrow ${pythonCheck.stdout?.trim() ?? ''}`.trim(),
  skip: pyarrowMissing && process.env.STREAMLAB_REQUIRE_PYARROW !== '1' ? pyarrowMissing : false,
  async read(root) {
    assert.equal(pyarrowMissing, '');
    const child = spawn('python3', ['-c', PYARROW_SCRIPT, root]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, `pyarrow reader failed: ${err}`);
    const data = JSON.parse(out) as TableRead & { rows: Record<string, unknown>[] };
    const rows = data.rows.map((r) => {
      const rec: Record_ & { __file: string } = { __file: r.__file as string };
      for (const [k, type] of Object.entries(data.schema)) rec[k] = fromText(type, r[k]);
      return rec;
    });
    return { files: data.files, schema: data.schema, rows: rows.sort(byId) };
  },
};

/** Arrow-style name of a Parquet column type, as hyparquet reports the schema element. */
function arrowType(e: {
  type?: string;
  converted_type?: string;
  logical_type?: { type: string; unit?: string; isAdjustedToUTC?: boolean };
}): string {
  if (e.logical_type?.type === 'TIMESTAMP') {
    return `timestamp[${{ MILLIS: 'ms', MICROS: 'us', NANOS: 'ns' }[e.logical_type.unit ?? 'MILLIS']}${e.logical_type.isAdjustedToUTC ? ', tz=UTC' : ''}]`;
  }
  if (e.type === 'BYTE_ARRAY' && (e.converted_type === 'UTF8' || e.logical_type?.type === 'STRING')) return 'string';
  return ({ INT64: 'int64', INT32: 'int32', DOUBLE: 'double', BOOLEAN: 'bool' } as Record<string, string>)[e.type ?? ''] ?? `?${e.type}`;
}

const GUNZIP = { GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)) };

const hyparquetReader: Reader = {
  name: 'hyparquet',
  skip: false,
  async read(root) {
    const files: TableRead['files'] = [];
    const rows: TableRead['rows'] = [];
    const partitionValues = new Map<string, Set<string | null>>();
    const rawRows: {
      values: Record<string, unknown>;
      parts: Record<string, string | null>;
      file: string;
      types: Record<string, string>;
    }[] = [];
    for (const path of await dataFiles(root)) {
      const file = await asyncBufferFromFile(join(root, ...path.split('/')));
      const metadata = await parquetMetadataAsync(file);
      const types = Object.fromEntries(metadata.schema.slice(1).map((e) => [e.name, arrowType(e as never)]));
      files.push({
        path,
        rows: Number(metadata.num_rows),
        schema: types,
        metadata: Object.fromEntries((metadata.key_value_metadata ?? []).map((kv) => [kv.key, kv.value ?? ''])),
      });
      const parts: Record<string, string | null> = {};
      for (const seg of path.split('/').slice(0, -1)) {
        const [k, v] = seg.split('=');
        const value =
          v === '__HIVE_DEFAULT_PARTITION__' ? null : v.replace(/%([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
        parts[k] = value;
        if (!partitionValues.has(k)) partitionValues.set(k, new Set());
        partitionValues.get(k)!.add(value);
      }
      for (const values of await parquetReadObjects({ file, compressors: GUNZIP })) rawRows.push({ values, parts, file: path, types });
    }
    // Hive partition type inference, as pyarrow does it: all integers -> int32, else string.
    const partitionTypes = Object.fromEntries(
      [...partitionValues].map(([k, vs]) => [k, [...vs].every((v) => v === null || /^-?\d+$/.test(v)) ? 'int32' : 'string']),
    );
    const schema: Record<string, string> = { ...(files[0]?.schema ?? {}), ...partitionTypes };
    for (const { values, parts, file, types } of rawRows) {
      const rec: Record_ & { __file: string } = { __file: file };
      for (const [k, type] of Object.entries(types)) {
        const v = values[k];
        rec[k] = v instanceof Date ? BigInt(v.getTime()) * 1000n : typeof v === 'number' && type === 'int64' ? BigInt(v) : (v as Cell);
      }
      for (const [k, v] of Object.entries(parts)) rec[k] = fromText(partitionTypes[k], v);
      rows.push(rec);
    }
    return { files, schema, rows: rows.sort(byId) };
  },
};

/** Data files under root, as readers see them: names starting with `.` or `_` are skipped. */
async function dataFiles(root: string): Promise<string[]> {
  return (await allFiles(root)).filter((f) => !f.split('/').some((s) => s.startsWith('.') || s.startsWith('_')));
}

async function allFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

async function digests(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of await allFiles(root))
    out.set(
      f,
      createHash('sha256')
        .update(await readFile(join(root, f)))
        .digest('hex'),
    );
  return out;
}

const withoutFile = (rows: TableRead['rows']) => rows.map(({ __file: _, ...rest }) => rest);

let scratch = '';
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'streamlab-parquet-'));
});
after(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});
let dirCount = 0;
const freshDir = () => join(scratch, `t${++dirCount}`);

const PARTITIONED = { partitionBy: [{ time: 'timestamp', granularity: 'hour' }, 'sensor'] };

for (const reader of [pyarrowReader, hyparquetReader]) {
  describeOrSkip(`parquet sink: read back with ${reader.name}`, { skip: reader.skip }, () => {
    it('every row and every field of two batches, timestamps included, with the Spark-compatible types', async () => {
      const dir = freshDir();
      const sink = await openSink(dir, PARTITIONED);
      const first = makeRows(60);
      const second = makeRows(45, 60);
      await sink.foreachBatch(first, 0);
      await sink.foreachBatch(second, 1);
      await sink.close();

      const table = await reader.read(dir);
      assert.deepEqual(withoutFile(table.rows), expected([...first, ...second]));
      assert.deepEqual(table.schema, {
        id: 'int64',
        timestamp: 'timestamp[us, tz=UTC]',
        value: 'int64',
        tr: 'double',
        label: 'string',
        ok: 'bool',
        payload: 'string',
        ...PARTITION_TYPES,
      });
      for (const file of table.files) {
        // the partition column lives in the folder names only; the time column stays in the files
        assert.deepEqual(Object.keys(file.schema), ['id', 'timestamp', 'value', 'tr', 'label', 'ok', 'payload'], file.path);
        assert.match(
          file.path,
          /^year=[^/]+\/month=[^/]+\/day=[^/]+\/hour=[^/]+\/sensor=[^/]+\/part-00000000000[01]-[0-9a-f]{8}-c000\.snappy\.parquet$/,
        );
        assert.equal(file.metadata['streamlab.batchId'], file.path.includes('part-000000000000-') ? '0' : '1');
      }
      // each row is in the folder of its own partition values
      for (const row of table.rows) {
        const t = row.timestamp === null ? null : new Date(Number((row.timestamp as bigint) / 1000n));
        const sensor = row.sensor === null ? '__HIVE_DEFAULT_PARTITION__' : escapePathName(row.sensor as string);
        assert.ok(row.__file.startsWith(`${timeSegments(t, 'hour').join('/')}/sensor=${sensor}/`), row.__file);
      }
      // one file per batch and partition
      const folders = (batch: Row[]) => new Set(batch.map((r) => partitioner(createSinkSpecs())(r))).size;
      assert.equal(table.files.length, folders(first) + folders(second));
      assert.equal(
        table.files.reduce((n, f) => n + f.rows, 0),
        105,
      );
    });

    it('gzip and uncompressed, no partitions, several row groups and maxRowsPerFile', async () => {
      for (const compression of ['gzip', 'uncompressed'] as const) {
        const dir = freshDir();
        const sink = await openSink(dir, { compression, rowGroupSize: 7, maxRowsPerFile: 40 });
        const rows = makeRows(100);
        await sink.foreachBatch(rows, 3);
        const table = await reader.read(dir);
        const ext = compression === 'gzip' ? '.gz' : '';
        assert.deepEqual(
          table.files.map((f) => [f.path, f.rows]),
          [0, 1, 2].map((n) => [`part-000000000003-${queryTag('query-1')}-c00${n}${ext}.parquet`, n < 2 ? 40 : 20]),
        );
        const all = expected(rows).map(({ year: _y, month: _m, day: _d, hour: _h, ...r }) => r);
        assert.deepEqual(
          withoutFile(table.rows),
          all.map((r) => ({ ...r, sensor: rows[Number(r.id)].sensor as string | null })),
        );
      }
    });

    it('keeps the sign of zero where the writer would use a dictionary', async () => {
      const dir = freshDir();
      const sink = await openSink(dir);
      const rows = makeRows(1000).map((r, i) => ({ ...r, tr: i % 3 === 0 ? null : i % 2 ? -0 : 0 }));
      await sink.foreachBatch(rows, 0);
      const tr = (await reader.read(dir)).rows.map((r) => r.tr);
      assert.deepEqual(
        tr,
        rows.map((r) => r.tr),
      );
    });

    it('a replayed batch gives identical files and no duplicates', async () => {
      const dir = freshDir();
      const rows = makeRows(50);
      let sink = await openSink(dir, PARTITIONED);
      await sink.foreachBatch(makeRows(10, 1000), 0);
      await sink.foreachBatch(rows, 1);
      const before = await digests(dir);
      // a restart replays batch 1 with the same rows (the engine found offsets/1 but no commits/1)
      sink = await openSink(dir, PARTITIONED);
      await sink.foreachBatch(rows, 1);
      assert.deepEqual(await digests(dir), before);
      const table = await reader.read(dir);
      assert.deepEqual(withoutFile(table.rows), expected([...makeRows(10, 1000), ...rows]));
    });

    it("a replay that no longer produces a partition removes the earlier attempt's file, and only that", async () => {
      const dir = freshDir();
      const logger = memoryLogger();
      let sink = await openSink(dir, PARTITIONED, 'query-1', logger);
      const batch0 = makeRows(12, 500);
      await sink.foreachBatch(batch0, 0);
      const first = makeRows(30);
      await sink.foreachBatch(first, 1);
      // the replay of batch 1 brings other rows (a source that is not deterministic): fewer partitions
      const replay = first.filter((r) => r.sensor === 'plain' || r.sensor === 'a/b').map((r) => ({ ...r, label: 'second attempt' }));
      sink = await openSink(dir, PARTITIONED, 'query-1', logger);
      await sink.foreachBatch(replay, 1);
      const table = await reader.read(dir);
      assert.deepEqual(withoutFile(table.rows), expected([...batch0, ...replay]));
      assert.ok(table.files.every((f) => f.path.includes('part-000000000000-') || /sensor=(plain|a%2Fb)\//.test(f.path)));
      assert.equal(logger.messages('warn').length, 1);
      assert.match(logger.messages('warn')[0], /batch 1 was replayed with different partitions; removed \d+ file/);
      // no empty partition folder is left behind
      const folders = new Set((await allFiles(dir)).map((f) => f.split('/').slice(0, -1).join('/')));
      const entries = await readdir(dir, { recursive: true, withFileTypes: true });
      for (const e of entries.filter((x) => x.isDirectory())) {
        const rel = relative(dir, join(e.parentPath, e.name)).split(sep).join('/');
        assert.ok(
          [...folders].some((f) => f === rel || f.startsWith(`${rel}/`)),
          `empty folder ${rel}`,
        );
      }
      // an empty replay of the batch leaves nothing of it
      sink = await openSink(dir, PARTITIONED, 'query-1', logger);
      await sink.foreachBatch([], 1);
      assert.deepEqual(withoutFile((await reader.read(dir)).rows), expected(batch0));
    });
  });
}

function createSinkSpecs() {
  return checkPartitions(parquetSink.options.parse({ path: 'x', ...PARTITIONED }).partitionBy, { input: INPUT, location }).specs;
}

describe('parquet sink: files and replays', () => {
  it("the next batch and another query never touch a batch's files", async () => {
    const dir = freshDir();
    const a = await openSink(dir, PARTITIONED, 'query-a');
    await a.foreachBatch(makeRows(20), 0);
    const afterA0 = await digests(dir);
    await a.foreachBatch(makeRows(20, 20), 1);
    // the same job after its checkpoint was deleted has a new query id: its batch 0 does not overwrite
    const b = await openSink(dir, PARTITIONED, 'query-b');
    await b.foreachBatch(makeRows(20, 100), 0);
    const now = await digests(dir);
    for (const [file, digest] of afterA0) if (!file.startsWith(`${METADATA_DIR}/`)) assert.equal(now.get(file), digest, file);
    const table = await hyparquetReader.read(dir);
    assert.equal(table.rows.length, 60);
    assert.deepEqual(
      (await readdir(join(dir, METADATA_DIR))).sort(),
      [`parquet-${queryTag('query-a')}.json`, `parquet-${queryTag('query-b')}.json`].sort(),
    );
  });

  it('leaves no temp file after a batch; an empty batch writes no file', async () => {
    const dir = freshDir();
    const sink = await openSink(dir, PARTITIONED);
    await sink.foreachBatch(makeRows(40), 0);
    await sink.foreachBatch([], 1);
    const files = await allFiles(dir);
    assert.ok(files.length > 1);
    assert.deepEqual(
      files.filter((f) => f.includes('.tmp')),
      [],
    );
    assert.deepEqual(
      files.filter((f) => f.includes('part-000000000001-')),
      [],
    );
  });

  it('a failed write leaves the final name as it was and no temp file', async () => {
    const dir = freshDir();
    await mkdir(dir, { recursive: true });
    const final = join(dir, 'part-000000000001-x-c000.parquet');
    await writeFile(final, 'the earlier attempt');
    await mkdir(tempName(final)); // opening the temp file for writing fails (EISDIR)
    await assert.rejects(writeFileAtomic(final, new Uint8Array([1, 2, 3])));
    assert.equal(await readFile(final, 'utf8'), 'the earlier attempt');
    await rm(tempName(final), { recursive: true });
    await writeFileAtomic(final, new Uint8Array([1, 2, 3]));
    assert.deepEqual([...(await readFile(final))], [1, 2, 3]);
    assert.deepEqual(await readdir(dir), ['part-000000000001-x-c000.parquet']);
  });

  it('a crash in the middle of a batch leaves only complete files under final names; the replay completes it', async () => {
    const dir = freshDir();
    const sinkUrl = new URL('../../src/sinks/parquet/index.js', import.meta.url).href;
    const loggerUrl = new URL('../../src/core/logger.js', import.meta.url).href;
    // The child writes a batch of many partitions and is killed (SIGKILL) halfway through writing its 5th file:
    // that file's temp holds half its bytes, the four before are final, the rest not started.
    const script = `
      import fs from 'node:fs';
      const fsp = fs.promises;
      const proto = Object.getPrototypeOf(await fsp.open('${process.execPath.replace(/\\/g, '\\\\')}', 'r'));
      const writeFile = proto.writeFile;
      let files = 0;
      proto.writeFile = async function (data, ...rest) {
        if (data.length > 4 && new TextDecoder().decode(data.subarray(0, 4)) === 'PAR1' && ++files === 5) {
          await writeFile.call(this, data.subarray(0, data.length >> 1));
          await this.sync();
          process.kill(process.pid, 'SIGKILL');
        }
        return writeFile.call(this, data, ...rest);
      };
      const { parquetSink } = await import('${sinkUrl}');
      const { silentLogger } = await import('${loggerUrl}');
      const input = ${JSON.stringify(CRASH_INPUT)};
      // the same rows as crashRows() (checked: the replay below is byte-identical to a clean run)
      const rows = Array.from({ length: 1200 }, (_, i) => ({ id: i, label: 'p' + String(i % 12).padStart(2, '0'), x: i / 7 }));
      const sink = parquetSink.create(parquetSink.options.parse({ path: ${JSON.stringify(dir)}, partitionBy: ['label'] }),
        { input, location: { path: 'sink' }, queryName: 'lake', compile() {} });
      await sink.open({ queryId: 'query-1', queryName: 'lake', outputMode: 'append', logger: silentLogger });
      await sink.foreachBatch(rows, 7);
      console.log('not killed');
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(child.signal, 'SIGKILL', `${child.stdout}${child.stderr}`);

    const files = await allFiles(dir);
    const isTemp = (f: string) => f.split('/').at(-1)!.startsWith('.');
    const finals = files.filter((f) => f.startsWith('label=') && !isTemp(f));
    const temps = files.filter(isTemp);
    assert.equal(finals.length, 4, files.join('\n'));
    assert.equal(temps.length, 1, files.join('\n'));
    for (const f of finals) {
      const bytes = await readFile(join(dir, f));
      assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), 'PAR1', f);
      assert.equal(new TextDecoder().decode(bytes.subarray(-4)), 'PAR1', f);
      await parquetReadObjects({ file: await asyncBufferFromFile(join(dir, f)) }); // complete: parses
    }
    // the manifest, written before any data file, lists everything the crashed attempt could have left
    const manifest = JSON.parse(await readFile(join(dir, METADATA_DIR, `parquet-${queryTag('query-1')}.json`), 'utf8')) as {
      batchId: number;
      files: string[];
    };
    assert.equal(manifest.batchId, 7);
    assert.equal(manifest.files.length, CRASH_PARTITIONS);
    for (const f of finals) assert.ok(manifest.files.includes(f));

    // the engine restarts and replays batch 7 with the same rows
    const sink = createSink(dir, { partitionBy: ['label'] }, CRASH_INPUT);
    await sink.open({ queryId: 'query-1', queryName: 'lake', outputMode: 'append', logger: memoryLogger() });
    await sink.foreachBatch(crashRows(), 7);
    const after = await allFiles(dir);
    assert.deepEqual(after.filter(isTemp), []);
    assert.equal(after.filter((f) => f.startsWith('label=')).length, CRASH_PARTITIONS);
    // identical to a run that never crashed
    const clean = freshDir();
    const cleanSink = createSink(clean, { partitionBy: ['label'] }, CRASH_INPUT);
    await cleanSink.open({ queryId: 'query-1', queryName: 'lake', outputMode: 'append', logger: memoryLogger() });
    await cleanSink.foreachBatch(crashRows(), 7);
    assert.deepEqual(await digests(dir), await digests(clean));
    const table = await (pyarrowReader.skip ? hyparquetReader : pyarrowReader).read(dir);
    assert.equal(table.rows.length, crashRows().length);
  });
});

const CRASH_PARTITIONS = 12;
const CRASH_INPUT: Schema = [
  { name: 'id', type: 'long' },
  { name: 'label', type: 'string' },
  { name: 'x', type: 'double' },
];
function crashRows(): Row[] {
  return Array.from({ length: 1200 }, (_, i) => ({ id: i, label: `p${String(i % CRASH_PARTITIONS).padStart(2, '0')}`, x: i / 7 }));
}

describe('parquet sink: definition', () => {
  it('its examples are valid options and build against a rate-like input', () => {
    const input: Schema = [
      { name: 'timestamp', type: 'timestamp' },
      { name: 'value', type: 'long' },
      { name: 'sensor', type: 'string' },
    ];
    assert.ok(parquetSink.examples.length >= 1);
    for (const example of parquetSink.examples) {
      const options = parquetSink.options.parse(example);
      const sink = parquetSink.create(options, { input, location, queryName: 'lake', compile: () => ({}) as never });
      assert.match(sink.description, /^ParquetSink\[path=data\/lake\//);
    }
  });

  it('defaults and strictness', () => {
    const options = parquetSink.options.parse({ path: 'out' });
    assert.deepEqual(options, { path: 'out', partitionBy: [], compression: 'snappy', rowGroupSize: 100000 });
    assert.deepEqual(parquetSink.options.parse({ path: 'out', partitionBy: [{ time: 't' }] }).partitionBy, [
      { time: 't', granularity: 'hour' },
    ]);
    assert.equal(parquetSink.options.safeParse({ path: 'out', partitionby: [] }).success, false);
    assert.equal(parquetSink.options.safeParse({ path: 'out', compression: 'zstd' }).success, false);
    assert.equal(parquetSink.options.safeParse({ path: 'out', partitionBy: [{ time: 't', granularity: 'minute' }] }).success, false);
    assert.equal(parquetSink.options.safeParse({ path: 'out', rowGroupSize: 0 }).success, false);
  });

  it('reports every partitionBy problem at once, with its path', () => {
    const input: Schema = [
      { name: 'timestamp', type: 'timestamp' },
      { name: 'hour', type: 'long' },
      { name: 'tr', type: 'double' },
      { name: 'sensor', type: 'string' },
    ];
    const partitionBy = parquetSink.options.parse({
      path: 'x',
      partitionBy: ['nope', 'tr', 'timestamp', { time: 'sensor' }, { time: 'timestamp', granularity: 'hour' }, 'sensor', 'sensor'],
    }).partitionBy;
    const error = (() => {
      try {
        checkPartitions(partitionBy, { input, location });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(error instanceof ConfigError);
    const got = error.problems.map((p) => `${p.file} ${p.path}: ${p.message}`);
    const expectedProblems = [
      /^jobs\/lake.yaml sink.partitionBy\[0\]: unknown column "nope"; the input has: timestamp: timestamp, hour: long/,
      /^jobs\/lake.yaml sink.partitionBy\[1\]: "tr" is double; partition columns must be string, long or boolean$/,
      /^jobs\/lake.yaml sink.partitionBy\[2\]: "timestamp" is a timestamp: .* use \{ time: timestamp, granularity: hour \}$/,
      /^jobs\/lake.yaml sink.partitionBy\[3\].time: a time partition needs a timestamp column, but "sensor" is string$/,
      /^jobs\/lake.yaml sink.partitionBy\[4\]: the folder level "year" is already produced by partitionBy\[3\]$/,
      /sink.partitionBy\[4\]: the time partition's folder "hour=" has the name of the input column "hour"/,
      /^jobs\/lake.yaml sink.partitionBy\[6\]: the folder level "sensor" is already produced by partitionBy\[5\]$/,
    ];
    for (const re of expectedProblems)
      assert.ok(
        got.some((g) => re.test(g)),
        `${re}\n${got.join('\n')}`,
      );
  });

  it('refuses to partition by every column', () => {
    const input: Schema = [{ name: 'sensor', type: 'string' }];
    assert.throws(() => checkPartitions(['sensor'], { input, location }), /the files would have no columns/);
  });

  it('a value that does not fit its column fails the batch with the column, the row and the value', async () => {
    const sink = await openSink(freshDir());
    const rows = makeRows(3);
    rows[2] = { ...rows[2], value: 1.5 };
    await assert.rejects(sink.foreachBatch(rows, 0), /batch 0: column "value" is declared long but row 2 of the batch has number 1.5/);
  });
});
