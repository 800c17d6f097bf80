import { RuntimeError } from '../../core/errors.js';
import type { BatchTrace, MicroBatch, StatefulOperator, StatefulOperatorContext } from '../../core/operator.js';
import type { Row, Value } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { OutputMode } from '../../core/sink.js';
import { StateStore } from '../../core/state/state-store.js';
import { isWindow } from '../event-time.js';
import { ArgumentPlan, type AggregateFunction, type AggregationBuffer } from './functions.js';
import { compareKeys, keyPart, parseKey } from './group-key.js';

/** The key column whose time finishes a group: a window (its end) or the event-time column itself. */
export interface EvictionKey {
  index: number;
  column: string;
  kind: 'window' | 'timestamp';
}

export interface AggregationSpec {
  keys: string[];
  functions: AggregateFunction[];
  eviction?: EvictionKey;
  schema: Schema;
  /** For messages: `groupBy [window, word]`. */
  description: string;
}

/** One group in the state: its key values and its aggregation buffer. */
export type GroupEntry = { k: Value[]; b: AggregationBuffer };

/** Window end or event time in ms; undefined for null (a null key never finishes, as in Spark). */
export function deadlineOf(value: Value, kind: EvictionKey['kind']): number | undefined {
  if (kind === 'window') return isWindow(value) ? value.end.getTime() : undefined;
  return value instanceof Date ? value.getTime() : undefined;
}

/**
 * A streaming aggregation (Spark's StateStoreRestoreExec + StateStoreSaveExec) over plain keys and/or one window:
 * the state holds one buffer per group; each batch folds its rows into the buffers of their groups, then emits
 * according to the output mode:
 *
 *   complete  every group, every batch; nothing is evicted and no row is too late (the whole table is kept);
 *   update    the groups this batch changed; then groups behind the watermark are evicted silently;
 *   append    only groups behind the watermark, once, as they are evicted: their result can no longer change.
 *
 * With a watermark on a key (append, update), a row whose window ended at or before the batch's watermark (or whose
 * event-time key is at or before it) is late: it is dropped and counted in numRowsDroppedByWatermark.
 */
export class StreamingAggregation implements StatefulOperator {
  readonly operatorName = 'stateStoreSave';
  readonly trace: BatchTrace = { enabled: false, watermarkMs: 0, lateWatermarkMs: 0, events: [] };
  private store: StateStore<GroupEntry> | undefined;
  private mode: OutputMode = 'append';
  private readonly offsets: number[];
  private readonly width: number;
  private readonly args: ArgumentPlan;
  private last = { updated: 0, removed: 0, dropped: 0 };

  constructor(readonly spec: AggregationSpec) {
    let width = 0;
    this.offsets = spec.functions.map((f) => {
      const at = width;
      width += f.width;
      return at;
    });
    this.width = width;
    this.args = new ArgumentPlan(spec.functions);
  }

  async open(context: StatefulOperatorContext): Promise<void> {
    this.mode = context.outputMode;
    if (this.mode === 'append' && !this.spec.eviction) {
      throw new RuntimeError(
        `${this.spec.description}: append output mode needs a watermark on a grouping key (window or event time), or no group would ever be final. Use update or complete, or add withWatermark.`,
      );
    }
    // State files hold the buffer only: the key values are in the key (`w<start>:<end>|s3:dog`), written once.
    this.store = new StateStore<GroupEntry>(context.stateDir, {
      codec: { write: (entry) => entry.b, read: (key, b) => ({ k: parseKey(key), b: b as AggregationBuffer }) },
    });
  }

  async restore(version: number): Promise<void> {
    await this.requireStore().load(version);
  }

  /** Folds one batch into the state and returns the rows the output mode emits. */
  process(batch: MicroBatch): Row[] {
    const store = this.requireStore();
    const { keys, functions, eviction } = this.spec;
    const offsets = this.offsets;
    const args = this.args;
    const watermark = batch.watermarkMs;
    const lateWatermark = batch.lateWatermarkMs ?? watermark; // Spark 4: the previous batch's (see MicroBatch)
    const usesWatermark = eviction !== undefined && this.mode !== 'complete';
    const trace = this.trace.enabled ? this.trace : undefined;
    if (trace) {
      trace.watermarkMs = watermark;
      trace.lateWatermarkMs = lateWatermark;
      trace.events = [];
    }
    const touched = new Map<string, GroupEntry>();
    // Within a batch, groups are first looked up by the key values themselves in nested Maps (numbers, strings and
    // the window structs a batch shares compare fast there); only a miss builds the string key. Values equal but not
    // identical (two Dates of one instant) just miss and meet again through the string key, so groups never split.
    const byValue = new Map<unknown, unknown>();
    const last = keys.length - 1;
    let dropped = 0;
    const rows = batch.rows;
    const what = eviction?.kind === 'window' ? 'window end' : 'event time';
    let lastTime: Value = null;
    let lastDeadline: number | undefined;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      let deadline: number | undefined;
      if (usesWatermark) {
        const time = row[eviction.column];
        if (time !== lastTime) {
          lastTime = time; // rows of one window share its struct: compute its end once
          lastDeadline = deadlineOf(time, eviction.kind);
        }
        deadline = lastDeadline;
        if (deadline !== undefined && deadline <= lateWatermark) {
          dropped++;
          trace?.events.push({ row, outcome: 'late', deadline: { what, atMs: deadline } });
          continue;
        }
      }
      let node = byValue;
      for (let k = 0; k < last; k++) {
        const value = row[keys[k]];
        let next = node.get(value) as Map<unknown, unknown> | undefined;
        if (!next) node.set(value, (next = new Map()));
        node = next;
      }
      const lastValue = last < 0 ? undefined : row[keys[last]];
      let entry = node.get(lastValue) as GroupEntry | undefined;
      if (!entry) {
        let key = last < 0 ? '' : keyPart(row[keys[0]]);
        for (let k = 1; k < keys.length; k++) key += `|${keyPart(row[keys[k]])}`;
        entry = touched.get(key);
        if (!entry) {
          entry = store.get(key) ?? this.newEntry(row);
          touched.set(key, entry);
        }
        node.set(lastValue, entry);
      }
      args.evaluate(row);
      args.update(functions, offsets, entry.b);
      trace?.events.push({ row, outcome: 'counted', ...(deadline !== undefined ? { deadline: { what, atMs: deadline } } : {}) });
    }
    for (const [key, entry] of touched) store.put(key, entry);

    let output: GroupEntry[];
    let removed = 0;
    if (this.mode === 'complete') output = [...store.entries()].map(([, e]) => e);
    else {
      const evicted = usesWatermark ? this.evict(watermark) : [];
      removed = evicted.length;
      output = this.mode === 'append' ? evicted : [...touched.values()];
    }
    this.last = { updated: touched.size, removed, dropped };
    return this.toRows(output);
  }

  async commit(version: number): Promise<void> {
    await this.requireStore().commit(version);
  }

  /** Spark: a newer watermark may finish (append) or evict (update) groups; complete mode never evicts. */
  shouldRunAnotherBatch(): boolean {
    return this.spec.eviction !== undefined && this.mode !== 'complete';
  }

  metrics() {
    const store = this.requireStore();
    return {
      operatorName: this.operatorName,
      numRowsTotal: store.size,
      numRowsUpdated: this.last.updated,
      numRowsRemoved: this.last.removed,
      numRowsDroppedByWatermark: this.last.dropped,
      memoryUsedBytes: store.memoryUsedBytes(),
    };
  }

  stateRows(): { schema: Schema; rows: Row[] } {
    return { schema: this.spec.schema, rows: this.toRows([...this.requireStore().entries()].map(([, e]) => e)) };
  }

  async close(): Promise<void> {}

  private newEntry(row: Row): GroupEntry {
    const entry: GroupEntry = { k: this.spec.keys.map((k) => row[k]), b: new Array(this.width) };
    this.spec.functions.forEach((f, i) => {
      f.init(entry.b, this.offsets[i]);
    });
    return entry;
  }

  /** Removes the groups whose window ended (or whose event time is) at or before the watermark. */
  private evict(watermark: number): GroupEntry[] {
    const store = this.requireStore();
    const { index, kind } = this.spec.eviction!;
    const evicted: Array<[string, GroupEntry]> = [];
    for (const [key, entry] of store.entries()) {
      const deadline = deadlineOf(entry.k[index], kind);
      if (deadline !== undefined && deadline <= watermark) evicted.push([key, entry]);
    }
    for (const [key] of evicted) store.remove(key);
    return evicted.map(([, e]) => e);
  }

  /** Output rows, ordered by key (windows by start), so every run prints the same table. */
  private toRows(entries: GroupEntry[]): Row[] {
    const { keys, functions } = this.spec;
    return entries
      .sort((a, b) => compareKeys(a.k, b.k))
      .map((entry) => {
        const row: Row = {};
        for (let k = 0; k < keys.length; k++) row[keys[k]] = entry.k[k];
        for (let f = 0; f < functions.length; f++) row[functions[f].name] = functions[f].result(entry.b, this.offsets[f]);
        return row;
      });
  }

  private requireStore(): StateStore<GroupEntry> {
    if (!this.store) throw new RuntimeError(`${this.spec.description} was used before the query opened it: run it inside a StreamingQuery`);
    return this.store;
  }
}
