import { columnsOf } from '../../core/columnar/micro-batch.js';
import { RuntimeError } from '../../core/errors.js';
import type { BatchTrace, MicroBatch, StatefulOperator, StatefulOperatorContext } from '../../core/operator.js';
import type { Row, Value } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { OutputMode } from '../../core/sink.js';
import { StateStore } from '../../core/state/state-store.js';
import { ArgumentPlan, type AggregateFunction, type AggregationBuffer } from './functions.js';
import { deadlineOf, type EvictionKey } from './deadline.js';
import { compareKeys, groupKey, parseKey } from './group-key.js';
import { assignGroups } from './assign-groups.js';
import { columnReader, rowReader } from './group-reader.js';

export type { EvictionKey } from './deadline.js';

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
    const { keys, eviction } = this.spec;
    const watermark = batch.watermarkMs;
    const lateWatermark = batch.lateWatermarkMs ?? watermark; // Spark 4: the previous batch's (see MicroBatch)
    const usesWatermark = eviction !== undefined && this.mode !== 'complete';
    const trace = this.trace.enabled ? this.trace : undefined;
    if (trace) {
      trace.watermarkMs = watermark;
      trace.lateWatermarkMs = lateWatermark;
      trace.events = [];
    }
    // A columnar batch is read from its vectors (no row is built); the UI's trace needs rows.
    const columns = trace ? undefined : columnsOf(batch);
    const plan = { functions: this.spec.functions, offsets: this.offsets, args: this.args };
    const reader = columns
      ? columnReader(columns, keys, usesWatermark ? eviction : undefined, plan)
      : rowReader(batch.rows, keys, usesWatermark ? eviction : undefined, plan);
    const what = eviction?.kind === 'window' ? 'window end' : 'event time';
    const { groupOf, firsts, dropped } = assignGroups(
      reader,
      lateWatermark,
      trace &&
        ((at, outcome, atMs) =>
          trace.events.push({ row: reader.row!(at), outcome, ...(atMs !== undefined ? { deadline: { what, atMs } } : {}) })),
    );
    const touched = new Map<string, GroupEntry>();
    const buffers = firsts.map((at) => {
      const keyValues = reader.values.map((value) => value(at));
      const key = groupKey(keyValues);
      let entry = touched.get(key);
      if (!entry) {
        entry = store.get(key) ?? this.newEntry(keyValues);
        touched.set(key, entry);
      }
      return entry.b;
    });
    reader.fold(groupOf, buffers);
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

  private newEntry(keyValues: Value[]): GroupEntry {
    const entry: GroupEntry = { k: keyValues, b: new Array(this.width) };
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
