/**
 * `down`: stops each server by the PID recorded when we started it (never by name), in reverse start order, and
 * removes its record even when the process had already crashed, so the next `up` starts clean.
 */
import { serviceDir } from './paths.js';
import { readRecord, removeRecord, stopProcess } from './process.js';
import type { Server } from './server.js';
import { refreshEnvFile, seconds } from './state.js';

export async function down(servers: readonly Server[]): Promise<void> {
  for (const server of [...servers].reverse()) {
    const dir = serviceDir(server.name);
    const record = readRecord(dir);
    if (!record) {
      process.stdout.write(`${server.name.padEnd(14)} not running\n`);
      continue;
    }
    const started = Date.now();
    const outcome = await stopProcess(record, server.stopSignal, server.stopTimeoutMs);
    removeRecord(dir);
    const what = {
      stopped: `stopped (pid ${record.pid}) in ${seconds(Date.now() - started)}`,
      killed: `killed (pid ${record.pid}) after not stopping within ${seconds(server.stopTimeoutMs)}`,
      gone: `was not running any more (pid ${record.pid} had exited); its record is removed`,
    }[outcome];
    process.stdout.write(`${server.name.padEnd(14)} ${what}\n`);
  }
  refreshEnvFile();
}
