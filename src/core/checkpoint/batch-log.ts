import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../durable-file.js';

/**
 * A directory of numbered entries, one file per batch (`offsets/0`, `offsets/1`, ...), after Spark's
 * HDFSMetadataLog. Each entry is written atomically; entries are only read back whole.
 */
export class BatchLog {
  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  async add(batchId: number, content: string): Promise<void> {
    await writeFileAtomic(join(this.dir, String(batchId)), content);
  }

  async get(batchId: number): Promise<string | undefined> {
    try {
      return await readFile(join(this.dir, String(batchId)), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Batch ids present, ascending (none when the directory is missing). Names that are not plain numbers (temp files) are ignored. */
  async batchIds(): Promise<number[]> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    return names
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .sort((a, b) => a - b);
  }

  async latest(): Promise<number | undefined> {
    const ids = await this.batchIds();
    return ids.at(-1);
  }

  async remove(batchId: number): Promise<void> {
    await rm(join(this.dir, String(batchId)), { force: true });
  }
}
