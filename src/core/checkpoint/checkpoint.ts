import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import type { Offset } from '../row.js';
import { writeFileAtomic } from '../durable-file.js';
import { BatchLog } from './batch-log.js';
import { CheckpointLock } from './lock.js';

/** What `offsets/<batchId>` records before the batch runs: Spark's OffsetSeq. */
export interface OffsetEntry {
  batchId: number;
  batchWatermarkMs: number;
  batchTimestampMs: number;
  /** End offset of each source, in source order. */
  offsets: Offset[];
}

/** What `commits/<batchId>` records after the sink finished: Spark's CommitMetadata. */
export interface CommitEntry {
  nextBatchWatermarkMs: number;
}

interface QueryMetadata {
  id: string;
  name: string;
}

const VERSION = 'v1';

/**
 * The checkpoint directory, laid out as Spark lays it out, so what users learn here reads the same there:
 *
 *   metadata          {"id": "<query id>", "name": "<query name>"}  (id stable across restarts)
 *   offsets/<N>       v1 / {"batchWatermarkMs":..,"batchTimestampMs":..} / one line per source end offset
 *   commits/<N>       v1 / {"nextBatchWatermarkMs":..}
 *   sources/<i>/0     metadata source i keeps across runs (e.g. the rate source's start time)
 *
 * The offsets entry is the write-ahead log: it is written before the batch reads any row; the commit entry after
 * the sink has finished. A batch with an offsets entry but no commit entry is run again on restart, with the same
 * id and the same offsets.
 */
export class Checkpoint {
  readonly offsets: BatchLog;
  readonly commits: BatchLog;

  private constructor(
    readonly dir: string,
    readonly metadata: QueryMetadata,
    private readonly lock: CheckpointLock,
  ) {
    this.offsets = new BatchLog(join(dir, 'offsets'));
    this.commits = new BatchLog(join(dir, 'commits'));
  }

  /** Opens (creating if needed) the checkpoint of query `name`; refuses one that belongs to another query. */
  static async open(dir: string, name: string): Promise<Checkpoint> {
    await mkdir(dir, { recursive: true });
    const lock = await CheckpointLock.acquire(dir);
    try {
      const metadata = await readOrCreateMetadata(dir, name);
      const checkpoint = new Checkpoint(dir, metadata, lock);
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
    const header = JSON.stringify({ batchWatermarkMs: entry.batchWatermarkMs, batchTimestampMs: entry.batchTimestampMs });
    const lines = [VERSION, header, ...entry.offsets.map((o) => JSON.stringify(o))];
    await this.offsets.add(entry.batchId, `${lines.join('\n')}\n`);
  }

  async readOffsets(batchId: number): Promise<OffsetEntry | undefined> {
    const text = await this.offsets.get(batchId);
    if (text === undefined) return undefined;
    const [version, header, ...offsetLines] = this.parseLines(text, `offsets/${batchId}`);
    checkVersion(version, join(this.dir, 'offsets', String(batchId)));
    const { batchWatermarkMs, batchTimestampMs } = JSON.parse(header) as Omit<OffsetEntry, 'batchId' | 'offsets'>;
    return { batchId, batchWatermarkMs, batchTimestampMs, offsets: offsetLines.map((l) => JSON.parse(l) as Offset) };
  }

  async writeCommit(batchId: number, entry: CommitEntry): Promise<void> {
    await this.commits.add(batchId, `${VERSION}\n${JSON.stringify(entry)}\n`);
  }

  async readCommit(batchId: number): Promise<CommitEntry | undefined> {
    const text = await this.commits.get(batchId);
    if (text === undefined) return undefined;
    const [version, body] = this.parseLines(text, `commits/${batchId}`);
    checkVersion(version, join(this.dir, 'commits', String(batchId)));
    return JSON.parse(body) as CommitEntry;
  }

  async readSourceMetadata(index: number): Promise<Offset | undefined> {
    try {
      return JSON.parse(await readFile(this.sourceMetadataPath(index), 'utf8')) as Offset;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async writeSourceMetadata(index: number, metadata: Offset): Promise<void> {
    await mkdir(join(this.dir, 'sources', String(index)), { recursive: true });
    await writeFileAtomic(this.sourceMetadataPath(index), JSON.stringify(metadata));
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

  private sourceMetadataPath(index: number): string {
    return join(this.dir, 'sources', String(index), '0');
  }

  private parseLines(text: string, what: string): string[] {
    const lines = text.split('\n').filter((l) => l.length > 0);
    if (lines.length < 2) throw new Error(`checkpoint entry ${join(this.dir, what)} is incomplete`);
    return lines;
  }
}

function checkVersion(version: string, path: string): void {
  if (version !== VERSION) throw new Error(`checkpoint entry ${path} has version '${version}', this streamlab reads '${VERSION}'`);
}

async function readOrCreateMetadata(dir: string, name: string): Promise<QueryMetadata> {
  const path = join(dir, 'metadata');
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text === undefined) {
    const metadata = { id: randomUUID(), name };
    await writeFileAtomic(path, `${JSON.stringify(metadata)}\n`);
    return metadata;
  }
  const metadata = JSON.parse(text) as QueryMetadata;
  if (metadata.name !== undefined && metadata.name !== name) {
    throw ConfigError.single({
      path: 'checkpointLocation',
      message:
        `checkpoint ${dir} belongs to query '${metadata.name}' (id ${metadata.id}), not '${name}'. ` +
        `Give this job its own checkpointLocation, or delete ${dir} to start '${name}' from scratch.`,
    });
  }
  return metadata;
}
