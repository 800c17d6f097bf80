/**
 * A browser that stops reading must not slow the engine: the hub's events are written without waiting, and past the
 * per-client buffer they are dropped and counted. A real HTTP server and a real socket that never reads.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { QueryProgress } from '../../src/core/progress.js';
import { UiServer } from '../../src/serve/http-server.js';
import { QueryMetrics } from '../../src/serve/metrics.js';
import { QueryHub } from '../../src/serve/query-hub.js';

function progress(batchId: number, padding: string): QueryProgress {
  return {
    id: 'q',
    runId: 'r',
    name: padding,
    timestamp: new Date(batchId * 1000).toISOString(),
    batchId,
    batchDuration: 1,
    numInputRows: 1,
    inputRowsPerSecond: 1,
    processedRowsPerSecond: 1,
    durationMs: { latestOffset: 0, getBatch: 0, addBatch: 0, walCommit: 0, commitOffsets: 0, triggerExecution: 1 },
    addBatchMs: { operators: 0, sink: 0 },
    stateOperators: [],
    sources: [],
    sink: { description: 'test', numOutputRows: 1 },
  };
}

describe('a browser that does not read', () => {
  const hub = new QueryHub();
  let server: UiServer;
  let socket: Socket;

  before(async () => {
    server = new UiServer({ hub, metrics: new QueryMetrics(hub), host: '127.0.0.1' });
    const port = await server.listen(0);
    hub.register('q');
    socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write('GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    socket.pause(); // never reads: the server's socket buffer fills up
    await new Promise((r) => setTimeout(r, 200));
  });

  after(async () => {
    socket.destroy();
    await server.close();
  });

  it('writes events without waiting: past its buffer they are dropped and counted, never queued without bound', async () => {
    const record = hub.get('q');
    const padding = 'x'.repeat(10_000);
    const events = 2_000; // ~20 MB of events: far more than the 1 MiB a client may have pending
    for (let i = 0; i < events; i++) record.addProgress(progress(i, padding));
    assert.ok(server.droppedEvents > events / 2, `most events were dropped (${server.droppedEvents} of ${events})`);
    assert.equal(record.snapshot().progress.length, 300, 'the history stays bounded too');
    assert.equal(record.snapshot().progress.at(-1)?.batchId, events - 1, 'and holds the newest batches');
  });
});
