import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDirectory, writeFileAtomic } from '../../core/durable-file.js';
import { RuntimeError } from '../../core/errors.js';
import type { ListedFile } from './listing.js';

/** One line of a log entry, as Spark's `FileStreamSource.FileEntry` (the path is relative to the table folder). */
export interface FileEntry {
  path: string;
  timestamp: number;
  batchId: number;
}

/**
 * The parquet source's own log, after Spark's `FileStreamSourceLog`: entry N lists the files that log offset N added,
 * written before the offset is handed to the engine. The source's offset is `{ logOffset: N }` (Spark's
 * `FileStreamSourceOffset`), so the rows of (start, end] are those of the files of entries start+1 .. end, the same
 * after a restart however the folder changed meanwhile: the offset stands for the files seen.
 *
 * Entries live in `<checkpoint>/sources/0/files/<N>` (Spark writes `sources/0/<N>`; streamlab keeps `sources/0/0` for
 * the source's metadata), each `v1` then one JSON object per file. Without a checkpoint folder (a join's static side)
 * the log lives in memory only.
 *
 * Compaction, as Spark's CompactibleFileStreamLog (spark.sql.streaming.fileSource.log.compactInterval, 10): every
 * tenth entry is written as `<N>.compact` holding the files of every entry up to N (each line keeps its batchId), and
 * the entries it replaces are deleted once it is durable. So a lake read hourly for a year leaves a few files in the
 * log, not 8,760, and a restart reads one file instead of all of them. A crash between the two leaves entries a
 * compact file already holds: they are ignored.
 */
export class FileLog {
  static readonly COMPACT_INTERVAL = 10;
  private readonly entries = new Map<number, FileEntry[]>();
  private latest = -1;

  constructor(private readonly dir: string | undefined) {}

  /** Loads the entries a previous run wrote; returns them all, for the seen-files map. */
  async restore(): Promise<FileEntry[]> {
    if (!this.dir) return [];
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const compacted = Math.max(-1, ...names.filter((n) => /^\d+\.compact$/.test(n)).map((n) => Number.parseInt(n, 10)));
    const all: FileEntry[] = [];
    if (compacted >= 0) {
      const path = join(this.dir, `${compacted}.compact`);
      const lines = parseEntry(await readFile(path, 'utf8'), path);
      for (const line of lines) this.entries.set(line.batchId, [...(this.entries.get(line.batchId) ?? []), line]);
      for (let id = 0; id <= compacted; id++) if (!this.entries.has(id)) this.entries.set(id, []);
      this.latest = compacted;
      all.push(...lines);
    }
    for (const name of names.filter((n) => /^\d+$/.test(n) && Number(n) > compacted)) {
      const id = Number(name);
      const entry = parseEntry(await readFile(join(this.dir, name), 'utf8'), join(this.dir, name));
      this.entries.set(id, entry);
      this.latest = Math.max(this.latest, id);
      all.push(...entry);
    }
    return all;
  }

  /** The newest log offset, -1 when nothing was ever added. */
  get currentOffset(): number {
    return this.latest;
  }

  /** Writes entry latest+1 with these files (durably, before the offset leaves the source) and returns its id. */
  async add(files: readonly ListedFile[]): Promise<number> {
    const id = this.latest + 1;
    const entry = files.map((f) => ({ path: f.path, timestamp: f.mtimeMs, batchId: id }));
    if (this.dir) {
      await ensureDirectory(this.dir);
      const compact = (id + 1) % FileLog.COMPACT_INTERVAL === 0;
      const lines = compact ? [...this.entries.values(), entry].flat() : entry;
      await writeFileAtomic(
        join(this.dir, compact ? `${id}.compact` : String(id)),
        ['v1', ...lines.map((e) => JSON.stringify(e))].join('\n'),
      );
      if (compact) await this.deleteCompacted(id);
    }
    this.entries.set(id, entry);
    this.latest = id;
    return id;
  }

  /** Once `<id>.compact` is durable: the entries and the older compact file it holds. */
  private async deleteCompacted(id: number): Promise<void> {
    const dir = this.dir as string;
    const replaced = (await readdir(dir)).filter((n) => {
      const match = /^(\d+)(\.compact)?$/.exec(n);
      return match !== null && (match[2] ? Number(match[1]) < id : Number(match[1]) <= id);
    });
    for (const name of replaced) await rm(join(dir, name), { force: true });
  }

  /** The files of entries from+1 .. to, in log order. */
  filesBetween(from: number, to: number): FileEntry[] {
    const files: FileEntry[] = [];
    for (let id = from + 1; id <= to; id++) {
      const entry = this.entries.get(id);
      if (!entry) {
        throw new RuntimeError(
          `parquet source: the checkpoint's file log has no entry ${id}${this.dir ? ` (${join(this.dir, String(id))})` : ''}, which the offsets log refers to; it was deleted: restore it, or delete the checkpoint to read the table from the start`,
        );
      }
      files.push(...entry);
    }
    return files;
  }
}

function parseEntry(text: string, path: string): FileEntry[] {
  const [version, ...lines] = text.split('\n');
  if (version !== 'v1')
    throw new RuntimeError(`checkpoint file ${path}: expected a file log entry starting with v1, found ${JSON.stringify(version)}`);
  return lines
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      try {
        const e = JSON.parse(line) as FileEntry;
        if (typeof e.path !== 'string' || typeof e.timestamp !== 'number') throw new Error('path or timestamp missing');
        return e;
      } catch (error) {
        throw new RuntimeError(`checkpoint file ${path}: line ${i + 2} is not a file entry: ${(error as Error).message}`);
      }
    });
}

/**
 * Spark's `SeenFilesMap`: the files already taken, so a listing's new files are told apart. Entries older than
 * `maxFileAgeMs` before the newest file are forgotten (bounding memory), and a file older than that is never new.
 */
export class SeenFiles {
  private readonly map = new Map<string, number>();
  private latestTimestamp = 0;
  private lastPurgeTimestamp = 0;

  constructor(private readonly maxFileAgeMs: number) {}

  add(path: string, timestamp: number): void {
    this.map.set(path, timestamp);
    if (timestamp > this.latestTimestamp) this.latestTimestamp = timestamp;
  }

  isNew(path: string, timestamp: number): boolean {
    return timestamp >= this.lastPurgeTimestamp && !this.map.has(path);
  }

  purge(): void {
    this.lastPurgeTimestamp = this.latestTimestamp - this.maxFileAgeMs;
    for (const [path, timestamp] of this.map) if (timestamp < this.lastPurgeTimestamp) this.map.delete(path);
  }

  get size(): number {
    return this.map.size;
  }
}
