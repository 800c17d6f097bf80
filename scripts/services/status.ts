/**
 * `status`: one line per server: running or not, whether it answers a query right now, address, PID, uptime
 * and resident memory (summed over its process group). Exit code 1 when a server that runs does not answer.
 */
import { serviceDir } from './paths.js';
import { groupRssBytes, readRecord } from './process.js';
import { withTimeout } from './ready.js';
import type { Server } from './server.js';
import { contextFor, mebibytes, refreshEnvFile, runningRecord } from './state.js';

export async function status(servers: readonly Server[]): Promise<boolean> {
  let healthy = true;
  let total = 0;
  for (const server of servers) {
    const record = runningRecord(server);
    const name = server.name.padEnd(14);
    if (!record) {
      const stale = readRecord(serviceDir(server.name));
      // A record whose process is gone: it crashed or was killed; `down` or the next `up` removes the record.
      process.stdout.write(stale ? `${name} down (pid ${stale.pid} exited without \`down\`: see ${stale.log})\n` : `${name} down\n`);
      continue;
    }
    const ctx = contextFor(server, record.ports);
    const answer = await withTimeout(server.probe(ctx), 10_000, 'probe').then(
      () => 'ready',
      (error: unknown) => `NOT ANSWERING (${error instanceof Error ? error.message : error})`,
    );
    if (answer !== 'ready') healthy = false;
    const rss = groupRssBytes(record.pid);
    total += rss;
    const uptime = Math.round((Date.now() - Date.parse(record.startedAt)) / 1000);
    process.stdout.write(
      `${name} ${answer.padEnd(5)} ${record.address.padEnd(16)} pid ${record.pid}, up ${uptime}s, rss ${mebibytes(rss)}\n`,
    );
  }
  process.stdout.write(`total rss: ${mebibytes(total)}\n`);
  refreshEnvFile();
  return healthy;
}
