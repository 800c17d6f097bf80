import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StreamingQuery } from '../../src/core/query.js';
import type { Row } from '../../src/core/row.js';
import type { Sink } from '../../src/core/sink.js';
import { SocketSource } from '../../src/sources/socket/index.js';
import { until } from '../support/until.js';

class RecordingSink implements Sink {
  readonly description = 'RecordingSink';
  readonly batches: Array<{ batchId: number; values: unknown[] }> = [];
  async open() {}
  async foreachBatch(rows: Row[], batchId: number) {
    this.batches.push({ batchId, values: rows.map((r) => r.value) });
  }
  async close() {}
}

describe('stopping a query on a push source', () => {
  it('writes the rows still buffered in final batches (of at most maxRowsPerBatch) before run() ends', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'streamlab-drain-'));
    let accept!: (s: Socket) => void;
    const connection = new Promise<Socket>((r) => (accept = r));
    const server = createServer(accept);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const source = new SocketSource('127.0.0.1', (server.address() as { port: number }).port, false, 100, 'block');
    const sink = new RecordingSink();
    const query = new StreamingQuery({
      name: 'drain',
      source,
      operators: [],
      sink,
      trigger: { kind: 'processingTime', intervalMs: 3_600_000 }, // no batch would run for an hour
      outputMode: 'append',
      checkpointLocation: join(dir, 'checkpoint'),
      maxRowsPerBatch: 3,
    });
    const running = query.run();
    const peer = await connection;
    await query.processAllAvailable(); // the first trigger found nothing; the next one is an hour away
    peer.write('a\nb\nc\nd\ne\n');
    await until(() => source.metrics().bufferedRows === 5, 5000);
    query.stop();
    await running;
    assert.deepEqual(sink.batches, [
      { batchId: 0, values: ['a', 'b', 'c'] },
      { batchId: 1, values: ['d', 'e'] },
    ]);
    peer.destroy();
    server.close();
    await rm(dir, { recursive: true, force: true });
  });
});
