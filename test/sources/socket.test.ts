import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { asyncScheduler } from 'rxjs';
import { silentLogger } from '../../src/core/logger.js';
import { SocketSource } from '../../src/sources/socket.js';

const context = { scheduler: asyncScheduler, logger: silentLogger };

/** A loopback server standing in for `nc -lk`: hands each connection to the test. */
async function lineServer(): Promise<{ server: Server; port: number; connection: Promise<Socket> }> {
  let accept!: (s: Socket) => void;
  const connection = new Promise<Socket>((r) => (accept = r));
  const server = createServer(accept);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port, connection };
}

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
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
    assert.deepEqual(source.metrics(), { bufferedRows: 0, droppedRows: 0 });
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
});
