import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import type { QueryProgress } from '../../src/core/progress.js';
import { StreamingQuery, type QueryDefinition } from '../../src/core/query.js';
import type { Row } from '../../src/core/row.js';
import type { Sink } from '../../src/core/sink.js';
import { FileSink } from '../../src/sinks/file/index.js';
import { RateMicroBatchSource } from '../../src/sources/rate-micro-batch.js';

/** A sink that records every call; it can fail once at a given batch, after "writing", to simulate a crash. */
class RecordingSink implements Sink {
  readonly description = 'RecordingSink';
  readonly calls: Array<{ batchId: number; rows: Row[] }> = [];
  constructor(private readonly crashAtBatch?: number) {}
  async open() {}
  async foreachBatch(rows: Row[], batchId: number) {
    this.calls.push({ batchId, rows });
    if (batchId === this.crashAtBatch) throw new Error(`simulated crash in batch ${batchId}`);
  }
  async close() {}
}

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'streamlab-query-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

function definition(sink: Sink, name = 'q'): QueryDefinition {
  return {
    name,
    source: new RateMicroBatchSource(5, 1_700_000_000_000, 1000),
    operators: [],
    sink,
    trigger: { kind: 'default' },
    outputMode: 'append',
    checkpointLocation: join(dir, 'checkpoint'),
  };
}

describe('StreamingQuery', () => {
  it("writes offsets and commits in Spark's format, one pair per batch", async () => {
    const sink = new RecordingSink();
    await new StreamingQuery(definition(sink), { maxBatches: 3 }).run();
    assert.deepEqual(
      sink.calls.map((c) => c.batchId),
      [0, 1, 2],
    );
    assert.deepEqual(
      sink.calls[1].rows.map((r) => r.value),
      [5, 6, 7, 8, 9],
    );
    const offsets = await readFile(join(dir, 'checkpoint', 'offsets', '1'), 'utf8');
    const [version, header, offset] = offsets.trim().split('\n');
    assert.equal(version, 'v1');
    // Spark's two fields, then streamlab's record of the watermark late rows are judged against (Spark reads it from
    // offsets/N-1), then Spark's conf with the multiple-watermark policy (default min).
    assert.deepEqual(Object.keys(JSON.parse(header)), ['batchWatermarkMs', 'batchTimestampMs', 'lateEventsWatermarkMs', 'conf']);
    assert.deepEqual(JSON.parse(header).conf, { 'spark.sql.streaming.multipleWatermarkPolicy': 'min' });
    assert.equal(offset, '10');
    assert.equal(await readFile(join(dir, 'checkpoint', 'commits', '2'), 'utf8'), 'v1\n{"nextBatchWatermarkMs":0}\n');
    assert.deepEqual((await readdir(join(dir, 'checkpoint', 'commits'))).sort(), ['0', '1', '2']);
  });

  it('re-runs a batch that has an offsets entry but no commit, with the same batchId and the same rows', async () => {
    const crashing = new RecordingSink(2);
    await assert.rejects(new StreamingQuery(definition(crashing)).run(), /simulated crash in batch 2/);
    assert.ok(existsSync(join(dir, 'checkpoint', 'offsets', '2')), 'offsets/2 was written before the batch ran');
    assert.ok(!existsSync(join(dir, 'checkpoint', 'commits', '2')), 'commits/2 was not written');

    const restarted = new RecordingSink();
    const progress: QueryProgress[] = [];
    const query = new StreamingQuery(definition(restarted), { maxBatches: 2 });
    query.progress$.subscribe((p) => progress.push(p));
    await query.run();
    assert.deepEqual(
      restarted.calls.map((c) => c.batchId),
      [2, 3],
    );
    assert.deepEqual(restarted.calls[0].rows, crashing.calls[2].rows, 'the replayed batch has exactly the rows of the failed attempt');
    assert.equal(progress[0].recovered, true);
    assert.equal(progress[1].recovered, undefined);
    assert.deepEqual(
      restarted.calls[1].rows.map((r) => r.value),
      [15, 16, 17, 18, 19],
    );
  });

  it('with an idempotent sink, a crash between offsets and commit leaves every value exactly once', async () => {
    const out = join(dir, 'out');
    class CrashAfterWrite extends FileSink {
      override async foreachBatch(rows: Row[], batchId: number) {
        await super.foreachBatch(rows, batchId);
        if (batchId === 3) throw new Error('crash after the sink wrote batch 3, before commits/3');
      }
    }
    const schema = new RateMicroBatchSource(5, 0, 1000).schema;
    await assert.rejects(new StreamingQuery(definition(new CrashAfterWrite(out, 'jsonl', false, schema))).run(), /crash after/);
    await new StreamingQuery(definition(new FileSink(out, 'jsonl', false, schema)), { maxBatches: 3 }).run();

    const values: number[] = [];
    for (const file of (await readdir(out)).sort()) {
      for (const line of (await readFile(join(out, file), 'utf8')).trim().split('\n')) values.push(JSON.parse(line).value);
    }
    assert.deepEqual(
      values,
      Array.from({ length: 30 }, (_, i) => i),
      'batches 0..5, 5 rows each, each value once',
    );
  });

  it('goes on after the last committed batch on a clean restart', async () => {
    await new StreamingQuery(definition(new RecordingSink()), { maxBatches: 2 }).run();
    const sink = new RecordingSink();
    await new StreamingQuery(definition(sink), { maxBatches: 1 }).run();
    assert.deepEqual(
      sink.calls.map((c) => [c.batchId, c.rows[0].value]),
      [[2, 10]],
    );
  });

  it('keeps its id across restarts and gives each run a new runId', async () => {
    const first = new StreamingQuery(definition(new RecordingSink()), { maxBatches: 1 });
    await first.run();
    const second = new StreamingQuery(definition(new RecordingSink()), { maxBatches: 1 });
    await second.run();
    assert.equal(first.lastProgress!.id, second.lastProgress!.id);
    assert.notEqual(first.lastProgress!.runId, second.lastProgress!.runId);
  });

  it('refuses a checkpoint that belongs to another query, and leaves it untouched', async () => {
    await new StreamingQuery(definition(new RecordingSink(), 'first'), { maxBatches: 1 }).run();
    const before = await readdir(join(dir, 'checkpoint', 'offsets'));
    await assert.rejects(new StreamingQuery(definition(new RecordingSink(), 'second')).run(), (error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /belongs to query 'first'.*not 'second'/);
      return true;
    });
    assert.deepEqual(await readdir(join(dir, 'checkpoint', 'offsets')), before);
  });

  it('refuses a checkpoint locked by a live process, takes over a stale lock', async () => {
    const checkpoint = join(dir, 'checkpoint');
    await mkdir(checkpoint, { recursive: true });
    await writeFile(join(checkpoint, '.lock'), String(process.ppid)); // our parent: alive, and not us
    await assert.rejects(
      new StreamingQuery(definition(new RecordingSink())).run(),
      new RegExp(`in use by another running query \\(pid ${process.ppid}\\)`),
    );
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    await writeFile(join(checkpoint, '.lock'), dead);
    await new StreamingQuery(definition(new RecordingSink()), { maxBatches: 1 }).run();
    assert.ok(!existsSync(join(checkpoint, '.lock')), 'the lock is released when the query ends');
  });

  it("progress follows Spark's StreamingQueryProgress", async () => {
    const query = new StreamingQuery(definition(new RecordingSink()), { maxBatches: 1 });
    await query.run();
    const p = query.lastProgress!;
    assert.equal(p.name, 'q');
    assert.equal(p.batchId, 0);
    assert.equal(p.numInputRows, 5);
    assert.deepEqual(Object.keys(p.durationMs).sort(), [
      'addBatch',
      'commitOffsets',
      'getBatch',
      'latestOffset',
      'triggerExecution',
      'walCommit',
    ]);
    assert.deepEqual({ start: p.sources[0].startOffset, end: p.sources[0].endOffset }, { start: null, end: 5 });
    assert.deepEqual(p.sink, { description: 'RecordingSink', numOutputRows: 5 });
    assert.ok(!Number.isNaN(Date.parse(p.timestamp)));
  });
});
