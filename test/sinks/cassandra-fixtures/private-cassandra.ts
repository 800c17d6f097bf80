/**
 * A private Cassandra for one test file: the same jars, JVM flags and cassandra.yaml as `npm run services`
 * (scripts/services/cassandra.ts), in a temp dir, on free ports, optionally with PasswordAuthenticator (superuser
 * cassandra/cassandra). Tests that stop a server, or need one with authentication, use this instead of the shared
 * server, which other test files use at the same time. It is stopped by its own PID, and restarted on its data.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cassandraDriver from 'cassandra-driver';
import { cassandra } from '../../../scripts/services/cassandra.js';
import type { ServerContext } from '../../../scripts/services/server.js';

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

export const SUPERUSER = { username: 'cassandra', password: 'cassandra' };

export class PrivateCassandra {
  private child: ChildProcess | undefined;
  readonly address: string;

  private constructor(
    private readonly ctx: ServerContext,
    readonly auth: boolean,
  ) {
    this.address = `${ctx.host}:${ctx.ports.cql}`;
  }

  static async create(options: { auth?: boolean } = {}): Promise<PrivateCassandra> {
    const dir = mkdtempSync(join(tmpdir(), 'streamlab-cassandra-'));
    const ctx: ServerContext = {
      name: 'private-cassandra',
      dir,
      host: '127.0.0.1',
      ports: { cql: await freePort(), storage: await freePort() },
    };
    const server = new PrivateCassandra(ctx, options.auth ?? false);
    await server.start();
    return server;
  }

  get logFile(): string {
    return join(this.ctx.dir, 'server.log');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts (or restarts, on the same data) and waits until a CQL query answers; returns the time it took. */
  async start(): Promise<number> {
    const started = Date.now();
    const launch = await cassandra.prepare(this.ctx); // writes <dir>/conf/cassandra.yaml
    if (this.auth) appendFileSync(join(this.ctx.dir, 'conf', 'cassandra.yaml'), 'authenticator: PasswordAuthenticator\n');
    const log = openSync(this.logFile, 'a');
    try {
      this.child = spawn(launch.command, launch.args, { cwd: launch.cwd, stdio: ['ignore', log, log] });
    } finally {
      closeSync(log);
    }
    const child = this.child;
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`cassandra exited at start (${child.exitCode}); log:\n${this.logTail()}`);
      try {
        await this.execute('SELECT release_version FROM system.local');
        return Date.now() - started;
      } catch {
        await sleep(250); // not listening yet, or the superuser is not set up yet
      }
    }
    throw new Error(`cassandra did not answer CQL within 180 s; log:\n${this.logTail()}`);
  }

  /** SIGTERM to our own child (by its PID): Cassandra drains (flushes memtables) and exits; SIGKILL after 60 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid!, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 60_000)));
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

  /** One statement on a short-lived connection (as the superuser when auth is on). */
  async execute(statement: string, params: unknown[] = []): Promise<cassandraDriver.types.ResultSet> {
    const client = new cassandraDriver.Client({
      contactPoints: [this.address],
      localDataCenter: 'datacenter1',
      ...(this.auth ? { credentials: SUPERUSER } : {}),
      socketOptions: { connectTimeout: 2000, readTimeout: 20_000 },
      // The driver's default grows to 10 minutes: a timer that would keep the test process alive that long.
      policies: { reconnection: new cassandraDriver.policies.reconnection.ConstantReconnectionPolicy(500) },
    });
    try {
      await client.connect();
      return await client.execute(statement, params, { prepare: params.length > 0 });
    } finally {
      await client.shutdown();
    }
  }

  private logTail(): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
