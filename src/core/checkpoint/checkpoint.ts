import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../durable-file.js';
import { RuntimeError } from '../errors.js';
import type { Offset } from '../row.js';
import type { Source } from '../source.js';
import { BatchLog } from './batch-log.js';
import {
  formatCommitEntry,
  formatOffsetEntry,
  parseCommitEntry,
  parseJson,
  parseOffsetEntry,
  type CommitEntry,
  type OffsetEntry,
} from './entry-format.js';
import { CheckpointLock } from './lock.js';
import { checkLogs, describeIds } from './log-consistency.js';
import { openMetadata, type QueryMetadata } from './metadata.js';
import type { SourceIdentity } from './source-identity.js';
import { checkSourceNotBehind } from './source-position.js';

export type { CommitEntry, OffsetEntry } from './entry-format.js';
export type { SourceIdentity } from './source-identity.js';

/**
 * The checkpoint directory, laid out as Spark lays it out, so what users learn here reads the same there:
 *
 *   metadata          {"id": "<query id>", "name": "<query name>", "source": {"type": .., "options": {..}}, "unionSources": [..]}
 *   offsets/<N>       v1 / {"batchWatermarkMs":..,"batchTimestampMs":..,"conf":{..}} / one line per source end offset
 *   commits/<N>       v1 / {"nextBatchWatermarkMs":..}
 *   sources/<i>/0     metadata source i keeps across runs (e.g. the rate source's start time)
 *
 * The offsets entry is the write-ahead log: it is written before the batch reads any row; the commit entry after
 * the sink has finished. A batch with an offsets entry but no commit entry is run again on restart, with the same
 * id and the same offsets.
 *
 * Opening checks what a restart relies on and refuses, naming the file, what would silently duplicate or lose rows:
 * a checkpoint of another query or another source, logs with holes, logs without metadata, damaged entries.
 */
export class Checkpoint {
  readonly offsets: BatchLog;
  readonly commits: BatchLog;

  private constructor(
    readonly dir: string,
    readonly metadata: QueryMetadata,
    private readonly lock: CheckpointLock,
    /** The batches the logs held when opened (`batches 3 to 7`), undefined for a new checkpoint. */
    private readonly batchesAtOpen: string | undefined,
    private readonly sourceIdentity: SourceIdentity | undefined,
    /** How many sources the query reads (1 + its union branches): the number of offset lines of each offsets/N. */
    private readonly sourceCount: number,
  ) {
    this.offsets = new BatchLog(join(dir, 'offsets'));
    this.commits = new BatchLog(join(dir, 'commits'));
  }

  /**
   * Opens (creating if needed) the checkpoint of query `name`. `source` (the source type and the options that give its
   * offsets their meaning) is recorded on the first run and must match afterwards, as must `unionSources`, the
   * identities of the union branches' sources (sources 1, 2, ...).
   */
  static async open(dir: string, name: string, source?: SourceIdentity, unionSources: readonly SourceIdentity[] = []): Promise<Checkpoint> {
    await mkdir(dir, { recursive: true });
    const lock = await CheckpointLock.acquire(dir);
    try {
      const offsetIds = await new BatchLog(join(dir, 'offsets')).batchIds();
      const commitIds = await new BatchLog(join(dir, 'commits')).batchIds();
      const batches = describeIds(offsetIds) ?? describeIds(commitIds);
      const metadata = await openMetadata(dir, name, source, batches, unionSources);
      checkLogs(dir, offsetIds, commitIds);
      const checkpoint = new Checkpoint(dir, metadata, lock, batches, source, 1 + unionSources.length);
      await checkpoint.offsets.init();
      await checkpoint.commits.init();
      return checkpoint;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.lock.release();
  }

  async writeOffsets(entry: OffsetEntry): Promise<void> {
    await this.offsets.add(entry.batchId, formatOffsetEntry(entry));
  }

  async readOffsets(batchId: number): Promise<OffsetEntry | undefined> {
    const text = await this.readEntry(this.offsets, batchId);
    return text === undefined ? undefined : parseOffsetEntry(text, batchId, this.sourceCount, this.entryPath('offsets', batchId), this.dir);
  }

  async writeCommit(batchId: number, entry: CommitEntry): Promise<void> {
    await this.commits.add(batchId, formatCommitEntry(entry));
  }

  async readCommit(batchId: number): Promise<CommitEntry | undefined> {
    const text = await this.readEntry(this.commits, batchId);
    return text === undefined ? undefined : parseCommitEntry(text, this.entryPath('commits', batchId), this.dir);
  }

  async readSourceMetadata(index: number): Promise<Offset | undefined> {
    const path = this.sourceMetadataPath(index);
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new RuntimeError(`checkpoint file ${path} cannot be read: ${error.message}`);
    });
    return text === undefined ? undefined : (parseJson(text, 'its content', path, this.dir) as Offset);
  }

  /**
   * Records what source `index` keeps across runs (written once, on the first run). Refused when the logs already
   * have batches: then the file was deleted, and a new origin (the rate source's start time) would give the recorded
   * offsets other rows.
   */
  async writeSourceMetadata(index: number, metadata: Offset): Promise<void> {
    const path = this.sourceMetadataPath(index);
    if (this.batchesAtOpen !== undefined) {
      throw new RuntimeError(
        `checkpoint ${this.dir}: ${path} is missing, but the logs record ${this.batchesAtOpen}. It holds the source's origin ` +
          '(e.g. the start time the rate source counts from): a new one would give the recorded offsets other rows. ' +
          `Restore it from a backup, or delete ${this.dir} to start the query from scratch.`,
      );
    }
    await mkdir(join(this.dir, 'sources', String(index)), { recursive: true });
    await writeFileAtomic(path, JSON.stringify(metadata));
  }

  /**
   * Refuses a recorded offset (of batch `batchId`) that is ahead of what the source has: see checkSourceNotBehind.
   * Done for sources of the registry (those with an identity), whose offsets only move forward with time or data; a
   * test's in-memory source may be refilled after a restart, and waiting for it is then what the test wants.
   */
  async checkSourcePosition(source: Source, batchId: number, recorded: Offset | null, start: Offset | null, index = 0): Promise<void> {
    if (this.sourceIdentity === undefined) return;
    await checkSourceNotBehind(this.dir, batchId, recorded, source, start, index);
  }

  /**
   * Keeps the newest `retain` entries of both logs (Spark's `minBatchesToRetain`): after batch N commits, entry
   * N - retain goes. One delete per log and batch, no directory listing on the hot path.
   */
  async purge(committedBatchId: number, retain: number): Promise<void> {
    const old = committedBatchId - retain;
    if (old < 0) return;
    await this.offsets.remove(old);
    await this.commits.remove(old);
  }

  private async readEntry(log: BatchLog, batchId: number): Promise<string | undefined> {
    try {
      return await log.get(batchId);
    } catch (error) {
      const path = this.entryPath(log === this.offsets ? 'offsets' : 'commits', batchId);
      throw new RuntimeError(`checkpoint file ${path} cannot be read: ${(error as Error).message}`);
    }
  }

  private entryPath(log: 'offsets' | 'commits', batchId: number): string {
    return join(this.dir, log, String(batchId));
  }

  private sourceMetadataPath(index: number): string {
    return join(this.dir, 'sources', String(index), '0');
  }
}
