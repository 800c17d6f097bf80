import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { asyncScheduler } from 'rxjs';
import { silentLogger } from '../../src/core/logger.js';
import { StreamingQuery } from '../../src/core/query.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import { ParquetSink } from '../../src/sinks/parquet/sink.js';
import { ParquetSource, type ParquetSourceConfig } from '../../src/sources/parquet/source.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { memoryLogger } from '../support/memory-logger.js';
import { makeTempDir } from '../support/temp-dir.js';
import { RecordingSink } from '../streaming/harness.js';

const DATA: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'id', type: 'string' },
  { name: 'bytes', type: 'long' },
  { name: 'ratio', type: 'double' },
  { name: 'ok', type: 'boolean' },
  { name: 'tags', type: 'array' },
  { name: 'meta', type: 'struct' },
];
const HOURS: Schema = ['year', 'month', 'day', 'hour'].map((name) => ({ name, type: 'long' as const }));

/** Rows over three hours of 2026-11-30 (12, 13, 14 UTC), with nulls, -0, big longs and odd strings among them. */
function deviceRows(count: number, from = 0): Row[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      timestamp: new Date(Date.UTC(2026, 10, 30, 12 + (i % 3), i % 60, i % 59, i % 1000)),
      id: i % 7 === 0 ? null : `user-${i} "é/=%"`,
      bytes: i % 5 === 0 ? 2n ** 53n + BigInt(i * 2) : i * 1000,
      ratio: i % 11 === 0 ? -0 : i / 3,
      ok: i % 4 === 0 ? null : i % 2 === 0,
      tags: [`t${i}`, i],
      meta: { n: i, s: `m${i}` },
    };
  });
}

const hourOf = (row: Row) => (row.timestamp as Date).getUTCHours();
const withHours = (row: Row): Row => ({ ...row, year: 2026, month: 11, day: 30, hour: hourOf(row) });
const byKey = (a: Row, b: Row) =>
  (a.timestamp as Date).getTime() - (b.timestamp as Date).getTime() || String(a.bytes).localeCompare(String(b.bytes));
const context = (checkpointDir?: string, logger = silentLogger) => ({ scheduler: asyncScheduler, logger, checkpointDir });

async function writeLake(dir: string, batches: Row[][], queryId = 'q1'): Promise<void> {
  const sink = new ParquetSink({
    path: dir,
    partitionBy: [{ kind: 'time', column: 'timestamp', granularity: 'hour' }],
    columns: DATA,
    codec: 'snappy',
    rowGroupSize: 1000,
    queryName: 'test',
  });
  await sink.open({ queryId, queryName: 'test', outputMode: 'append', logger: silentLogger });
  for (const [batchId, rows] of batches.entries()) await sink.foreachBatch(rows, batchId);
}

function source(path: string, extra: Partial<ParquetSourceConfig> = {}): ParquetSource {
  return new ParquetSource({
    path,
    schema: [...DATA, ...HOURS],
    partitions: {},
    maxFileAgeMs: 7 * 86_400_000,
    ignoreCorruptFiles: false,
    ...extra,
  });
}

/** Every file below `dir`, relative, for asserting which ones a listing touched. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as { isFile(): boolean; parentPath: string; name: string }[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describe('parquet source: a lake written by the parquet sink', () => {
  it('reads back every row and field, the hour folders as long columns', async () => {
    const dir = makeTempDir('streamlab-lake-');
    const first = deviceRows(90);
    const second = deviceRows(40, 90);
    await writeLake(dir, [first, second]);
    const s = source(dir);
    await s.open(context());
    const end = await s.latestOffset(null);
    assert.deepEqual(end, { logOffset: 0 }, "Spark's FileStreamSourceOffset: the first entry of the file log");
    const rows = await s.getBatch(null, end!);
    assert.deepEqual(rows.sort(byKey), [...first, ...second].map(withHours).sort(byKey));
    assert.ok(Object.is(rows.find((r) => r.bytes === 11_000)?.ratio, -0), '-0 stays -0');
    assert.deepEqual(await s.latestOffset(end), end, 'nothing new: the offset does not move');
  });

  it('a plain partition column (partitionBy: [sensor]) comes back from its folder: escaped names, null, types', async () => {
    const dir = makeTempDir('streamlab-lake-');
    const columns: Schema = [
      { name: 'n', type: 'long' },
      { name: 'sensor', type: 'string' },
      { name: 'zone', type: 'long' },
    ];
    const sink = new ParquetSink({
      path: dir,
      partitionBy: [
        { kind: 'column', column: 'sensor' },
        { kind: 'column', column: 'zone' },
      ],
      columns: [columns[0]],
      codec: 'gzip',
      rowGroupSize: 2,
      queryName: 'test',
    });
    await sink.open({ queryId: 'q', queryName: 'test', outputMode: 'append', logger: silentLogger });
    const rows: Row[] = [
      { n: 1, sensor: 'a/b=c%', zone: 7 },
      { n: 2, sensor: null, zone: -3 },
      { n: 3, sensor: 'é €', zone: null },
      { n: 4, sensor: 'a/b=c%', zone: 7 },
      { n: 5, sensor: 'x', zone: 0 },
    ];
    await sink.foreachBatch(rows, 0);
    assert.ok(
      filesUnder(dir).some((f) => f.startsWith('sensor=a%2Fb%3Dc%25/zone=7/')),
      'Spark-escaped folder names',
    );
    const s = new ParquetSource({ path: dir, schema: columns, partitions: {}, maxFileAgeMs: 1, ignoreCorruptFiles: false });
    await s.open(context());
    const got = await s.getBatch(null, (await s.latestOffset(null))!);
    assert.deepEqual(
      got.sort((a, b) => Number(a.n) - Number(b.n)),
      rows,
    );
    const pruned = new ParquetSource({
      path: dir,
      schema: columns,
      partitions: { sensor: ['a/b=c%', null] },
      maxFileAgeMs: 1,
      ignoreCorruptFiles: false,
    });
    await pruned.open(context());
    const some = await pruned.getBatch(null, (await pruned.latestOffset(null))!);
    assert.deepEqual(some.map((r) => r.n).sort(), [1, 2, 4], 'a list of values, null for the default partition');
  });

  it('prunes to one hour without opening the files of other hours', async () => {
    const dir = makeTempDir('streamlab-lake-');
    const rows = deviceRows(60);
    await writeLake(dir, [rows]);
    // A file that would fail the read, in a pruned hour: the read succeeds only if it is never opened.
    writeFileSync(join(dir, 'year=2026/month=11/day=30/hour=12/broken.parquet'), 'not parquet');
    const s = source(dir, { partitions: { year: 2026, month: 11, day: 30, hour: 13 } });
    await s.open(context());
    const got = await s.getBatch(null, (await s.latestOffset(null))!);
    assert.deepEqual(
      got.sort(byKey),
      rows
        .filter((r) => hourOf(r) === 13)
        .map(withHours)
        .sort(byKey),
    );
    const strings = source(dir, { partitions: { hour: ['12', '14'] }, schema: [...DATA, { name: 'hour', type: 'string' }] });
    await strings.open(context());
    await assert.rejects(
      async () => strings.getBatch(null, (await strings.latestOffset(null))!),
      /broken\.parquet: not a Parquet file/,
      'hour 12 is read, so its foreign file is met',
    );
  });

  it('refuses a pruning name that is not a partition folder (it would prune nothing)', async () => {
    const dir = makeTempDir('streamlab-lake-');
    await writeLake(dir, [deviceRows(6)]);
    const s = source(dir, { partitions: { hr: 13 } });
    await s.open(context());
    await assert.rejects(
      async () => s.latestOffset(null),
      /partitions names 'hr', but the table's partition folders are year=\/month=\/day=\/hour=/,
    );
  });

  it('picks up new files as Spark does: offset = entry of the file log, replay and restart read the same files', async () => {
    const dir = makeTempDir('streamlab-lake-');
    const checkpoint = makeTempDir('streamlab-lake-ckpt-');
    const first = deviceRows(30);
    await writeLake(dir, [first]);
    const s = source(dir);
    await s.open(context(checkpoint));
    const o0 = await s.latestOffset(null);
    const batch0 = await s.getBatch(null, o0!);
    const later = deviceRows(12, 30);
    await writeLake(dir, [[], later], 'q2'); // another writer: its batch 1 adds files in the same hours
    const o1 = await s.latestOffset(o0);
    assert.deepEqual(o1, { logOffset: 1 });
    assert.deepEqual((await s.getBatch(o0, o1!)).sort(byKey), later.map(withHours).sort(byKey), 'only the new files');
    const entry = readFileSync(join(checkpoint, 'files', '1'), 'utf8').split('\n');
    assert.equal(entry[0], 'v1');
    assert.equal(entry.length, 4, 'one line per new file (three hours)');
    assert.equal(JSON.parse(entry[1]).batchId, 1);

    // A restart: the log gives the same files for the same offsets, and nothing seen is new again.
    const again = source(dir);
    await again.open(context(checkpoint));
    assert.deepEqual(await again.getBatch(null, o0!), batch0);
    assert.deepEqual((await again.getBatch(o0, o1!)).sort(byKey), later.map(withHours).sort(byKey));
    assert.deepEqual(await again.latestOffset(o1), o1);
  });

  it('takes at most maxFilesPerBatch new files, oldest first', async () => {
    const dir = makeTempDir('streamlab-lake-');
    await writeLake(dir, [deviceRows(9)]);
    const files = filesUnder(dir)
      .filter((f) => f.endsWith('.parquet'))
      .sort();
    files.forEach((f, i) => {
      utimesSync(join(dir, f), 1_000 + (files.length - i) * 10, 1_000 + (files.length - i) * 10); // hour 14 oldest
    });
    const s = source(dir, { maxFilesPerBatch: 2 });
    await s.open(context());
    const o0 = await s.latestOffset(null);
    const hours = (await s.getBatch(null, o0!)).map((r) => r.hour);
    assert.deepEqual([...new Set(hours)].sort(), [13, 14]);
    const o1 = await s.latestOffset(o0);
    assert.deepEqual([...new Set((await s.getBatch(o0, o1!)).map((r) => r.hour))], [12]);
  });

  it('availableNow: what was there at the start, not what arrives during the run; backlog counts files', async () => {
    const dir = makeTempDir('streamlab-lake-');
    await writeLake(dir, [deviceRows(6)]);
    const s = source(dir, { maxFilesPerBatch: 2 });
    await s.open(context());
    await s.prepareForTriggerAvailableNow();
    assert.deepEqual(s.backlog(null), { done: 0, total: 3, unit: 'files' });
    const o0 = await s.latestOffset(null);
    await writeLake(dir, [[], deviceRows(3, 6)], 'q2');
    assert.deepEqual(s.backlog(o0), { done: 2, total: 3, unit: 'files' });
    const o1 = await s.latestOffset(o0);
    assert.deepEqual(s.backlog(o1), { done: 3, total: 3, unit: 'files' });
    assert.deepEqual(await s.latestOffset(o1), o1, 'the files written after the start wait for the next run');
  });

  it('a foreign file fails the batch naming it; ignoreCorruptFiles skips it with a warning', async () => {
    const dir = makeTempDir('streamlab-lake-');
    const rows = deviceRows(6);
    await writeLake(dir, [rows]);
    const foreign = join(dir, 'year=2026/month=11/day=30/hour=13/notes.csv');
    writeFileSync(foreign, 'a,b\n1,2\n');
    const strict = source(dir);
    await strict.open(context());
    await assert.rejects(
      async () => strict.getBatch(null, (await strict.latestOffset(null))!),
      (error: Error) =>
        error.message.includes(foreign) && /not a Parquet file/.test(error.message) && /ignoreCorruptFiles/.test(error.message),
    );
    const logger = memoryLogger();
    const lenient = source(dir, { ignoreCorruptFiles: true });
    await lenient.open(context(undefined, logger));
    const got = await lenient.getBatch(null, (await lenient.latestOffset(null))!);
    assert.deepEqual(got.sort(byKey), rows.map(withHours).sort(byKey));
    assert.equal(logger.messages('warn').length, 1);
    assert.match(logger.messages('warn')[0], /skipped .*notes\.csv \(ignoreCorruptFiles\)/);
    assert.equal(lenient.metrics().corruptFilesSkipped, 1);
  });

  it('a column of another type in a file is named with the file and both types', async () => {
    const dir = makeTempDir('streamlab-lake-');
    await writeLake(dir, [deviceRows(3)]);
    const s = source(dir, { schema: [{ name: 'bytes', type: 'string' }] });
    await s.open(context());
    await assert.rejects(
      async () => s.getBatch(null, (await s.latestOffset(null))!),
      /part-.*\.parquet: column 'bytes' is INT64 in the file, but the schema declares it string/,
    );
  });

  it('refuses a table whose files sit below different partition folders', async () => {
    const dir = makeTempDir('streamlab-lake-');
    await writeLake(dir, [deviceRows(3)]);
    mkdirSync(join(dir, 'year=2026'), { recursive: true });
    writeFileSync(join(dir, 'year=2026/stray.parquet'), 'x');
    const s = source(dir);
    await s.open(context());
    await assert.rejects(async () => s.latestOffset(null), /conflicting directory structures/);
  });
});

/*
 * Files written by pyarrow (Apache Arrow's C++ writer, what Spark users and pandas produce): a hive-partitioned
 * dataset with the types pyarrow writes by default, nulls, unpadded partition folders (hour=9), and a
 * `_common_metadata` file beside the data. The script prints the rows it wrote; the source must read the same.
 */
const PYARROW_WRITER = `
import json, sys, datetime as dt
import pyarrow as pa, pyarrow.dataset as ds, pyarrow.parquet as pq
root = sys.argv[1]
n = 40
utc = dt.timezone.utc
ts = [dt.datetime(2026, 11, 30, 9 if i % 2 else 13, i, i % 60, i * 1001, tzinfo=utc) for i in range(n)]
cols = {
  'ts_us': pa.array(ts, pa.timestamp('us', tz='UTC')),
  'ts_ns': pa.array(ts, pa.timestamp('ns', tz='UTC')),
  'ts_ms': pa.array([t.replace(tzinfo=None) for t in ts], pa.timestamp('ms')),
  'i32': pa.array([None if i % 6 == 0 else i - 20 for i in range(n)], pa.int32()),
  'i64': pa.array([i * 10**15 + 7 for i in range(n)], pa.int64()),
  'f32': pa.array([i / 4 for i in range(n)], pa.float32()),
  'f64': pa.array([None if i % 9 == 0 else i / 3 for i in range(n)], pa.float64()),
  's': pa.array([None if i % 5 == 0 else 'row %d: é €' % i for i in range(n)], pa.string()),
  'b': pa.array([None if i % 7 == 0 else i % 2 == 0 for i in range(n)], pa.bool_()),
  'l': pa.array([['a%d' % i, 'b'] if i % 3 else [] for i in range(n)], pa.list_(pa.string())),
  'st': pa.array([{'k': 'v%d' % i, 'n': i} for i in range(n)], pa.struct([('k', pa.string()), ('n', pa.int32())])),
  'year': pa.array([2026] * n, pa.int32()), 'month': pa.array([11] * n, pa.int32()),
  'day': pa.array([30] * n, pa.int32()), 'hour': pa.array([t.hour for t in ts], pa.int32()),
}
table = pa.table(cols)
ds.write_dataset(table, root, format='parquet', partitioning=['year', 'month', 'day', 'hour'], partitioning_flavor='hive',
                 max_rows_per_group=16)
pq.write_metadata(table.drop_columns(['year', 'month', 'day', 'hour']).schema, root + '/_common_metadata')
ms = lambda t: int(t.timestamp() * 1000) if t.tzinfo else int(t.replace(tzinfo=utc).timestamp() * 1000)
rows = []
for i in range(n):
  r = {k: cols[k][i].as_py() for k in cols}
  r['ts_us'] = ms(r['ts_us']); r['ts_ns'] = ms(r['ts_ns']); r['ts_ms'] = ms(r['ts_ms'])
  r['i64'] = str(r['i64'])
  rows.append(r)
print(json.dumps(rows))
`;

const pyarrowCheck = spawnSync('python3', ['-c', 'import pyarrow; print(pyarrow.__version__)'], { encoding: 'utf8' });
const pyarrowSkip =
  pyarrowCheck.status === 0 || process.env.STREAMLAB_REQUIRE_PYARROW === '1'
    ? false
    : 'pyarrow is not installed for python3 (pip install pyarrow)';

describeOrSkip(`parquet source: files written by pyarrow ${pyarrowCheck.stdout?.trim() ?? ''}`, { skip: pyarrowSkip }, () => {
  const SCHEMA: Schema = [
    { name: 'ts_us', type: 'timestamp' },
    { name: 'ts_ns', type: 'timestamp' },
    { name: 'ts_ms', type: 'timestamp' },
    { name: 'i32', type: 'long' },
    { name: 'i64', type: 'long' },
    { name: 'f32', type: 'double' },
    { name: 'f64', type: 'double' },
    { name: 's', type: 'string' },
    { name: 'b', type: 'boolean' },
    { name: 'l', type: 'array' },
    { name: 'st', type: 'struct' },
    ...HOURS,
  ];

  it('reads back every row and field of a hive-partitioned pyarrow dataset', async () => {
    const dir = makeTempDir('streamlab-pyarrow-');
    const written = spawnSync('python3', ['-c', PYARROW_WRITER, dir], { encoding: 'utf8' });
    assert.equal(written.status, 0, written.stderr);
    const expected = (JSON.parse(written.stdout) as Record<string, unknown>[]).map(
      (r): Row => ({
        ...(r as Row),
        ts_us: new Date(r.ts_us as number),
        ts_ns: new Date(r.ts_ns as number),
        ts_ms: new Date(r.ts_ms as number),
        i64: BigInt(r.i64 as string),
      }),
    );
    assert.ok(
      filesUnder(dir).some((f) => f.startsWith('year=2026/month=11/day=30/hour=9/')),
      'pyarrow writes hour=9, unpadded',
    );
    const s = new ParquetSource({ path: dir, schema: SCHEMA, partitions: {}, maxFileAgeMs: 7 * 86_400_000, ignoreCorruptFiles: false });
    await s.open(context());
    const rows = await s.getBatch(null, (await s.latestOffset(null))!);
    const order = (a: Row, b: Row) => (a.ts_us as Date).getTime() - (b.ts_us as Date).getTime();
    // i64 beyond 2^53 stays a bigint; below it, a number, as every long column of streamlab.
    const normal = (r: Row): Row => ({
      ...r,
      i64: typeof r.i64 === 'bigint' && r.i64 <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(r.i64) : r.i64,
    });
    assert.deepEqual(rows.sort(order), expected.map(normal).sort(order));

    const pruned = new ParquetSource({ path: dir, schema: SCHEMA, partitions: { hour: 9 }, maxFileAgeMs: 1, ignoreCorruptFiles: false });
    await pruned.open(context());
    const nine = await pruned.getBatch(null, (await pruned.latestOffset(null))!);
    assert.deepEqual(
      nine.sort(order),
      expected
        .map(normal)
        .filter((r) => r.hour === 9)
        .sort(order),
      'hour: 9 matches the folder hour=9',
    );
  });
});

describe('parquet source in a query: the file log in the checkpoint', () => {
  const definition = (dir: string, checkpoint: string, sink: RecordingSink) => ({
    name: 'lake-read',
    source: source(dir, { maxFilesPerBatch: 2 }),
    operators: [],
    sink,
    trigger: { kind: 'availableNow' as const },
    outputMode: 'append' as const,
    checkpointLocation: checkpoint,
    sourceIdentity: { type: 'parquet', options: { path: dir } },
  });
  const allRows = (sink: RecordingSink) => sink.batches.flatMap((b) => b.rows).sort(byKey);

  it('a batch that crashed after the sink wrote it is replayed with the same files; later runs read only new files', async () => {
    const dir = makeTempDir('streamlab-lake-');
    const checkpoint = join(makeTempDir('streamlab-lake-ckpt-'), 'ckpt');
    const first = deviceRows(30);
    await writeLake(dir, [first]); // three hour files: batches of 2 and 1 files

    const crashing = new RecordingSink();
    crashing.crashAfterBatch = 0;
    await assert.rejects(new StreamingQuery(definition(dir, checkpoint, crashing), { logger: silentLogger }).run(), /simulated crash/);
    const written0 = crashing.batches[0].rows;
    assert.deepEqual(readdirSync(join(checkpoint, 'sources', '0', 'files')).sort(), ['0']);

    const later = deviceRows(9, 30);
    await writeLake(dir, [[], later], 'q2'); // arrives before the restart
    const restarted = new RecordingSink();
    await new StreamingQuery(definition(dir, checkpoint, restarted), { logger: silentLogger }).run();
    assert.equal(restarted.batches[0].batchId, 0, 'batch 0 runs again');
    assert.deepEqual(restarted.batches[0].rows, written0, 'with exactly the rows of its files');
    assert.deepEqual(allRows(restarted), [...first, ...later].map(withHours).sort(byKey), 'then the rest, once each');
    const offsets = readFileSync(join(checkpoint, 'offsets', String(restarted.batches.at(-1)!.batchId)), 'utf8').split('\n');
    const entries = readdirSync(join(checkpoint, 'sources', '0', 'files')).map(Number);
    assert.deepEqual(JSON.parse(offsets[2]), { logOffset: Math.max(...entries) }, "Spark's offset in the offsets log: the newest entry");

    const idle = new RecordingSink();
    await new StreamingQuery(definition(dir, checkpoint, idle), { logger: silentLogger }).run();
    assert.deepEqual(idle.batches, [], 'nothing new: no file is read twice');
  });
});
