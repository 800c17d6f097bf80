import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { errorMessage, RuntimeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Offset, Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { Backlog, Source, SourceContext } from '../../core/source.js';
import { FileLog, SeenFiles } from './file-log.js';
import { conflictingLayouts, listDataFiles, partitionValuesOf, type ListedFile } from './listing.js';
import { partitionValue, pruner, type PartitionLiteral } from './pruning.js';
import { ParquetFileError, readParquetRows } from './read-file.js';

export interface ParquetSourceConfig {
  path: string;
  schema: Schema;
  partitions: Record<string, PartitionLiteral | PartitionLiteral[]>;
  maxFilesPerBatch?: number;
  maxFileAgeMs: number;
  ignoreCorruptFiles: boolean;
}

/** Spark's `FileStreamSourceOffset`: the newest entry of the source's file log. */
type LogOffset = { logOffset: number };
const logOffsetOf = (offset: Offset | null): number => (offset === null ? -1 : (offset as LogOffset).logOffset);

/**
 * Spark's file source over a Parquet table (`spark.readStream.schema(s).parquet(path)`): each listing's new files
 * (not seen before, oldest first, at most maxFilesPerBatch) become one entry of the source's file log and one offset;
 * the rows of (start, end] are the rows of the files of those entries, partition folders (`year=2026/`) filling the
 * schema's columns of those names. Replayable: a batch's files are fixed in the log before the batch runs.
 * Files must not change once they are in the folder (write elsewhere and rename in, as the parquet sink does).
 */
export class ParquetSource implements Source {
  readonly replayable = true;
  readonly description: string;
  readonly schema: Schema;
  private root = '';
  private log = new FileLog(undefined);
  private seen: SeenFiles;
  private logger: Logger | undefined;
  private readonly prune: ReturnType<typeof pruner>;
  /** availableNow: the files listed when the run started (Spark's allFilesForTriggerAvailableNow). */
  private availableNowFiles: ListedFile[] | undefined;
  private availableNowTotal = 0;
  private skippedFiles = 0;

  constructor(private readonly config: ParquetSourceConfig) {
    const pruned = Object.entries(config.partitions).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    this.description = `ParquetSource[${config.path}${pruned.length ? `, partitions ${pruned.join(' ')}` : ''}]`;
    this.schema = config.schema;
    this.seen = new SeenFiles(config.maxFileAgeMs);
    this.prune = pruner(config.partitions, config.schema);
  }

  async open(context: SourceContext): Promise<void> {
    this.root = resolve(this.config.path);
    this.logger = context.logger;
    const info = await stat(this.root).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new RuntimeError(
        `parquet source: ${this.root} ${info ? 'is not a folder' : 'does not exist'} (source.path: ${this.config.path}); create it or fix the path`,
      );
    }
    this.log = new FileLog(context.checkpointDir ? join(context.checkpointDir, 'files') : undefined);
    this.seen = new SeenFiles(this.config.maxFileAgeMs);
    for (const entry of await this.log.restore()) this.seen.add(entry.path, entry.timestamp);
    this.seen.purge();
  }

  private async listFiles(): Promise<ListedFile[]> {
    const files = await listDataFiles(this.root, this.prune.keep).catch((error) => {
      throw new RuntimeError(`parquet source: cannot list ${this.root}: ${errorMessage(error)}`, { cause: error });
    });
    const problem = conflictingLayouts(files) ?? this.prune.unknownLevels(files);
    if (problem) throw new RuntimeError(`parquet source ${this.root}: ${problem}`);
    return files;
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    this.availableNowFiles = await this.listFiles();
    this.availableNowTotal = this.availableNowFiles.filter((f) => this.seen.isNew(f.path, f.mtimeMs)).length;
  }

  backlog(committed: Offset | null): Backlog | undefined {
    if (this.availableNowFiles === undefined) return undefined;
    const pending = this.availableNowFiles.filter((f) => this.seen.isNew(f.path, f.mtimeMs)).length;
    const inLog =
      this.log.currentOffset > logOffsetOf(committed) ? this.log.filesBetween(logOffsetOf(committed), this.log.currentOffset).length : 0;
    return { done: Math.max(0, this.availableNowTotal - pending - inLog), total: this.availableNowTotal, unit: 'files' };
  }

  /** Spark's `fetchMaxOffset`: new files go into a new log entry (written first), whose id is the offset. */
  async latestOffset(_start?: Offset | null): Promise<Offset | null> {
    const listed = this.availableNowFiles ?? (await this.listFiles());
    let fresh = listed.filter((f) => this.seen.isNew(f.path, f.mtimeMs));
    if (this.config.maxFilesPerBatch !== undefined) fresh = fresh.slice(0, this.config.maxFilesPerBatch);
    if (fresh.length > 0) {
      await this.log.add(fresh);
      for (const f of fresh) this.seen.add(f.path, f.mtimeMs);
      this.seen.purge();
    }
    const offset = this.log.currentOffset;
    return offset < 0 ? null : { logOffset: offset };
  }

  async getBatch(start: Offset | null, end: Offset): Promise<Row[]> {
    const rows: Row[] = [];
    for (const entry of this.log.filesBetween(logOffsetOf(start), logOffsetOf(end))) {
      for (const row of await this.readFile(entry.path)) rows.push(row);
    }
    return rows;
  }

  /** One file's rows; a file that cannot be read fails the batch naming it, or is skipped with ignoreCorruptFiles. */
  private async readFile(relative: string): Promise<Row[]> {
    const path = join(this.root, ...relative.split('/'));
    try {
      const fill: Row = {};
      for (const part of partitionValuesOf(relative)) {
        const converted = partitionValue(part, this.config.schema);
        if ('error' in converted) throw new ParquetFileError(`partition folder ${part.name}=${part.text}: ${converted.error}`);
        if (this.config.schema.some((c) => c.name === part.name)) fill[part.name] = converted.value;
      }
      return await readParquetRows(await readFile(path), this.config.schema, fill);
    } catch (error) {
      const problem = error instanceof ParquetFileError ? error.message : errorMessage(error);
      if (this.config.ignoreCorruptFiles) {
        this.skippedFiles++;
        this.logger?.warn(`parquet source: skipped ${path} (ignoreCorruptFiles): ${problem}`);
        return [];
      }
      throw new RuntimeError(
        `parquet source: ${path}: ${problem}. Move the file out of the table folder, or set ignoreCorruptFiles: true to skip such files (with a warning)`,
        { cause: error },
      );
    }
  }

  metrics(): Record<string, number> {
    return { filesSeen: this.seen.size, corruptFilesSkipped: this.skippedFiles };
  }

  async stop(): Promise<void> {}
}
