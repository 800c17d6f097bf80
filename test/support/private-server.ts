/**
 * What the private servers of single test files share (a private Cassandra, a private InfluxDB): a temp dir, free
 * ports, a child process started from the same launch command as `npm run services`, polled until it answers,
 * stopped by its own PID (SIGTERM, then SIGKILL after a grace period), restarted on the same data. Tests that stop
 * a server, or need one with authentication, use such a server instead of the shared one other test files use.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Launch } from '../../scripts/services/process.js';
import type { ServerContext } from '../../scripts/services/server.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A context for `Server.prepare`: a fresh temp dir and a free port for each name in `portNames`. */
export async function privateContext(name: string, portNames: string[]): Promise<ServerContext> {
  const ports: Record<string, number> = {};
  for (const port of portNames) ports[port] = await freePort();
  return { name, dir: mkdtempSync(join(tmpdir(), `streamlab-${name}-`)), host: '127.0.0.1', ports };
}

export abstract class PrivateServer {
  private child: ChildProcess | undefined;

  protected constructor(
    protected readonly ctx: ServerContext,
    /** How long SIGTERM may take before SIGKILL. */
    private readonly stopGraceMs: number,
  ) {}

  /** Starts (or restarts, on the same data) and waits until the server answers. */
  abstract start(): Promise<unknown>;

  get logFile(): string {
    return join(this.ctx.dir, 'server.log');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Spawns `launch` with its output appended to the log, then polls `answers` (false or a throw: not yet) until it
   * is true; fails with the log's tail if the process exits first or `timeoutMs` passes.
   */
  protected async launch(launch: Launch, answers: () => Promise<boolean>, timeoutMs: number, pollMs: number): Promise<void> {
    const log = openSync(this.logFile, 'a');
    try {
      this.child = spawn(launch.command, launch.args, { cwd: launch.cwd, stdio: ['ignore', log, log] });
    } finally {
      closeSync(log);
    }
    const child = this.child;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${this.ctx.name} exited at start (${child.exitCode}); log:\n${this.logTail()}`);
      if (await answers().catch(() => false)) return;
      await sleep(pollMs);
    }
    throw new Error(`${this.ctx.name} did not answer within ${timeoutMs / 1000} s; log:\n${this.logTail()}`);
  }

  /** SIGTERM to our own child (by its PID), then SIGKILL if it has not exited within the grace period. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid!, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.stopGraceMs)));
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

  protected logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
