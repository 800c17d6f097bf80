import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { asyncScheduler } from 'rxjs';
import { silentLogger } from '../../src/core/logger.js';
import { SocketSource } from '../../src/sources/socket/index.js';
import { until } from '../support/until.js';

const context = { scheduler: asyncScheduler, logger: silentLogger };

/** A loopback server standing in for `nc -lk`: hands each connection to the test. */
async function lineServer(): Promise<{ server: Server; port: number; connection: Promise<Socket> }> {
  let accept!: (s: Socket) => void;
  const connection = new Promise<Socket>((r) => (accept = r));
  const server = createServer(accept);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port, connection };
}

describe('socket source', () => {
  it('turns each line into a row, in order, and drops rows once committed', async () => {
    const { server, port, connection } = await lineServer();
    const source = new SocketSource('127.0.0.1', port, false, 100, 'block');
    await source.open(context);
    const peer = await connection;
    peer.write('hello world\nsecond line\r\nthird');
    peer.write(' part\n');
    await until(() => source.latestOffset() === 3);
    assert.deepEqual(source.getBatch(null, 3), [{ value: 'hello world' }, { value: 'second line' }, { value: 'third part' }]);
    source.commit(3);
    assert.deepEqual(source.metrics(), { bufferedRows: 0, droppedRows: 0, droppedLongLines: 0 });
    await source.stop();
    peer.destroy();
    server.close();
  });

  it('a refused connection is a clear error naming the address', async () => {
    const { server, port } = await lineServer();
    await new Promise((r) => server.close(r)); // the port is now closed
    await assert.rejects(new SocketSource('127.0.0.1', port, false, 10, 'block').open(context), {
      message: `socket source cannot connect to 127.0.0.1:${port} (ECONNREFUSED). Start a server there first, e.g. \`nc -lk ${port}\`, then run the job again.`,
    });
  });

  it('with block, pauses reading while the buffer is full and loses nothing', async () => {
    const { server, port, connection } = await lineServer();
    const source = new SocketSource('127.0.0.1', port, false, 10, 'block');
    await source.open(context);
    const peer = await connection;
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`);
    peer.write(`${lines.join('\n')}\n`);
    const seen: string[] = [];
    let offset = 0;
    await until(() => {
      const latest = source.latestOffset() as number | null;
      if (latest !== null && latest > offset) {
        seen.push(...source.getBatch(offset, latest).map((r) => r.value as string));
        source.commit(latest);
        offset = latest;
      }
      return seen.length === 50;
    });
    assert.deepEqual(seen, lines);
    assert.equal(source.metrics().droppedRows, 0);
    await source.stop();
    peer.destroy();
    server.close();
  });

  it('dropOldest: a batch keeps the rows it was given while the producer overruns the buffer, and the next batch gets the newest', async () => {
    const { server, port, connection } = await lineServer();
    const source = new SocketSource('127.0.0.1', port, false, 10, 'dropOldest');
    await source.open(context);
    const peer = await connection;
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    peer.write(`${lines.slice(0, 10).join('\n')}\n`);
    await until(() => source.latestOffset() === 10);
    peer.write(`${lines.slice(10).join('\n')}\n`); // 20 more rows into a buffer of 10, before the batch is read
    await until(() => source.metrics().droppedRows === 10);
    assert.deepEqual(
      source.getBatch(null, 10).map((r) => r.value),
      lines.slice(0, 10),
    );
    source.commit(10);
    const end = source.latestOffset() as number;
    assert.equal(end, 30);
    assert.deepEqual(
      source.getBatch(10, end).map((r) => r.value),
      lines.slice(20),
    );
    await source.stop();
    peer.destroy();
    server.close();
  });

  it('honours maxRowsPerBatch: each offset covers at most that many rows', async () => {
    const { server, port, connection } = await lineServer();
    const source = new SocketSource('127.0.0.1', port, false, 100, 'block');
    await source.open({ ...context, maxRowsPerBatch: 4 });
    const peer = await connection;
    peer.write(`${Array.from({ length: 10 }, (_, i) => i).join('\n')}\n`);
    await until(() => source.metrics().bufferedRows === 10);
    const batches: string[][] = [];
    for (let start = 0, end = source.latestOffset() as number; end > start; start = end, end = source.latestOffset() as number) {
      batches.push(source.getBatch(start, end).map((r) => r.value as string));
      source.commit(end);
    }
    assert.deepEqual(batches, [
      ['0', '1', '2', '3'],
      ['4', '5', '6', '7'],
      ['8', '9'],
    ]);
    await source.stop();
    peer.destroy();
    server.close();
  });

  it('onLongLine drop: a line over maxLineBytes (split over chunks, no newline for a while) is skipped and counted', async () => {
    const { server, port, connection } = await lineServer();
    const source = new SocketSource('127.0.0.1', port, false, 100, 'block', { maxLineBytes: 1000, onLongLine: 'drop' });
    await source.open(context);
    const peer = await connection;
    peer.write('before\nexactly');
    peer.write(`${'x'.repeat(993)}\r\n`); // 1000 bytes without the CR LF: still accepted
    for (let i = 0; i < 5; i++) peer.write('y'.repeat(700));
    peer.write('y\nafter é\n');
    await until(() => source.metrics().bufferedRows === 3);
    assert.deepEqual(
      source.getBatch(null, source.latestOffset()!).map((r) => r.value),
      ['before', `exactly${'x'.repeat(993)}`, 'after é'],
    );
    assert.equal(source.metrics().droppedLongLines, 1);
    await source.stop();
    peer.destroy();
    server.close();
  });

  it('onLongLine fail: the rows before the long line are handed out, then the source fails naming host:port and the limit', async () => {
    const { server, port, connection } = await lineServer();
    const source = new SocketSource('127.0.0.1', port, false, 100, 'block', { maxLineBytes: 64, onLongLine: 'fail' });
    await source.open(context);
    const peer = await connection;
    peer.write(`one\ntwo\n${'z'.repeat(66)}`); // no newline: fails once past 64 bytes (+1 for a possible CR)
    await until(() => source.metrics().bufferedRows === 2);
    peer.on('error', () => {}).resume();
    await until(() => peer.readableEnded || peer.destroyed); // the source stopped reading: it hung up
    const end = source.latestOffset()!;
    assert.deepEqual(
      source.getBatch(null, end).map((r) => r.value),
      ['one', 'two'],
    );
    source.commit(end);
    assert.throws(() => source.latestOffset(), {
      message: `socket source 127.0.0.1:${port}: a line is longer than maxLineBytes (64 bytes); the peer may not be sending newlines. Raise source.maxLineBytes, or set source.onLongLine: drop to skip such lines.`,
    });
    await source.stop();
    peer.destroy();
    server.close();
  });
});
