/**
 * A local HTTP server that answers writes as a test scripts it, for what a real InfluxDB will not do on demand:
 * 429/503 with Retry-After, answers held back (to see what is in flight), a socket closed mid-request.
 * Everything else is tested against the real servers.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Answer = (request: Received, index: number, response: ServerResponse) => unknown;

export const answer = {
  noContent: (res: ServerResponse) => res.writeHead(204).end(),
  json: (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body)),
};

export class ScriptedServer {
  readonly received: Received[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(script: Answer): Promise<ScriptedServer> {
    let self!: ScriptedServer;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
        const received: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
        const index = self.received.push(received) - 1;
        self.inFlight++;
        self.maxInFlight = Math.max(self.maxInFlight, self.inFlight);
        res.on('close', () => self.inFlight--);
        await script(received, index, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    self = new ScriptedServer(server, `http://127.0.0.1:${port}`);
    return self;
  }

  /** Requests that carried points (the sink's connection check is an empty write). */
  get writes(): Received[] {
    return this.received.filter((r) => r.body !== '');
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
