import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeError } from '../errors.js';
import { modifiedMsOf, startTicksOf, startTimeMsOf } from './process-start.js';

/** What `.lock` holds: the owner's PID and, where /proc exists, its start time (older locks hold the PID alone). */
interface LockOwner {
  pid: number;
  startTicks?: string;
}

/**
 * One running query per checkpoint: two processes appending to the same offsets log would each replay or skip the
 * other's batches. The lock is a file holding the owner's PID and start time, created exclusively. A lock whose owner
 * is gone (a crash, a SIGKILL) is stale and taken over; so is one whose PID now belongs to another process (PIDs are
 * reused after a reboot or a crash): that process started at another time than the one recorded, or, for a lock
 * without a start time, after the lock was written.
 */
export class CheckpointLock {
  private constructor(private readonly path: string) {}

  static async acquire(dir: string): Promise<CheckpointLock> {
    const path = join(dir, '.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await createWithOwner(path);
        return new CheckpointLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = parseOwner(await readFile(path, 'utf8').catch(() => ''));
        if (owner && owner.pid !== process.pid && isOwnerRunning(owner, path)) {
          throw new RuntimeError(
            `checkpoint ${dir} is in use by another running query (pid ${owner.pid}); stop it first (lock file ${path})`,
          );
        }
        await rm(path, { force: true });
      }
    }
    throw new RuntimeError(`could not lock checkpoint ${dir}`);
  }

  async release(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

/**
 * Creates `.lock` already holding its owner: written to a file of this process first, then linked into place, which
 * fails with EEXIST if a lock exists. Created empty and written after (open 'wx'), another process could read it in
 * between, find no owner, take it for stale and remove it, and both would run.
 */
async function createWithOwner(path: string): Promise<void> {
  const own = `${path}.${process.pid}`;
  const startTicks = startTicksOf(process.pid);
  await writeFile(own, JSON.stringify({ pid: process.pid, ...(startTicks ? { startTicks } : {}) }));
  try {
    await link(own, path);
  } finally {
    await rm(own, { force: true });
  }
}

/** `{"pid":..,"startTicks":".."}`, or a bare PID (locks written before the start time was recorded). */
function parseOwner(text: string): LockOwner | undefined {
  const bare = Number(text.trim());
  if (Number.isInteger(bare) && bare > 0) return { pid: bare };
  try {
    const parsed = JSON.parse(text) as LockOwner;
    return Number.isInteger(parsed.pid) && parsed.pid > 0 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isOwnerRunning(owner: LockOwner, lockPath: string): boolean {
  if (!isAlive(owner.pid)) return false;
  if (owner.startTicks !== undefined) {
    const now = startTicksOf(owner.pid);
    return now === undefined || now === owner.startTicks;
  }
  // No start time recorded: a process that started after the lock was written cannot have written it. The margin
  // covers the rounding of the boot time (whole seconds) and of the start ticks; a reused PID comes much later.
  const started = startTimeMsOf(owner.pid);
  const written = modifiedMsOf(lockPath);
  return started === undefined || written === undefined || started <= written + 5000;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
