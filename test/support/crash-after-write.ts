/**
 * The crash the engine's exactly-once rests on: it wrote offsets/N, the sink wrote batch N, and the process died
 * before commits/N. `CrashAfterWrite` throws right after the wrapped sink's write of batch `crashAt`, so the query
 * stops with offsets/N and no commits/N; a new query on the same checkpoint then replays batch N with the same id and
 * the same rows. `crashAfterWriteAndRestart` runs both and says which batches the restart replayed.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import assert from 'node:assert/strict';
import type { Logger } from '../../src/core/logger.js';
import { StreamingQuery, type QueryDefinition } from '../../src/core/query.js';
import type { Row } from '../../src/core/row.js';
import type { Sink, SinkContext } from '../../src/core/sink.js';

export class CrashAfterWrite implements Sink {
  readonly description: string;

  constructor(
    private readonly inner: Sink,
    private readonly crashAt: number,
  ) {
    this.description = `CrashAfterWrite[${inner.description}]`;
  }

  open(context: SinkContext) {
    return this.inner.open(context);
  }

  async foreachBatch(rows: Row[], batchId: number) {
    await this.inner.foreachBatch(rows, batchId);
    if (batchId === this.crashAt) throw new Error(crashMessage(batchId));
  }

  close() {
    return this.inner.close();
  }
}

const crashMessage = (batchId: number) => `crash after writing batch ${batchId}, before commits/${batchId}`;

export interface CrashAndRestart {
  /** The query as it builds with a given sink (same checkpoint every time). */
  definition: (sink: Sink) => QueryDefinition;
  /** A new sink, as a restarted process builds it. */
  sink: () => Sink;
  crashAt: number;
  /** Batches the restarted query runs (the replay included); default: until the source has nothing more. */
  maxBatches?: number;
  logger?: Logger;
}

/** Runs the query until it crashes after writing batch `crashAt`, then restarts it; returns both and the replayed ids. */
export async function crashAfterWriteAndRestart(run: CrashAndRestart) {
  const crashed = new StreamingQuery(run.definition(new CrashAfterWrite(run.sink(), run.crashAt)), { logger: run.logger });
  await assert.rejects(crashed.run(), new RegExp(crashMessage(run.crashAt)));
  const restarted = new StreamingQuery(run.definition(run.sink()), { maxBatches: run.maxBatches, logger: run.logger });
  const replayed: number[] = [];
  restarted.progress$.subscribe((p) => p.recovered && replayed.push(p.batchId));
  await restarted.run();
  assert.equal(crashed.id, restarted.id, 'the restart keeps the query id from the checkpoint');
  return { crashed, restarted, replayed };
}
