/**
 * `up`: for each server, one at a time: leave it alone if it is already up and answering; otherwise install
 * what is missing, check its ports, start it, wait until it answers a real query, do its one-time setup, and
 * print one line. A server that does not become ready is stopped and the tail of its log is printed; the others
 * still start, and the exit code says something failed.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { SetupError } from './errors.js';
import { START_MARKER, tailLines } from './logs.js';
import { assertPortsFree, resolvePorts } from './ports.js';
import { serviceDir } from './paths.js';
import {
  groupRssBytes,
  isAlive,
  readRecord,
  removeRecord,
  startDetached,
  startTicksOf,
  stopProcess,
  writeRecord,
  type ProcessRecord,
} from './process.js';
import { NotReady, waitUntilReady } from './ready.js';
import type { Server } from './server.js';
import { contextFor, mebibytes, refreshEnvFile, runningRecord, seconds } from './state.js';

const pad = (text: string, width: number) => text.padEnd(width);

/** STREAMLAB_READY_TIMEOUT_S overrides every server's own readiness timeout (a slow machine, or a test of it). */
function readyTimeoutMs(server: Server): number {
  const seconds = Number(process.env.STREAMLAB_READY_TIMEOUT_S);
  return seconds > 0 ? seconds * 1000 : server.readyTimeoutMs;
}

function line(server: Server, address: string, what: string): void {
  process.stdout.write(`${pad(server.name, 14)} ${pad(address, 16)} ${what}\n`);
}

/** A port override given while the server already runs elsewhere has no effect until `down`: say so. */
function warnIfMoved(server: Server, running: Record<string, number>): void {
  const wanted = resolvePorts(server.ports);
  for (const spec of server.ports) {
    if (wanted[spec.key] !== running[spec.key]) {
      process.stderr.write(
        `${server.name}: ${spec.env}=${wanted[spec.key]} ignored: it already runs on ${running[spec.key]}; ` +
          `to move it: npm run services -- down ${server.name} && npm run services -- up ${server.name}\n`,
      );
    }
  }
}

async function upOne(server: Server): Promise<void> {
  const running = runningRecord(server);
  if (running) {
    const ctx = contextFor(server, running.ports);
    // Ours and alive: answering means done; not answering yet means it may still be starting, so wait for it.
    const ms = await waitUntilReady(() => server.probe(ctx), {
      timeoutMs: readyTimeoutMs(server),
      alive: () => isAlive(running),
    }).catch(async (error: unknown) => failed(server, running, error));
    line(server, running.address, `already up (pid ${running.pid}, answered in ${seconds(ms)})`);
    warnIfMoved(server, running.ports);
    return;
  }
  const stale = readRecord(serviceDir(server.name));
  if (stale) {
    removeRecord(serviceDir(server.name)); // left by a crash or a reboot: its process is gone
    process.stderr.write(`${server.name}: removed the record of pid ${stale.pid}, which is no longer running\n`);
  }

  const installStarted = Date.now();
  await server.install();
  const installMs = Date.now() - installStarted;
  const ctx = contextFor(server);
  await assertPortsFree(server.name, server.ports, ctx.ports);
  const launch = await server.prepare(ctx);
  const log = join(ctx.dir, 'server.log');
  appendFileSync(log, `\n${START_MARKER} ${server.name} at ${new Date().toISOString()}\n`);
  const started = Date.now();
  const child = startDetached(launch, log);
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', () => (exited = true));
  const pid = child.pid;
  const startTicks = pid === undefined ? undefined : startTicksOf(pid);
  if (pid === undefined || startTicks === undefined) {
    throw new SetupError(`${server.name}: could not start ${launch.command}\n${tailLines(log)}`, 'see the log above');
  }
  const record: ProcessRecord = {
    pid,
    startTicks,
    address: `${ctx.host}:${ctx.ports[server.ports[0].key]}`,
    ports: ctx.ports,
    startedAt: new Date(started).toISOString(),
    log,
  };
  writeRecord(ctx.dir, record);
  await waitUntilReady(() => server.probe(ctx), {
    timeoutMs: readyTimeoutMs(server),
    alive: () => !exited && isAlive(record),
  }).catch(async (error: unknown) => failed(server, record, error));
  await server.afterReady?.(ctx);
  const ms = Date.now() - started;
  refreshEnvFile();
  // Readiness counts from the start of the process; a first-time install or build is reported separately.
  const installed = installMs >= 1000 ? `, after ${seconds(installMs)} installing` : '';
  line(server, record.address, `ready in ${seconds(ms)} (pid ${pid}, rss ${mebibytes(groupRssBytes(pid))}${installed})`);
}

/** Stops a server that did not become ready, forgets it, and fails with its last 30 log lines. */
async function failed(server: Server, record: ProcessRecord, error: unknown): Promise<never> {
  const why = error instanceof NotReady || error instanceof Error ? error.message : String(error);
  await stopProcess(record, server.stopSignal, server.stopTimeoutMs);
  removeRecord(serviceDir(server.name));
  refreshEnvFile();
  throw new SetupError(
    `${server.name}: ${why}; it was stopped. Last 30 lines of ${record.log}:\n${tailLines(record.log, 30)}`,
    `fix the cause, then: npm run services -- up ${server.name}`,
  );
}

/** Starts each server in turn; returns the errors (one per failed server) instead of stopping at the first. */
export async function up(servers: readonly Server[]): Promise<unknown[]> {
  const errors: unknown[] = [];
  const started = Date.now();
  for (const server of servers) {
    try {
      await upOne(server);
    } catch (error) {
      errors.push(error);
      if (!(error instanceof SetupError)) throw error;
      process.stderr.write(`\n${server.name}: FAILED: ${error.message}\n  -> ${error.hint ?? ''}\n\n`);
    }
  }
  refreshEnvFile();
  process.stdout.write(`up: ${servers.length - errors.length}/${servers.length} ready in ${seconds(Date.now() - started)}\n`);
  return errors;
}
