/**
 * Which watermark makes a row late, as Spark 4 has it (spark.sql.streaming.statefulOperator.allowMultiple=true, the
 * default): the previous batch's, while eviction and emission use the current one. The two differ when a data batch
 * directly follows one that moved the watermark, as with maxFilesPerBatch and a backlog. Expected rows, watermarks and
 * drop counts are what PySpark 4.3.0 printed for the same files (one per trigger, maxFilesPerTrigger=1, availableNow).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { buildJob } from '../../src/config/build-job.js';
import { loadJob } from '../../src/config/load-job.js';
import type { QueryProgress } from '../../src/core/progress.js';
import { StreamingQuery } from '../../src/core/query.js';
import type { Row } from '../../src/core/row.js';
import type { OutputMode } from '../../src/core/sink.js';
import { RecordingSink, seconds, windowStart } from './harness.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'streamlab-late-rows-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const at = (s: number | [number, string]) => {
  const [seconds, k] = typeof s === 'number' ? [s, 'a'] : s;
  return JSON.stringify({ t: new Date(seconds * 1000).toISOString(), k });
};

/** One file per batch (`000.jsonl`, ...), each holding rows at these epoch seconds (and key k, default 'a'). */
function files(...batches: Array<Array<number | [number, string]>>): void {
  mkdirSync(join(dir, 'in'), { recursive: true });
  for (const [i, times] of batches.entries())
    writeFileSync(join(dir, 'in', `${String(i).padStart(3, '0')}.jsonl`), times.map(at).join('\n'));
}

async function run(operators: unknown[], outputMode: OutputMode, sink = new RecordingSink()) {
  const job = {
    name: 'late-rows',
    source: { type: 'file', path: join(dir, 'in'), schema: { t: 'timestamp', k: 'string' }, maxFilesPerBatch: 1 },
    operators,
    sink: { type: 'console' },
    outputMode,
    trigger: { availableNow: true },
    checkpointLocation: join(dir, 'checkpoint'),
  };
  mkdirSync(join(dir, 'jobs'), { recursive: true });
  writeFileSync(join(dir, 'jobs', 'late-rows.yaml'), stringify(job));
  const built = buildJob(loadJob(join(dir, 'jobs', 'late-rows.yaml'), { cwd: dir, env: {} }));
  const progress: QueryProgress[] = [];
  const plan = built.plan.map((step) => step.description);
  const query = new StreamingQuery({ ...built.query, sink }, { pollMs: 1 });
  query.progress$.subscribe((p) => progress.push(p));
  await query.run();
  return { sink, progress, plan };
}

const windowed = [
  { withWatermark: { column: 't', delay: '10 seconds' } },
  { window: { column: 't', size: '5 seconds' } },
  { groupBy: { keys: ['window'], agg: { n: 'count()' } } },
];
const counts = (rows: Row[]) => rows.map((r) => [windowStart(r), r.n]);
const perBatch = (sink: RecordingSink, project: (rows: Row[]) => unknown) => sink.batches.map((b) => [b.batchId, project(b.rows)]);
const dropped = (progress: QueryProgress[]) => progress.map((p) => p.stateOperators[0].numRowsDroppedByWatermark);
const watermarks = (progress: QueryProgress[]) => progress.map((p) => p.eventTime?.watermark.slice(17, 19));

describe("late rows are judged by the previous batch's watermark (Spark 4)", () => {
  it('append: a row behind the new watermark but not the previous one is counted, and its window emitted at once', async () => {
    files([20], [7], [8]);
    const { sink, progress } = await run(windowed, 'append');
    // Spark: batch 1 runs with watermark 10 but judges lateness by batch 0's (0): 7 counts, window [5, 10) is final
    // at 10, so append mode writes it in the same batch; batch 2 judges by batch 1's watermark (10): 8 is late.
    assert.deepEqual(perBatch(sink, counts), [
      [0, []],
      [1, [[5, 1]]],
      [2, []],
    ]);
    assert.deepEqual(watermarks(progress), ['00', '10', '10']);
    assert.deepEqual(dropped(progress), [0, 0, 1]);
  });

  it('update: the same row counted and written', async () => {
    files([20], [7], [8]);
    const { sink, progress } = await run(windowed, 'update');
    assert.deepEqual(perBatch(sink, counts), [
      [0, [[20, 1]]],
      [1, [[5, 1]]],
      [2, []],
    ]);
    assert.deepEqual(dropped(progress), [0, 0, 1]);
  });

  it('dropDuplicates with the event time: rows at or behind the new watermark are kept when the previous one allows', async () => {
    files([20], [7, 10], [8]);
    const { sink, progress } = await run(
      [{ withWatermark: { column: 't', delay: '10 seconds' } }, { dropDuplicates: { columns: ['k', 't'] } }],
      'append',
    );
    assert.deepEqual(
      perBatch(sink, (rows) => rows.map((r) => seconds(r.t))),
      [
        [0, [20]],
        [1, [7, 10]],
        [2, []],
      ],
    );
    assert.deepEqual(dropped(progress), [0, 0, 1]);
  });

  it('offsets/N records it, and a replay of batch N judges its rows by it again (Spark reads offsets/N-1)', async () => {
    files([20], [7]);
    const crashing = new RecordingSink();
    crashing.crashAfterBatch = 1;
    await assert.rejects(run(windowed, 'update', crashing), /simulated crash after the sink wrote batch 1/);
    const [, header] = readFileSync(join(dir, 'checkpoint', 'offsets', '1'), 'utf8').split('\n');
    assert.deepEqual(JSON.parse(header), { ...JSON.parse(header), batchWatermarkMs: 10_000, lateEventsWatermarkMs: 0 });
    const { sink } = await run(windowed, 'update');
    // PySpark 4.3.0, batch 1 replayed after removing commits/1: [(5, 1)] again.
    assert.deepEqual(perBatch(sink, counts), [[1, [[5, 1]]]]);
  });

  it('an offsets entry of an older streamlab (no lateEventsWatermarkMs) replays as it ran: late by its own watermark', async () => {
    files([20], [7]);
    const crashing = new RecordingSink();
    crashing.crashAfterBatch = 1;
    await assert.rejects(run(windowed, 'update', crashing));
    const path = join(dir, 'checkpoint', 'offsets', '1');
    const [version, header, offset] = readFileSync(path, 'utf8').split('\n');
    const { batchWatermarkMs, batchTimestampMs } = JSON.parse(header);
    writeFileSync(path, `${version}\n${JSON.stringify({ batchWatermarkMs, batchTimestampMs })}\n${offset}\n`);
    const { sink, progress } = await run(windowed, 'update');
    assert.deepEqual(perBatch(sink, counts), [[1, []]]);
    assert.deepEqual(dropped(progress), [1]);
  });
});

describe('filter pushdown below withWatermark (Spark: PushPredicateThroughNonJoin)', () => {
  const operators = (condition: string) => [
    { withWatermark: { column: 't', delay: '10 seconds' } },
    { filter: condition },
    { window: { column: 't', size: '5 seconds' } },
    { groupBy: { keys: ['window'], agg: { n: 'count()' } } },
  ];

  it('a conjunct not on the event-time column runs before the watermark: rows it removes never move it', async () => {
    // PySpark 4.3.0 on these files: the row (40, x) is filtered out below EventTimeWatermark, so the watermark stays
    // at 10 and (16, a) is counted in batch 3; applied in the written order it would move the watermark to 30.
    files([20], [[40, 'x']], [14], [16]);
    const { sink, progress, plan } = await run(operators("k != 'x' and t < timestamp_millis(35000)"), 'update');
    assert.deepEqual(perBatch(sink, counts), [
      [0, [[20, 1]]],
      [1, []],
      [2, [[10, 1]]],
      [3, [[15, 1]]],
    ]);
    assert.deepEqual(watermarks(progress), ['00', '10', '10', '10']);
    // Spark's optimized plan: Filter NOT (k = x) below EventTimeWatermark, Filter (t < ...) above it.
    assert.deepEqual(plan.slice(1, 4), ["Filter k != 'x'", 'EventTimeWatermark t, delay 10s', 'Filter t < timestamp_millis(35000)']);
  });

  it('a conjunct on a column computed after the watermark moves with the expression in its place', async () => {
    // Spark's replaceAlias: the filter on kk reaches the watermark as a filter on upper(k); the same rows as above.
    files([20], [[40, 'x']], [14], [16]);
    const renamed = [
      { withWatermark: { column: 't', delay: '10 seconds' } },
      { withColumn: { name: 'kk', expr: 'upper(k)' } },
      { select: ['t', 'kk as key'] },
      { filter: "key != 'X'" },
      { window: { column: 't', size: '5 seconds' } },
      { groupBy: { keys: ['window'], agg: { n: 'count()' } } },
    ];
    const { sink, progress, plan } = await run(renamed, 'update');
    assert.deepEqual(perBatch(sink, counts), [
      [0, [[20, 1]]],
      [1, []],
      [2, [[10, 1]]],
      [3, [[15, 1]]],
    ]);
    assert.deepEqual(watermarks(progress), ['00', '10', '10', '10']);
    assert.deepEqual(plan.slice(1, 3), ["Filter upper(k) != 'X'", 'EventTimeWatermark t, delay 10s']);
  });

  it('a conjunct on a computed column that reads the event time stays where it is written', async () => {
    files([20]);
    const computed = [
      { withWatermark: { column: 't', delay: '10 seconds' } },
      { withColumn: { name: 'early', expr: 't < timestamp_millis(35000)' } },
      { filter: 'early' },
      { window: { column: 't', size: '5 seconds' } },
      { groupBy: { keys: ['window'], agg: { n: 'count()' } } },
    ];
    const { plan } = await run(computed, 'update');
    assert.deepEqual(plan.slice(1, 4), [
      'EventTimeWatermark t, delay 10s',
      'WithColumn early = t < timestamp_millis(35000)',
      'Filter early',
    ]);
  });

  it('a filter on the event-time column alone stays where it is written', async () => {
    files([20]);
    const { plan } = await run(operators('t < timestamp_millis(35000)'), 'update');
    assert.deepEqual(plan.slice(1, 3), ['EventTimeWatermark t, delay 10s', 'Filter t < timestamp_millis(35000)']);
  });
});
