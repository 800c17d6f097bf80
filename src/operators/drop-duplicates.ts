import { map } from 'rxjs';
import { z } from 'zod';
import { defineOperator } from '../component/definition.js';
import { formatDuration } from '../core/duration.js';
import { ConfigError, RuntimeError } from '../core/errors.js';
import { withHooks, type BatchTrace, type MicroBatch, type StatefulOperator, type StatefulOperatorContext } from '../core/operator.js';
import type { Row } from '../core/row.js';
import type { Schema } from '../core/schema.js';
import { StateStore } from '../core/state/state-store.js';
import { keyPart } from './aggregate/group-key.js';
import { requireColumn } from './event-time.js';

const options = z.strictObject({
  columns: z.array(z.string().min(1)).optional().describe('Columns that make a row a duplicate (default: all columns).'),
  withinWatermark: z
    .boolean()
    .default(false)
    .describe(
      'Remember each key only until the watermark passes its event time + the watermark delay, without the event time in the key (Spark 3.5: dropDuplicatesWithinWatermark). Needs withWatermark.',
    ),
});

interface DedupSpec {
  columns: string[];
  /** The watermarked event-time column: in the key (plain mode) or next to it (withinWatermark). */
  eventTime?: string;
  withinWatermark: boolean;
  delayMs: number;
  schema: Schema;
}

/**
 * Streaming deduplication (Spark's StreamingDeduplicateExec / DeduplicateWithinWatermarkExec): the state holds the
 * keys seen; the first row of a key passes, later ones are dropped. Without a watermark the state grows with every
 * key. With the watermarked event time among the columns, a key is forgotten once the watermark passes its event
 * time, and rows at or behind the watermark are dropped as late. withinWatermark keys on the other columns only and
 * forgets a key once the watermark passes its first event time + delay.
 */
class Deduplication implements StatefulOperator {
  readonly operatorName: string;
  readonly trace: BatchTrace = { enabled: false, watermarkMs: 0, lateWatermarkMs: 0, events: [] };
  private store: StateStore<number | boolean> | undefined;
  private last = { updated: 0, removed: 0, dropped: 0 };

  constructor(private readonly spec: DedupSpec) {
    this.operatorName = spec.withinWatermark ? 'dedupeWithinWatermark' : 'dedupe';
  }

  async open(context: StatefulOperatorContext): Promise<void> {
    this.store = new StateStore(context.stateDir);
  }

  async restore(version: number): Promise<void> {
    await this.requireStore().load(version);
  }

  process(batch: MicroBatch): Row[] {
    const store = this.requireStore();
    const { columns, eventTime, withinWatermark, delayMs } = this.spec;
    const watermark = batch.watermarkMs;
    const lateWatermark = batch.lateWatermarkMs ?? watermark; // Spark 4: the previous batch's (see MicroBatch)
    const trace = this.trace.enabled ? this.trace : undefined;
    if (trace) {
      trace.watermarkMs = watermark;
      trace.lateWatermarkMs = lateWatermark;
      trace.events = [];
    }
    const out: Row[] = [];
    let updated = 0;
    let dropped = 0;
    for (const row of batch.rows) {
      const time = eventTime === undefined ? undefined : row[eventTime];
      const t = time instanceof Date ? time.getTime() : undefined;
      if (t !== undefined && t <= lateWatermark) {
        dropped++;
        trace?.events.push({ row, outcome: 'late', deadline: { what: 'event time', atMs: t } });
        continue;
      }
      const key = columns.map((c) => keyPart(row[c])).join('|');
      if (store.has(key)) {
        trace?.events.push({ row, outcome: 'duplicate' });
        continue;
      }
      const deadline = t === undefined ? {} : { deadline: { what: 'event time', atMs: t } };
      store.put(key, withinWatermark ? (t === undefined ? true : t + delayMs) : (t ?? true));
      updated++;
      out.push(row);
      trace?.events.push({ row, outcome: 'kept', ...deadline });
    }
    const removed = eventTime === undefined ? 0 : this.evict(watermark);
    this.last = { updated, removed, dropped };
    return out;
  }

  async commit(version: number): Promise<void> {
    await this.requireStore().commit(version);
  }

  shouldRunAnotherBatch(): boolean {
    return this.spec.eventTime !== undefined;
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
    const rows = [...this.requireStore().entries()].map(([key, value]) => ({
      key,
      ...(typeof value === 'number' ? { [this.spec.withinWatermark ? 'expiresAt' : 'eventTime']: new Date(value) } : {}),
    }));
    return { schema: this.spec.schema, rows };
  }

  async close(): Promise<void> {}

  /** Forgets keys whose time (event time, or expiry for withinWatermark) is at or behind the watermark. */
  private evict(watermark: number): number {
    const store = this.requireStore();
    const old: string[] = [];
    for (const [key, value] of store.entries()) if (typeof value === 'number' && value <= watermark) old.push(key);
    for (const key of old) store.remove(key);
    return old.length;
  }

  private requireStore(): StateStore<number | boolean> {
    if (!this.store) throw new RuntimeError('dropDuplicates was used before the query opened it: run it inside a StreamingQuery');
    return this.store;
  }
}

/** Spark's `dropDuplicates(columns)` and `dropDuplicatesWithinWatermark(columns)` on a stream. */
export const dropDuplicatesOperator = defineOperator({
  type: 'dropDuplicates',
  summary:
    'Passes the first row of each key and drops later ones, remembering keys in the checkpointed state; with a watermark, old keys are forgotten (Spark: dropDuplicates, dropDuplicatesWithinWatermark).',
  options,
  examples: [{}, { columns: ['id'] }, { columns: ['id'], withinWatermark: true }],
  create({ columns, withinWatermark }, context) {
    const keys = columns ?? context.input.map((c) => c.name);
    keys.forEach((k, i) => {
      requireColumn(k, context, `columns[${i}]`);
    });
    const watermarked = context.input.find((c) => {
      const info = context.columns?.get(c.name);
      return info?.watermarkDelayMs !== undefined && !info.window;
    });
    const inKeys = watermarked !== undefined && keys.includes(watermarked.name);
    if (withinWatermark && !watermarked) {
      throw ConfigError.single({
        file: context.location.file,
        path: `${context.location.path}.withinWatermark`,
        message:
          'dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without watermark: add withWatermark on the event-time column before it',
      });
    }
    const eventTime = withinWatermark || inKeys ? watermarked!.name : undefined;
    const delayMs = watermarked ? context.columns!.get(watermarked.name)!.watermarkDelayMs! : 0;
    const stateSchema: Schema = [
      { name: 'key', type: 'string' },
      ...(eventTime ? [{ name: withinWatermark ? 'expiresAt' : 'eventTime', type: 'timestamp' as const }] : []),
    ];
    const dedup = new Deduplication({ columns: keys, eventTime, withinWatermark, delayMs, schema: stateSchema });
    const forget = !eventTime
      ? 'no watermarked event time among the columns: every key is remembered forever'
      : withinWatermark
        ? `a key is forgotten once the watermark passes its first ${eventTime} + ${formatDuration(delayMs)}; rows at or behind the watermark are late`
        : `a key is forgotten once the watermark passes its ${eventTime}; rows at or behind the watermark are late`;
    return {
      operator: withHooks(
        map((batch) => ({ ...batch, rows: dedup.process(batch) })),
        { stateful: dedup },
      ),
      schema: context.input,
      description: `${withinWatermark ? 'DeduplicateWithinWatermark' : 'Deduplicate'} [${keys.join(', ')}] (state: ${dedup.operatorName})`,
      facts: { kind: 'dedup', withinWatermark, watermarkedColumn: eventTime },
      notes: [forget],
    };
  },
});
