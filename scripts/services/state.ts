/**
 * The state of a server as `up`, `down` and `status` see it: its process record, whether that process is
 * still ours and alive, and the context (dir, ports) its code runs with.
 */
import { mkdirSync } from 'node:fs';
import { writeEnvFile } from './envfile.js';
import { serviceDir } from './paths.js';
import { resolvePorts } from './ports.js';
import { isAlive, readRecord, type ProcessRecord } from './process.js';
import { SERVERS } from './registry.js';
import type { Server, ServerContext } from './server.js';

export function contextFor(server: Server, ports?: Record<string, number>): ServerContext {
  const dir = serviceDir(server.name);
  mkdirSync(dir, { recursive: true });
  return { name: server.name, dir, host: '127.0.0.1', ports: ports ?? resolvePorts(server.ports) };
}

/** The record of a server whose recorded process is still running, else undefined. */
export function runningRecord(server: Server): ProcessRecord | undefined {
  const record = readRecord(serviceDir(server.name));
  return record && isAlive(record) ? record : undefined;
}

/** Rewrites `.services/env` from the servers that are running now. */
export function refreshEnvFile(): void {
  const entries: Array<[string, string]> = [];
  for (const server of SERVERS) {
    const record = runningRecord(server);
    if (record) entries.push([server.envKey, record.address]);
  }
  writeEnvFile(entries);
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
export const mebibytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
