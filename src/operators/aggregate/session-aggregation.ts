import { RuntimeError } from '../../core/errors.js';
import type { BatchTrace, MicroBatch, StatefulOperator, StatefulOperatorContext } from '../../core/operator.js';
import type { Row, Value } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { OutputMode } from '../../core/sink.js';
import { StateStore } from '../../core/state/state-store.js';
import { isWindow } from '../event-time.js';
import { ArgumentPlan, type AggregateFunction, type AggregationBuffer } from './functions.js';
import { compareKeys, keyPart } from './group-key.js';

export interface SessionAggregationSpec {
  /** All grouping keys in output order, the session column among them. */
  keys: string[];
  /** Position of the session column in `keys`. */
  sessionIndex: number;
  functions: AggregateFunction[];
  /** Whether the session column carries a watermark (append mode needs it). */
  watermarked: boolean;
  schema: Schema;
  description: string;
}

/** One session: [start, end) in ms and its aggregation buffer. */
type Session = { start: number; end: number; b: AggregationBuffer };
/** The sessions of one key (the other grouping columns), sorted by start, never overlapping. */
type SessionEntry = { k: Value[]; s: Session[] };

/**
 * Aggregation over session windows (Spark's MergingSessionsExec + SessionWindowStateStoreSaveExec). A row opens a
 * session [t, t + gap) (made by sessionWindow); sessions of the same key that overlap or touch are merged, buffers
 * and all, so a late row can bridge two sessions into one. Output modes: complete (all sessions every batch) and
 * append (a session once the watermark passes its end). Update is refused before the query starts, as in Spark:
 * a merge would have to retract sessions already written. A row whose own session ends at or before the
 * watermark is late and dropped (append).
 */
export class SessionAggregation implements StatefulOperator {
  readonly operatorName = 'sessionWindowStateStoreSave';
  readonly trace: BatchTrace = { enabled: false, watermarkMs: 0, lateWatermarkMs: 0, events: [] };
  private store: StateStore<SessionEntry> | undefined;
  private mode: OutputMode = 'append';
  private readonly offsets: number[];
  private readonly width: number;
  private readonly otherKeys: string[];
  private readonly args: ArgumentPlan;
  private last = { updated: 0, removed: 0, dropped: 0 };

  constructor(readonly spec: SessionAggregationSpec) {
    let width = 0;
    this.offsets = spec.functions.map((f) => {
      const at = width;
      width += f.width;
      return at;
    });
    this.width = width;
    this.otherKeys = spec.keys.filter((_, i) => i !== spec.sessionIndex);
    this.args = new ArgumentPlan(spec.functions);
  }

  async open(context: StatefulOperatorContext): Promise<void> {
    this.mode = context.outputMode;
    if (this.mode === 'update')
      throw new RuntimeError(
        `${this.spec.description}: Update output mode not supported for session window on streaming DataFrames/DataSets (use append or complete)`,
      );
    if (this.mode === 'append' && !this.spec.watermarked) {
      throw new RuntimeError(
        `${this.spec.description}: append output mode needs a watermark on the session's event-time column (withWatermark before sessionWindow)`,
      );
    }
    this.store = new StateStore<SessionEntry>(context.stateDir);
  }

  async restore(version: number): Promise<void> {
    await this.requireStore().load(version);
  }

  process(batch: MicroBatch): Row[] {
    const store = this.requireStore();
    const { functions, keys, sessionIndex } = this.spec;
    const sessionColumn = keys[sessionIndex];
    const watermark = batch.watermarkMs;
    const lateWatermark = batch.lateWatermarkMs ?? watermark; // Spark 4: the previous batch's (see MicroBatch)
    const usesWatermark = this.mode === 'append';
    const trace = this.trace.enabled ? this.trace : undefined;
    if (trace) {
      trace.watermarkMs = watermark;
      trace.lateWatermarkMs = lateWatermark;
      trace.events = [];
    }
    const touched = new Map<string, SessionEntry>();
    let dropped = 0;
    for (const row of batch.rows) {
      const window = row[sessionColumn];
      if (!isWindow(window)) continue;
      const start = window.start.getTime();
      const end = window.end.getTime();
      if (usesWatermark && end <= lateWatermark) {
        dropped++;
        trace?.events.push({ row, outcome: 'late', deadline: { what: 'session end', atMs: end } });
        continue;
      }
      const key = this.otherKeys.map((k) => keyPart(row[k])).join('|');
      let entry = touched.get(key);
      if (!entry) {
        entry = store.get(key) ?? { k: this.otherKeys.map((k) => row[k]), s: [] };
        touched.set(key, entry);
      }
      const session: Session = { start, end, b: new Array(this.width) };
      functions.forEach((f, i) => {
        f.init(session.b, this.offsets[i]);
      });
      this.args.evaluate(row);
      this.args.update(functions, this.offsets, session.b);
      this.insert(entry, session);
      trace?.events.push({ row, outcome: 'counted', ...(usesWatermark ? { deadline: { what: 'session end', atMs: end } } : {}) });
    }
    for (const [key, entry] of touched) store.put(key, entry);

    let output: Array<[Value[], Session]>;
    let removed = 0;
    if (this.mode === 'complete') output = [...store.entries()].flatMap(([, e]) => e.s.map((s): [Value[], Session] => [e.k, s]));
    else {
      output = this.evict(watermark);
      removed = output.length;
    }
    this.last = { updated: touched.size, removed, dropped };
    return this.toRows(output);
  }

  async commit(version: number): Promise<void> {
    await this.requireStore().commit(version);
  }

  shouldRunAnotherBatch(): boolean {
    return this.mode === 'append';
  }

  metrics() {
    const store = this.requireStore();
    let sessions = 0;
    for (const [, entry] of store.entries()) sessions += entry.s.length;
    return {
      operatorName: this.operatorName,
      numRowsTotal: sessions,
      numRowsUpdated: this.last.updated,
      numRowsRemoved: this.last.removed,
      numRowsDroppedByWatermark: this.last.dropped,
      memoryUsedBytes: store.memoryUsedBytes(),
    };
  }

  stateRows(): { schema: Schema; rows: Row[] } {
    const all = [...this.requireStore().entries()].flatMap(([, e]) => e.s.map((s): [Value[], Session] => [e.k, s]));
    return { schema: this.spec.schema, rows: this.toRows(all) };
  }

  async close(): Promise<void> {}

  /** Adds `session` to the key's sessions, merging every session it overlaps or touches (start <= other end). */
  private insert(entry: SessionEntry, session: Session): void {
    const kept: Session[] = [];
    const merged = session;
    for (const other of entry.s) {
      if (other.start <= merged.end && merged.start <= other.end) {
        merged.start = Math.min(merged.start, other.start);
        merged.end = Math.max(merged.end, other.end);
        this.spec.functions.forEach((f, i) => {
          f.merge(merged.b, this.offsets[i], other.b);
        });
      } else kept.push(other);
    }
    kept.push(merged);
    kept.sort((a, b) => a.start - b.start);
    entry.s = kept;
  }

  /** Removes and returns the sessions that ended at or before the watermark. */
  private evict(watermark: number): Array<[Value[], Session]> {
    const store = this.requireStore();
    const evicted: Array<[Value[], Session]> = [];
    const changed: Array<[string, SessionEntry]> = [];
    for (const [key, entry] of store.entries()) {
      const done = entry.s.filter((s) => s.end <= watermark);
      if (done.length === 0) continue;
      for (const s of done) evicted.push([entry.k, s]);
      changed.push([key, { k: entry.k, s: entry.s.filter((s) => s.end > watermark) }]);
    }
    for (const [key, entry] of changed) {
      if (entry.s.length === 0) store.remove(key);
      else store.put(key, entry);
    }
    return evicted;
  }

  private toRows(sessions: Array<[Value[], Session]>): Row[] {
    const { keys, sessionIndex, functions } = this.spec;
    const rows = sessions.map(([other, s]) => {
      const values: Value[] = [...other];
      values.splice(sessionIndex, 0, { start: new Date(s.start), end: new Date(s.end) });
      return { values, s };
    });
    rows.sort((a, b) => compareKeys(a.values, b.values));
    return rows.map(({ values, s }) => {
      const row: Row = {};
      keys.forEach((k, i) => {
        row[k] = values[i];
      });
      functions.forEach((f, i) => {
        row[f.name] = f.result(s.b, this.offsets[i]);
      });
      return row;
    });
  }

  private requireStore(): StateStore<SessionEntry> {
    if (!this.store) throw new RuntimeError(`${this.spec.description} was used before the query opened it: run it inside a StreamingQuery`);
    return this.store;
  }
}
