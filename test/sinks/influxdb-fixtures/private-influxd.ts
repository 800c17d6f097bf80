/**
 * A private InfluxDB for one test file: the same binary and config writer as `npm run services` (InfluxDB 1.8.10
 * from scripts/services/influxdb18.ts, 1.6.7 from scripts/services/influxdb1.ts), in a temp dir, on free ports,
 * optionally with `auth-enabled = true`. Tests that must stop a server, or need one with authentication, use this
 * instead of the shared servers, which other test files use at the same time. It is stopped by its own PID.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, openSync, closeSync, rmSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { influxdb1 } from '../../../scripts/services/influxdb1.js';
import { influxdb18 } from '../../../scripts/services/influxdb18.js';
import type { ServerContext } from '../../../scripts/services/server.js';
import type { InfluxQLAnswer } from './read-back.js';

export type Flavor = 'influxdb18' | 'influxdb1';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export class PrivateInfluxd {
  private child: ChildProcess | undefined;
  private readonly ctx: ServerContext;
  readonly url: string;

  private constructor(
    readonly flavor: Flavor,
    readonly auth: boolean,
    dir: string,
    ports: { http: number; rpc: number },
  ) {
    this.ctx = { name: `private-${flavor}`, dir, host: '127.0.0.1', ports };
    this.url = `http://127.0.0.1:${ports.http}`;
  }

  static async create(flavor: Flavor, options: { auth?: boolean } = {}): Promise<PrivateInfluxd> {
    const dir = mkdtempSync(join(tmpdir(), `streamlab-${flavor}-`));
    const server = new PrivateInfluxd(flavor, options.auth ?? false, dir, { http: await freePort(), rpc: await freePort() });
    await server.start();
    return server;
  }

  get logFile(): string {
    return join(this.ctx.dir, 'server.log');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts (or restarts, on the same data) and waits until /ping answers. */
  async start(): Promise<void> {
    const definition = this.flavor === 'influxdb18' ? influxdb18 : influxdb1;
    const launch = await definition.prepare(this.ctx); // writes <dir>/influxdb.conf, [http] last
    if (this.auth) appendFileSync(join(this.ctx.dir, 'influxdb.conf'), '  auth-enabled = true\n');
    const log = openSync(this.logFile, 'a');
    try {
      this.child = spawn(launch.command, launch.args, { stdio: ['ignore', log, log] });
    } finally {
      closeSync(log);
    }
    const child = this.child;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${this.flavor} exited at start (${child.exitCode}); log:\n${this.logTail()}`);
      try {
        const response = await fetch(`${this.url}/ping`);
        await response.arrayBuffer();
        if (response.status === 204) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`${this.flavor} did not answer /ping within 60 s; log:\n${this.logTail()}`);
  }

  /** SIGTERM to our own child (by its PID), then SIGKILL if it has not exited within 20 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid!, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 20_000)));
    const outcome = await Promise.race([exited.then(() => 'exited' as const), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      process.kill(child.pid!, 'SIGKILL');
      await exited;
    }
  }

  /** Stops the server and removes its directory. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.ctx.dir, { recursive: true, force: true });
  }

  /** InfluxQL as `user` (or without credentials), times in epoch ms; reads the whole answer and throws on errors. */
  async query(q: string, credentials?: { user: string; password: string }): Promise<InfluxQLAnswer> {
    // 1.x reads u and p from the query string only, not from a form body.
    const params = new URLSearchParams({ epoch: 'ms', ...(credentials ? { u: credentials.user, p: credentials.password } : {}) });
    const response = await fetch(`${this.url}/query?${params}`, { method: 'POST', body: new URLSearchParams({ q }) });
    const text = await response.text();
    const json: Partial<InfluxQLAnswer> = text ? JSON.parse(text) : {};
    const error = json.error ?? json.results?.find((r) => r.error)?.error;
    if (!response.ok || error) throw new Error(`InfluxQL ${q}: HTTP ${response.status} ${error ?? text}`);
    return { ...json, results: json.results ?? [] };
  }

  private logTail(): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
