import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeError } from '../errors.js';

/**
 * One running query per checkpoint: two processes appending to the same offsets log would each replay or skip the
 * other's batches. The lock is a file holding the owner's PID, created exclusively; a lock whose process is gone
 * (a crash, a SIGKILL) is stale and taken over.
 */
export class CheckpointLock {
  private constructor(private readonly path: string) {}

  static async acquire(dir: string): Promise<CheckpointLock> {
    const path = join(dir, '.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(path, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        return new CheckpointLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number(await readFile(path, 'utf8').catch(() => ''));
        if (owner && owner !== process.pid && isAlive(owner)) {
          throw new RuntimeError(`checkpoint ${dir} is in use by another running query (pid ${owner}); stop it first`);
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
