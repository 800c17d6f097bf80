import { createHash } from 'node:crypto';
import { dirname, join, resolve, sep } from 'node:path';
import type { ColumnBatch } from '../../core/columnar/column-batch.js';
import { valueAt } from '../../core/columnar/vector.js';
import { errorMessage, RuntimeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Row, Value } from '../../core/row.js';
import type { Column } from '../../core/schema.js';
import type { Sink, SinkContext } from '../../core/sink.js';
import { CODEC_EXTENSION, type Codec, type EncodeOptions } from './encode.js';
import { vectorColumnValues } from './encode-vectors.js';
import {
  ensureDirectory,
  readJson,
  removeEmptyDirectories,
  removeFile,
  syncDirectory,
  tempName,
  writeFileAtomic,
} from '../../core/durable-file.js';
import { partitioner, partitionNames, type PartitionSpec } from './partition.js';
import { loadParquetWriter, type ParquetWriter } from './writer.js';

export interface ParquetSinkConfig {
  /** The table directory as configured (resolved against the working directory at open). */
  path: string;
  partitionBy: readonly PartitionSpec[];
  /** The columns written inside the files: the input minus the plain partition columns. */
  columns: readonly Column[];
  codec: Codec;
  rowGroupSize: number;
  maxRowsPerFile?: number;
  queryName: string;
}

const POSITION = '\u0000position';

/** The folder, under the table directory, of the sink's own bookkeeping (skipped by readers: it starts with `_`). */
export const METADATA_DIR = '_streamlab';

/**
 * File names: `part-<batchId, 12 digits>-<query tag>-c<n, 3 digits><.codec>.parquet`, e.g.
 * `part-000000000042-1a2b3c4d-c000.snappy.parquet`, after Spark's `part-00000-<uuid>-c000.snappy.parquet`.
 * The query tag (8 hex digits of the query id's SHA-256) keeps two queries writing into one table, or the same job
 * after its checkpoint was deleted (its batch ids start again at 0), from overwriting each other's files; within one
 * query, a replayed batch has the same names and so overwrites its own files.
 */
export function fileName(batchId: number, queryTag: string, n: number, codec: Codec): string {
  return `part-${String(batchId).padStart(12, '0')}-${queryTag}-c${String(n).padStart(3, '0')}${CODEC_EXTENSION[codec]}.parquet`;
}

export const queryTag = (queryId: string): string => createHash('sha256').update(queryId).digest('hex').slice(0, 8);

/** What the manifest of a query holds: the files of its latest batch, written before any of them. */
interface Manifest {
  queryId: string;
  batchId: number;
  files: string[];
}

/**
 * The sink. Per batch:
 * 1. group the rows by partition folder (and split by `maxRowsPerFile`): the file list of this attempt;
 * 2. read the query's manifest; if it is of this same batch id, this is a replay, and the files it lists that this
 *    attempt does not produce (a source that is not deterministic, a changed option) are stale;
 * 3. write the manifest (this attempt's files plus the stale ones) before any data file, so that whatever a crash
 *    leaves behind is listed for the next attempt to clean up;
 * 4. write each file atomically (temp name, fsync, rename, fsync the folder): a replay overwrites its own files;
 * 5. remove the stale files (and empty folders), then write the manifest again with this attempt's files only.
 *
 * The engine starts batch N only after N-1 committed, so only the latest batch can be replayed: one manifest per
 * query, holding one batch, is enough.
 */
export class ParquetSink implements Sink {
  readonly description: string;
  private root = '';
  private tag = '';
  private queryId = '';
  private manifestPath = '';
  private logger: Logger | undefined;
  private writer: ParquetWriter | undefined;
  private readonly partitionOf: (row: Row) => string;

  constructor(private readonly config: ParquetSinkConfig) {
    const parts = config.partitionBy.map((s) => (s.kind === 'time' ? `${partitionNames(s).join('/')}(${s.column})` : s.column));
    this.description = `ParquetSink[path=${config.path}${parts.length ? `, partitionBy=${parts.join(', ')}` : ''}, compression=${config.codec}]`;
    this.partitionOf = partitioner(config.partitionBy);
  }

  async open(context: SinkContext): Promise<void> {
    this.root = resolve(this.config.path);
    this.queryId = context.queryId;
    this.tag = queryTag(context.queryId);
    this.manifestPath = join(this.root, METADATA_DIR, `parquet-${this.tag}.json`);
    this.logger = context.logger;
    this.writer = await loadParquetWriter();
    try {
      await ensureDirectory(join(this.root, METADATA_DIR));
    } catch (error) {
      throw new RuntimeError(`parquet sink: cannot create the table directory ${this.root}: ${errorMessage(error)}`, { cause: error });
    }
  }

  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    const writer = this.openWriter();
    const { columns } = this.config;
    const options = this.encodeOptions(batchId);
    const files = new Map(
      [...this.plan(rows, batchId)].map(([path, fileRows]) => [path, () => writer.encodeRows(columns, fileRows, options)]),
    );
    await this.write(files, batchId);
  }

  /**
   * A columnar batch (src/core/columnar) is written from its vectors: the same files, byte for byte, as its rows would
   * give (test/sinks/parquet-columns.test.ts), without building the rows.
   */
  async foreachColumns(batch: ColumnBatch, batchId: number): Promise<void> {
    const writer = this.openWriter();
    const { columns } = this.config;
    const options = this.encodeOptions(batchId);
    const vectors = columns.map((column) => {
      const vector = batch.vector(column.name);
      if (!vector) throw new RuntimeError(`parquet sink ${this.config.path}: the batch has no column "${column.name}"`);
      return vector;
    });
    const files = new Map(
      [...this.planPositions(batch, batchId)].map(([path, positions]) => [
        path,
        () =>
          writer.encodeColumns(
            columns,
            columns.map((column, i) => vectorColumnValues(column, vectors[i], positions)),
            positions.length,
            options,
          ),
      ]),
    );
    await this.write(files, batchId);
  }

  async close(): Promise<void> {
    // Nothing is held open between batches.
  }

  /** plan() for a columnar batch: relative file path -> the physical positions of its rows. */
  private planPositions(batch: ColumnBatch, batchId: number): Map<string, Int32Array> {
    const partitionColumns = this.config.partitionBy.map((spec) => spec.column);
    const vectors = partitionColumns.map((name) => batch.vector(name));
    // Each row as a tiny row of its partition columns only (what partitionOf reads) and its position, under a key no
    // column can have.
    const keyRows: Row[] = new Array(batch.length);
    const previous: Value[] = vectors.map(() => null);
    for (let k = 0; k < batch.length; k++) {
      const row: Row = { [POSITION]: batch.position(k) };
      for (let c = 0; c < vectors.length; c++) {
        const vector = vectors[c];
        const value = vector ? valueAt(vector, batch.position(k), previous[c]) : null;
        previous[c] = value;
        row[partitionColumns[c]] = value;
      }
      keyRows[k] = row;
    }
    return new Map([...this.plan(keyRows, batchId)].map(([path, rows]) => [path, Int32Array.from(rows, (r) => r[POSITION] as number)]));
  }

  /** Relative file path (POSIX separators) -> its rows, in first-seen order of the partitions. */
  plan(rows: readonly Row[], batchId: number): Map<string, Row[]> {
    const byFolder = new Map<string, Row[]>();
    if (this.config.partitionBy.length === 0) {
      if (rows.length) byFolder.set('', rows as Row[]);
    } else {
      for (const row of rows) {
        const folder = this.partitionOf(row);
        const list = byFolder.get(folder);
        if (list) list.push(row);
        else byFolder.set(folder, [row]);
      }
    }
    const files = new Map<string, Row[]>();
    const max = this.config.maxRowsPerFile ?? Infinity;
    for (const [folder, folderRows] of byFolder) {
      const prefix = folder ? `${folder}/` : '';
      for (let n = 0, start = 0; start < folderRows.length; n++, start += max) {
        const chunk = max >= folderRows.length ? folderRows : folderRows.slice(start, start + max);
        files.set(prefix + fileName(batchId, this.tag, n, this.config.codec), chunk);
      }
    }
    return files;
  }

  private openWriter(): ParquetWriter {
    if (!this.root || !this.writer) throw new RuntimeError('parquet sink: a batch before open');
    return this.writer;
  }

  private encodeOptions(batchId: number): EncodeOptions {
    return {
      codec: this.config.codec,
      rowGroupSize: this.config.rowGroupSize,
      metadata: { 'streamlab.batchId': String(batchId) },
      schemaMetadata: { 'streamlab.query': this.config.queryName },
    };
  }

  /** Writes the batch's files (relative path -> its encoder), with the manifest steps of the class comment. */
  private async write(files: Map<string, () => Uint8Array>, batchId: number): Promise<void> {
    try {
      await this.writeFiles(files, batchId);
    } catch (error) {
      throw new RuntimeError(`parquet sink ${this.config.path}: batch ${batchId}: ${errorMessage(error)}`, { cause: error });
    }
  }

  private async writeFiles(files: Map<string, () => Uint8Array>, batchId: number): Promise<void> {
    const previous = await this.readManifest();
    const stale = previous?.batchId === batchId ? previous.files.filter((f) => !files.has(f)) : [];
    await this.writeManifest(batchId, [...files.keys(), ...stale]);

    for (const [relative, encode] of files) {
      const path = this.absolute(relative);
      const bytes = encode();
      await ensureDirectory(dirname(path));
      await writeFileAtomic(path, bytes);
    }

    if (stale.length) {
      for (const relative of stale) {
        const path = this.absolute(relative);
        const removed = await removeFile(path);
        const removedTemp = await removeFile(tempName(path));
        if (removed || removedTemp) await syncDirectory(dirname(path));
        await removeEmptyDirectories(dirname(path), this.root);
      }
      await this.writeManifest(batchId, [...files.keys()]);
      this.logger?.warn(
        `parquet sink ${this.config.path}: batch ${batchId} was replayed with different partitions; removed ${stale.length} file(s) of the earlier attempt: ${stale.join(', ')}`,
      );
    }
  }

  private absolute(relative: string): string {
    return join(this.root, ...relative.split('/'));
  }

  private async readManifest(): Promise<Manifest | undefined> {
    const data = await readJson(this.manifestPath);
    if (data === undefined) return undefined;
    const m = data as Partial<Manifest>;
    if (typeof m.batchId !== 'number' || !Array.isArray(m.files)) {
      throw new Error(`${this.manifestPath} is not a manifest of this sink; move it away to start afresh`);
    }
    // Delete only what this sink could have written: part files of this query, inside the table.
    const ours = new RegExp(`^part-\\d+-${this.tag}-c\\d+(\\.[a-z]+)?\\.parquet$`);
    for (const f of m.files) {
      const segments = typeof f === 'string' ? f.split('/') : [];
      if (
        !segments.length ||
        segments.some((s) => s === '' || s === '.' || s === '..' || s.includes(sep)) ||
        !ours.test(segments.at(-1)!)
      ) {
        throw new Error(
          `${this.manifestPath} lists ${JSON.stringify(f)}, which is not a file of this sink; move the manifest away to start afresh`,
        );
      }
    }
    return { queryId: String(m.queryId ?? ''), batchId: m.batchId, files: m.files as string[] };
  }

  private async writeManifest(batchId: number, files: string[]): Promise<void> {
    const manifest: Manifest = { queryId: this.queryId, batchId, files };
    await writeFileAtomic(this.manifestPath, new TextEncoder().encode(`${JSON.stringify(manifest, null, 1)}\n`));
  }
}
