import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDirectory, removeFile, writeFileAtomic } from '../durable-file.js';
import { RuntimeError } from '../errors.js';
import { decodeState, estimateBytes, stringifyState, type StateValue } from './codec.js';

export interface StateStoreOptions<V extends StateValue = StateValue> {
  /**
   * What of a value goes to the files, and how to rebuild the value from it and its key; by default the whole value.
   * groupBy writes only the aggregation buffer: the key values are already in the key.
   */
  codec?: { write(value: V): StateValue; read(key: string, stored: StateValue): V };
  /** Write a full snapshot every this many batches (Spark: spark.sql.streaming.stateStore.minDeltasForSnapshot, 10). */
  snapshotEvery?: number;
  /** Keep enough files to restore any of the newest `retain` versions (Spark: minBatchesToRetain, 100). */
  retain?: number;
}

const FORMAT = 'v1';

/**
 * A versioned key-value store for one stateful operator, after Spark's HDFSBackedStateStore. Version N is the state
 * after batch N; it lives in the checkpoint under `state/<operatorId>/` as
 *
 *   <N>.delta      what batch N changed: one JSON line per key put ({"key", "value"}) or removed ({"key", "removed"})
 *   <N>.snapshot   the whole state after batch N, written every `snapshotEvery` batches so loading stays short
 *
 * each written atomically (temp file, fsync, rename). Loading version N reads the newest snapshot at or below N and
 * applies the deltas after it. Files of versions above N are ignored: they belong to a batch that crashed before its
 * commit entry, and its replay overwrites them. So a restart resumes from exactly the state the last committed batch
 * left, whatever happened after it.
 *
 * In memory the store is one Map, changed in place; the keys put or removed since the last commit are tracked so a
 * commit writes only them.
 */
export class StateStore<V extends StateValue = StateValue> {
  private readonly map = new Map<string, V>();
  private readonly dirty = new Set<string>();
  private readonly removed = new Set<string>();
  private readonly snapshotEvery: number;
  private readonly retain: number;
  private readonly write: (value: V) => StateValue;
  private readonly read: (key: string, stored: StateValue) => V;
  /** The version the map holds; -1 is the empty state before batch 0. */
  private loadedVersion = -1;
  private lastUpdated = 0;
  private lastRemoved = 0;

  constructor(
    readonly dir: string,
    options: StateStoreOptions<V> = {},
  ) {
    this.snapshotEvery = options.snapshotEvery ?? 10;
    this.retain = options.retain ?? 100;
    this.write = options.codec?.write ?? ((value) => value);
    this.read = options.codec?.read ?? ((_key, stored) => stored as V);
  }

  get version(): number {
    return this.loadedVersion;
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  /** Stores `value` under `key`. A value changed in place must be put again, so the next commit writes it. */
  put(key: string, value: V): void {
    this.map.set(key, value);
    this.dirty.add(key);
    this.removed.delete(key);
  }

  remove(key: string): void {
    if (!this.map.delete(key)) return;
    this.dirty.delete(key);
    this.removed.add(key);
  }

  entries(): IterableIterator<[string, V]> {
    return this.map.entries();
  }

  /** Keys put / removed since the last commit (Spark: numRowsUpdated, numRowsRemoved of the running batch). */
  pendingChanges(): { updated: number; removed: number } {
    return { updated: this.dirty.size, removed: this.removed.size };
  }

  /** What the last commit wrote. */
  lastCommit(): { updated: number; removed: number } {
    return { updated: this.lastUpdated, removed: this.lastRemoved };
  }

  /** An estimate: the mean size of up to 256 entries (groups of one operator look alike) times their number. */
  memoryUsedBytes(): number {
    let sampled = 0;
    let bytes = 0;
    for (const [key, value] of this.map) {
      bytes += 48 + key.length * 2 + estimateBytes(value);
      if (++sampled === 256) break;
    }
    return 64 + (sampled === 0 ? 0 : Math.round((bytes / sampled) * this.map.size));
  }

  /** Replaces what is in memory with the state after batch `version` (-1: empty), read from the files. */
  async load(version: number): Promise<void> {
    await ensureDirectory(this.dir);
    this.map.clear();
    this.dirty.clear();
    this.removed.clear();
    this.loadedVersion = -1;
    if (version < 0) return;
    const { snapshots, deltas } = await this.listFiles();
    const base = [...snapshots]
      .filter((s) => s <= version)
      .sort((a, b) => b - a)
      .find((s) => range(s + 1, version).every((d) => deltas.has(d)));
    let from = 0;
    if (base !== undefined) {
      this.applyFile(await this.readFile(base, 'snapshot'), `${base}.snapshot`);
      from = base + 1;
    } else {
      const missing = range(0, version).filter((d) => !deltas.has(d));
      if (missing.length > 0) {
        throw new RuntimeError(
          `state of ${this.dir} cannot be restored to batch ${version}: ${missing
            .slice(0, 5)
            .map((m) => `${m}.delta`)
            .join(', ')}` +
            `${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} missing and no snapshot covers them. The checkpoint was ` +
            'written by a job without this stateful operator, or state files were deleted: give the job a new checkpointLocation.',
        );
      }
    }
    for (let v = from; v <= version; v++) this.applyFile(await this.readFile(v, 'delta'), `${v}.delta`);
    this.loadedVersion = version;
  }

  /** Writes the changes since the previous version as version `version` (the batch id), atomically. */
  async commit(version: number): Promise<void> {
    if (version !== this.loadedVersion + 1) {
      throw new RuntimeError(
        `state store ${this.dir}: commit of version ${version} after version ${this.loadedVersion}; versions must follow each other`,
      );
    }
    const lines = [FORMAT];
    for (const key of this.dirty) lines.push(`{"key":${JSON.stringify(key)},"value":${stringifyState(this.write(this.map.get(key)!))}}`);
    for (const key of this.removed) lines.push(JSON.stringify({ key, removed: true }));
    await writeFileAtomic(join(this.dir, `${version}.delta`), `${lines.join('\n')}\n`);
    this.lastUpdated = this.dirty.size;
    this.lastRemoved = this.removed.size;
    this.dirty.clear();
    this.removed.clear();
    this.loadedVersion = version;
    if (version > 0 && version % this.snapshotEvery === 0) {
      await this.writeSnapshot(version);
      await this.cleanup(version);
    }
  }

  private async writeSnapshot(version: number): Promise<void> {
    const lines = [FORMAT];
    for (const [key, value] of this.map) lines.push(`{"key":${JSON.stringify(key)},"value":${stringifyState(this.write(value))}}`);
    await writeFileAtomic(join(this.dir, `${version}.snapshot`), `${lines.join('\n')}\n`);
  }

  /** Deletes files no longer needed to restore any of the newest `retain` versions. */
  private async cleanup(version: number): Promise<void> {
    const oldestKept = version - this.retain + 1;
    if (oldestKept <= 0) return;
    const { snapshots, deltas } = await this.listFiles();
    const base = [...snapshots].filter((s) => s <= oldestKept).sort((a, b) => b - a)[0];
    if (base === undefined) return;
    for (const s of snapshots) if (s < base) await removeFile(join(this.dir, `${s}.snapshot`));
    for (const d of deltas) if (d <= base) await removeFile(join(this.dir, `${d}.delta`));
  }

  private async listFiles(): Promise<{ snapshots: Set<number>; deltas: Set<number> }> {
    const snapshots = new Set<number>();
    const deltas = new Set<number>();
    for (const name of await readdir(this.dir)) {
      const match = /^(\d+)\.(delta|snapshot)$/.exec(name);
      if (match) (match[2] === 'delta' ? deltas : snapshots).add(Number(match[1]));
    }
    return { snapshots, deltas };
  }

  private async readFile(version: number, kind: 'delta' | 'snapshot'): Promise<string> {
    return readFile(join(this.dir, `${version}.${kind}`), 'utf8');
  }

  private applyFile(text: string, name: string): void {
    const lines = text.split('\n');
    if (lines[0] !== FORMAT)
      throw new RuntimeError(`state file ${join(this.dir, name)} has format '${lines[0]}', this streamlab reads '${FORMAT}'`);
    for (let i = 1; i < lines.length; i++) {
      if (lines[i] === '') continue;
      let entry: { key: string; value?: unknown; removed?: boolean };
      try {
        entry = JSON.parse(lines[i]) as typeof entry;
      } catch (error) {
        throw new RuntimeError(`state file ${join(this.dir, name)}:${i + 1} is damaged (${(error as Error).message})`);
      }
      if (entry.removed) this.map.delete(entry.key);
      else this.map.set(entry.key, this.read(entry.key, decodeState(entry.value)));
    }
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
