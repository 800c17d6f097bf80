/**
 * Stopping at awkward moments, and restarting after a batch of a source that cannot replay: nothing may run after a
 * batch was left uncommitted, a stop during open() is not lost, and a lost push batch is closed rather than re-used
 * under the same id (a sink that recognises batch ids would skip the new rows as a replay).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { StreamingQuery } from '../../src/core/query.js';
import type { Offset, Row } from '../../src/core/row.js';
import type { Sink, SinkContext } from '../../src/core/sink.js';
import type { Source } from '../../src/core/source.js';
import { StopRequestedError } from '../../src/core/stop.js';
import { RateMicroBatchSource } from '../../src/sources/rate-micro-batch.js';

/** A push source in miniature: rows pushed by the test, offsets are row counts of this run, not replayable. */
class PushedRows implements Source {
  readonly description = 'PushedRows';
  readonly replayable = false;
  readonly schema = [{ name: 'value', type: 'long' as const }];
  readonly rows: Row[] = [];
  async open() {}
  latestOffset(): Offset | null {
    return this.rows.length > 0 ? this.rows.length : null;
  }
  getBatch(start: Offset | null, end: Offset): Row[] {
    return this.rows.slice((start as number | null) ?? 0, end as number);
  }
  async drain() {}
  async stop() {}
}

/** Records batches; `behaviour` decides what a batch does before it is recorded. */
class ScriptedSink implements Sink {
  readonly description = 'ScriptedSink';
  readonly calls: Array<{ batchId: number; values: unknown[] }> = [];
  context!: SinkContext;
  constructor(
    private readonly behaviour: (batchId: number, sink: ScriptedSink) => Promise<void> = async () => {},
    private readonly opening: Promise<void> = Promise.resolve(),
  ) {}
  async open(context: SinkContext) {
    this.context = context;
    await this.opening;
  }
  async foreachBatch(rows: Row[], batchId: number) {
    this.calls.push({ batchId, values: rows.map((r) => r.value) });
    await this.behaviour(batchId, this);
  }
  async close() {}
}

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
async function checkpointDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'streamlab-stop-'));
  dirs.push(dir);
  return join(dir, 'checkpoint');
}

const query = (source: Source, sink: Sink, checkpointLocation: string) =>
  new StreamingQuery({
    name: 'stop-edges',
    source,
    operators: [],
    sink,
    trigger: { kind: 'default' },
    outputMode: 'append',
    checkpointLocation,
  });

const endOffsetOf = (checkpoint: string, batchId: number) =>
  Number(
    readFileSync(join(checkpoint, 'offsets', String(batchId)), 'utf8')
      .trim()
      .split('\n')[2],
  );

describe('stop and restart edge cases', () => {
  it('a stop() while the sink is still opening ends the run before any batch', { timeout: 20_000 }, async () => {
    let opened!: () => void;
    const sink = new ScriptedSink(undefined, new Promise<void>((r) => (opened = r)));
    const q = query(new RateMicroBatchSource(10, 0, 1000), sink, await checkpointDir());
    const running = q.run();
    await new Promise((r) => setTimeout(r, 50));
    q.stop();
    opened();
    await running;
    assert.deepEqual(sink.calls, [], 'no batch after the stop');
  });

  it('a batch the sink left uncommitted on stop is not planned again with other rows (no drain after it)', {
    timeout: 20_000,
  }, async () => {
    const source = new PushedRows();
    source.rows.push({ value: 1 }, { value: 2 });
    const checkpoint = await checkpointDir();
    const sink = new ScriptedSink(async (_batchId, s) => {
      source.rows.push({ value: 3 }); // arrives while the sink waits
      await new Promise<void>((resolve) => s.context.stopSignal!.addEventListener('abort', () => resolve()));
      throw new StopRequestedError('batch 0: waiting for a label');
    });
    const q = query(source, sink, checkpoint);
    const running = q.run();
    while (sink.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    q.stop();
    await running;
    assert.deepEqual(sink.calls, [{ batchId: 0, values: [1, 2] }]);
    assert.equal(endOffsetOf(checkpoint, 0), 2, 'offsets/0 still says what batch 0 was');
    assert.equal(existsSync(join(checkpoint, 'commits', '0')), false);
  });

  it('after a crash, an uncommitted batch of a push source is closed and the run goes on under the next id', async () => {
    const checkpoint = await checkpointDir();
    const first = new PushedRows();
    first.rows.push({ value: 1 });
    const failing = new ScriptedSink(async () => {
      throw new Error('sink crashed');
    });
    await assert.rejects(query(first, failing, checkpoint).run(), /sink crashed/);
    assert.equal(existsSync(join(checkpoint, 'commits', '0')), false);

    const second = new PushedRows();
    second.rows.push({ value: 7 }, { value: 8 });
    const sink = new ScriptedSink(async () => {
      q.stop();
    });
    const q = query(second, sink, checkpoint);
    await q.run();
    assert.deepEqual(sink.calls, [{ batchId: 1, values: [7, 8] }], "this run's rows under a new batch id");
    assert.equal(existsSync(join(checkpoint, 'commits', '0')), true, 'the lost batch 0 is closed');
  });
});
