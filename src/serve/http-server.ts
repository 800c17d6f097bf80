import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { redact } from '../core/redact.js';
import type { QueryMetrics } from './metrics.js';
import { HubError, type QueryHub } from './query-hub.js';
import type { QueryEvent } from './query-record.js';
import { SseClient } from './sse-client.js';
import { loadStaticFiles } from './static-files.js';

export interface UiServerOptions {
  hub: QueryHub;
  metrics: QueryMetrics;
  host: string;
  /** Required on the API's state-changing calls when set (always set for a non-loopback host). */
  token?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host);
}

/**
 * The UI's HTTP server: the page, the REST API over the hub, the event stream and /metrics. Nothing here reads a
 * path from a request: the static files are a fixed table, the API names queries the hub knows.
 *
 *   GET  /                              the page
 *   GET  /api/queries                   every query: name, status, last batch
 *   GET  /api/queries/:name             status, plan, recent progress, last errors
 *   GET  /api/queries/:name/progress    recent progress objects (?last=N)
 *   GET  /api/queries/:name/batches/:id one batch's progress object
 *   POST /api/queries/:name/start|stop|restart   (token when required)
 *   GET  /api/events                    Server-Sent Events: progress, status, log of every query
 *   GET  /metrics                       Prometheus text format
 */
export class UiServer {
  private readonly server: Server;
  private readonly files = loadStaticFiles();
  private readonly clients = new Set<SseClient>();
  private readonly unlisten: () => void;
  private readonly pinger: NodeJS.Timeout;

  constructor(private readonly options: UiServerOptions) {
    if (!isLoopback(options.host) && !options.token) {
      throw new Error(`--host ${options.host} is not a loopback address: give --token (or STREAMLAB_UI_TOKEN) for the API`);
    }
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => sendJson(res, 500, { error: redact(String(error?.message ?? error)) }));
    });
    this.unlisten = options.hub.listen((event) => this.broadcast(event));
    this.pinger = setInterval(() => {
      for (const client of this.clients) client.ping();
    }, 15_000);
    this.pinger.unref();
  }

  /** Listens on `port`, or the next free one above it (as Spark's UI does from 4040); resolves the port taken. */
  async listen(port: number, attempts = 20): Promise<number> {
    for (let tried = 0; ; tried++) {
      try {
        await new Promise<void>((resolve, reject) => {
          this.server.once('error', reject);
          this.server.listen(port + tried, this.options.host, () => {
            this.server.off('error', reject);
            resolve();
          });
        });
        return (this.server.address() as AddressInfo).port;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || tried + 1 >= attempts || port === 0) throw error;
      }
    }
  }

  /** Dropped events over all clients (a browser that did not keep up). */
  get droppedEvents(): number {
    let dropped = 0;
    for (const client of this.clients) dropped += client.dropped;
    return dropped;
  }

  async close(): Promise<void> {
    this.unlisten();
    clearInterval(this.pinger);
    for (const client of this.clients) client.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private broadcast(event: QueryEvent): void {
    if (this.clients.size === 0) return;
    const json = redact(JSON.stringify(event));
    for (const client of this.clients) client.send(event.type, json);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method === 'GET' && this.files.has(url.pathname)) return this.sendFile(res, url.pathname);
    if (req.method === 'GET' && url.pathname === '/metrics') {
      res.writeHead(200, { 'content-type': this.options.metrics.registry.contentType });
      res.end(await this.options.metrics.registry.metrics());
      return;
    }
    if (parts[0] !== 'api') return sendJson(res, 404, { error: `no such page: ${url.pathname}` });
    try {
      await this.api(req, res, parts.slice(1), url);
    } catch (error) {
      if (error instanceof HubError) return sendJson(res, error.status, { error: redact(error.message) });
      throw error;
    }
  }

  private async api(req: IncomingMessage, res: ServerResponse, parts: string[], url: URL): Promise<void> {
    const { hub } = this.options;
    const [collection, name, action, id] = parts;
    if (req.method === 'GET' && collection === 'events' && parts.length === 1) return this.openEvents(req, res);
    if (collection !== 'queries') return sendJson(res, 404, { error: `no such API: /api/${parts.join('/')}` });
    if (req.method === 'GET' && !name) {
      const queries = hub.list().map((r) => {
        const { progress, explain: _explain, errors: _errors, windows: _windows, ...rest } = r.snapshot();
        return { ...rest, lastBatchId: progress.at(-1)?.batchId };
      });
      return sendJson(res, 200, { queries });
    }
    if (req.method === 'GET' && !action) return sendJson(res, 200, hub.get(name).snapshot());
    if (req.method === 'GET' && action === 'progress') {
      const last = Number(url.searchParams.get('last') ?? Infinity);
      return sendJson(res, 200, { progress: hub.get(name).snapshot().progress.slice(-Math.max(1, last)) });
    }
    if (req.method === 'GET' && action === 'batches' && id !== undefined) {
      const progress = hub.get(name).batch(Number(id));
      return progress ? sendJson(res, 200, progress) : sendJson(res, 404, { error: `batch ${id} of '${name}' is not in the history` });
    }
    if (req.method === 'POST' && ['start', 'stop', 'restart'].includes(action)) {
      if (!this.authorized(req, url)) return sendJson(res, 401, { error: 'this call needs the token (Authorization: Bearer <token>)' });
      const record = action === 'start' ? hub.start(name) : action === 'stop' ? await hub.stop(name) : await hub.restart(name);
      return sendJson(res, 200, { name, status: record.status, ...(record.error ? { error: record.error } : {}) });
    }
    return sendJson(res, 405, { error: `${req.method} /api/${parts.join('/')} is not supported` });
  }

  private openEvents(req: IncomingMessage, res: ServerResponse): void {
    const client = new SseClient(res);
    this.clients.add(client);
    req.on('close', () => this.clients.delete(client));
  }

  private authorized(req: IncomingMessage, url: URL): boolean {
    const { token } = this.options;
    if (!token) return true;
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : (url.searchParams.get('token') ?? '');
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private sendFile(res: ServerResponse, path: string): void {
    const file = this.files.get(path)!;
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache' });
    res.end(file.body);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(redact(JSON.stringify(body)));
}
