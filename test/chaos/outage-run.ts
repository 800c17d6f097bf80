/**
 * A server outage in the middle of a run: the job writes to its sink, the server is stopped (by the PID that
 * `npm run services` recorded) for a while and started again. The job must ride it out (the sink retries with
 * backoff) or stop with an error and carry on when restarted; either way every value arrives exactly once.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { exited, repoRoot } from '../support/cli.js';
import type { ServiceName } from '../support/services.js';
import {
  batchIds,
  committedRows,
  compare,
  emptyTally,
  finalRun,
  lastOf,
  sleep,
  start,
  stoppedWithin,
  type Tally,
  waitForBatch,
  writeChaosJob,
} from './job-process.js';
import type { ChaosTarget } from './targets.js';

export interface OutageResult extends Tally {
  server: ServiceName;
  outageSeconds: number;
  /** Restarts the job needed after the outage (0: it rode it out). */
  restarts: number;
}

function services(command: 'up' | 'down', server: ServiceName): void {
  const result = spawnSync(process.execPath, [join(repoRoot, 'dist/scripts/services/main.js'), command, server], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (result.status !== 0) throw new Error(`services ${command} ${server} failed:\n${result.stdout}${result.stderr}`);
}

export async function outageRun(target: ChaosTarget & { needs: ServiceName }, outageMs: number, cwd: string): Promise<OutageResult> {
  const id = `chaos_outage_${target.name.replace(/-/g, '_')}_${Date.now().toString(36)}`;
  const result: OutageResult = { ...emptyTally(target.name), server: target.needs, outageSeconds: outageMs / 1000, restarts: 0 };
  const checkpoint = writeChaosJob(cwd, id, await target.prepare(id, cwd), target.rowsPerSecond);
  const commits = join(checkpoint, 'commits');
  let run = start(cwd, id);
  let serverDown = false;
  try {
    if (!(await waitForBatch(commits, 0, run.child, 60_000))) throw new Error(`no batch committed before the outage:\n${run.output()}`);
    services('down', target.needs);
    serverDown = true;
    await sleep(outageMs);
    services('up', target.needs);
    serverDown = false;
    // Two more commits after the server is back, restarting the job as often as it stops (at most 3 times).
    const goal = lastOf(batchIds(commits)) + 2;
    while (!(await waitForBatch(commits, goal - 1, run.child, 120_000))) {
      if (run.child.exitCode === null || result.restarts >= 3) {
        result.failures.push(`no progress after the outage:\n${run.output().slice(-2000)}`);
        break;
      }
      result.restarts++;
      run = start(cwd, id);
    }
    const code = await stoppedWithin(run.child, 60_000);
    if (code !== 0) result.failures.push(`did not stop cleanly (${code}):\n${run.output().slice(-2000)}`);
    await finalRun(cwd, id, checkpoint, result);
    result.expected = committedRows(checkpoint, target.rowsPerSecond);
    compare(await target.readValues(id, cwd), result);
  } finally {
    // Whatever went wrong, leave no job running and the server up for the targets after this one.
    if (run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill('SIGKILL');
      await exited(run.child);
    }
    if (serverDown) services('up', target.needs);
    await target.cleanup(id).catch((e: unknown) => result.failures.push(`cleanup: ${String(e)}`));
  }
  return result;
}
