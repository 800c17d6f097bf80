/** Stopping a query while its sink waits: the stop signal reaches the sink, the batch stays uncommitted and replays. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Logger } from '../../src/core/logger.js';
import { StreamingQuery, type QueryDefinition } from '../../src/core/query.js';
import type { Row } from '../../src/core/row.js';
import type { Sink, SinkContext } from '../../src/core/sink.js';
import { sleepUnlessStopped, StopRequestedError } from '../../src/core/stop.js';
import { RateMicroBatchSource } from '../../src/sources/rate-micro-batch.js';

/** Batch `waitAt` waits (an hour, unless stopped), as a sink waiting for a server to settle an earlier write. */
class WaitingSink implements Sink {
  readonly description = 'WaitingSink';
  readonly written: number[] = [];
  waiting?: () => void;
  private signal?: AbortSignal;
  constructor(private readonly waitAt: number) {}
  async open(context: SinkContext) {
    this.signal = context.stopSignal;
  }
  async foreachBatch(_rows: Row[], batchId: number) {
    if (batchId === this.waitAt) {
      this.waiting?.();
      await sleepUnlessStopped(3_600_000, this.signal, () => `stopped while waiting in batch ${batchId}`);
    }
    this.written.push(batchId);
  }
  async close() {}
}

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'streamlab-stop-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

const definition = (sink: Sink): QueryDefinition => ({
  name: 'q',
  source: new RateMicroBatchSource(5, 1_700_000_000_000, 1000),
  operators: [],
  sink,
  trigger: { kind: 'default' },
  outputMode: 'append',
  checkpointLocation: join(dir, 'checkpoint'),
});

describe('stopping while the sink waits', () => {
  it('stop() ends the wait at once: run() resolves, the batch is not committed, and the next start runs it again', async () => {
    const warnings: string[] = [];
    const logger: Logger = { info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined };
    const sink = new WaitingSink(2);
    const query = new StreamingQuery(definition(sink), { logger });
    sink.waiting = () => query.stop();
    await query.run();
    assert.deepEqual(sink.written, [0, 1]);
    assert.deepEqual(warnings, ['batch 2 not committed (it runs again on the next start): stopped while waiting in batch 2']);
    assert.equal(existsSync(join(dir, 'checkpoint', 'commits', '2')), false);
    assert.equal(existsSync(join(dir, 'checkpoint', 'offsets', '2')), true);

    const again = new WaitingSink(-1);
    await new StreamingQuery(definition(again), { maxBatches: 1 }).run();
    assert.deepEqual(again.written, [2]);
  });

  it('sleepUnlessStopped: waits without a signal; rejects at once when the signal is or becomes aborted', async () => {
    await sleepUnlessStopped(1, undefined, () => 'never');
    const controller = new AbortController();
    const pending = sleepUnlessStopped(3_600_000, controller.signal, () => 'stopped');
    controller.abort();
    await assert.rejects(pending, (e: unknown) => e instanceof StopRequestedError && e.message === 'stopped');
    await assert.rejects(
      sleepUnlessStopped(1, controller.signal, () => 'already'),
      /already/,
    );
  });
});
