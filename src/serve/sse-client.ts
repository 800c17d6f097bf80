import type { ServerResponse } from 'node:http';

/**
 * One browser's Server-Sent Events stream. The engine must never wait for a browser: events are written without
 * waiting, and when a client does not read (a stuck tab, a slow link) the bytes the socket has not taken pile up
 * only to `maxBufferedBytes`; past that, events are dropped and counted, and the client is told how many it missed
 * once it reads again (it then reloads the query's state from the API).
 */
export class SseClient {
  dropped = 0;
  private droppedSinceNotice = 0;

  constructor(
    private readonly response: ServerResponse,
    private readonly maxBufferedBytes = 1 << 20,
  ) {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    // Browsers reconnect after this many ms when the stream breaks (the server restarted, a network blip).
    response.write('retry: 2000\n\n');
  }

  /** Sends one event (already serialized JSON), or drops it when the client is too far behind. */
  send(type: string, json: string): void {
    if (this.response.writableLength > this.maxBufferedBytes) {
      this.dropped++;
      this.droppedSinceNotice++;
      return;
    }
    if (this.droppedSinceNotice > 0) {
      this.response.write(`event: dropped\ndata: ${JSON.stringify({ dropped: this.droppedSinceNotice })}\n\n`);
      this.droppedSinceNotice = 0;
    }
    this.response.write(`event: ${type}\ndata: ${json}\n\n`);
  }

  /** A comment line: keeps proxies and the browser from timing out an idle stream. */
  ping(): void {
    if (this.response.writableLength <= this.maxBufferedBytes) this.response.write(': ping\n\n');
  }

  close(): void {
    this.response.end();
  }
}
