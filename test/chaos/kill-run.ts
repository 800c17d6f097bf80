/**
 * One chaos run of one sink: the rate source into the sink, killed with SIGKILL again and again (at a random moment,
 * or right after the engine wrote a new offsets entry, before its commit), restarted each time, then stopped with
 * Ctrl-C; then every value is read back from the server and compared with what the committed offsets say was
 * produced: each value from 0 exactly once.
 */
import { join } from 'node:path';
import { exited } from '../support/cli.js';
import {
  aliveAfter,
  batchIds,
  committedRows,
  compare,
  emptyTally,
  finalRun,
  lastOf,
  start,
  type Tally,
  waitForBatch,
  writeChaosJob,
} from './job-process.js';
import type { ChaosTarget } from './targets.js';

export interface KillRunResult extends Tally {
  kills: number;
  afterOffsets: number;
}

export async function killRun(target: ChaosTarget, kills: number, random: () => number, cwd: string): Promise<KillRunResult> {
  const id = `chaos_${target.name.replace(/-/g, '_')}_${Date.now().toString(36)}`;
  const result: KillRunResult = { ...emptyTally(target.name), kills: 0, afterOffsets: 0 };
  const checkpoint = writeChaosJob(cwd, id, await target.prepare(id, cwd), target.rowsPerSecond);
  try {
    for (let k = 0; k < kills; k++) {
      const run = start(cwd, id);
      const offsetsBefore = lastOf(batchIds(join(checkpoint, 'offsets')));
      const afterOffsets = random() < 0.5;
      const ready = afterOffsets
        ? await waitForBatch(join(checkpoint, 'offsets'), offsetsBefore, run.child, 30_000)
        : await aliveAfter(run.child, 300 + random() * 2200);
      run.child.kill('SIGKILL');
      await exited(run.child);
      if (!ready) {
        result.restartsFailed++;
        result.failures.push(`run ${k + 1} ended before it was killed:\n${run.output().slice(-2000)}`);
        continue;
      }
      result.kills++;
      if (afterOffsets) result.afterOffsets++;
    }
    await finalRun(cwd, id, checkpoint, result);
    result.expected = committedRows(checkpoint, target.rowsPerSecond);
    compare(await target.readValues(id, cwd), result);
  } finally {
    await target.cleanup(id).catch((e: unknown) => result.failures.push(`cleanup: ${String(e)}`));
  }
  return result;
}
