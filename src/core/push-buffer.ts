import { z } from 'zod';
import type { Offset, Row } from './row.js';

/** What a push source does when its buffer is full. */
export const overflowPolicies = ['block', 'dropNewest', 'dropOldest'] as const;
export type OverflowPolicy = (typeof overflowPolicies)[number];

/** Options every push source shares; spread into its schema. */
export const pushBufferOptions = {
  maxBufferedRows: z
    .number()
    .int()
    .positive()
    .default(100_000)
    .describe('Rows held in memory between batches. A push source cannot replay, so this bounds what a slow sink can make it hold.'),
  onBufferFull: z
    .enum(overflowPolicies)
    .default('block')
    .describe(
      'When the buffer is full: block (pause the producer, e.g. stop reading the socket; where the producer cannot pause, the new row is dropped), dropNewest, or dropOldest. Drops are counted in progress (droppedRows).',
    ),
};

/**
 * The bounded queue behind push sources (socket, system sampler). Rows get sequence numbers in arrival order;
 * the offset of a batch is the highest sequence number in it, so (start, end] is a slice of the buffer. Rows stay
 * until the batch that read them commits. Sequence numbers restart with each run: push sources are not replayable.
 */
export class PushBuffer {
  private rows: Row[] = [];
  /** Sequence number of rows[0] minus one: everything up to here is committed or dropped. */
  private base = 0;
  private dropped = 0;
  private readonly waiters: Array<() => void> = [];

  /**
   * @param producerCanPause with `block`, a producer that pauses when `full` (a socket) may still deliver the rows
   * already in flight; they are kept (the overshoot is one read chunk), not dropped. A producer that cannot pause
   * (a sampler) gets its new rows dropped instead.
   */
  constructor(
    readonly capacity: number,
    readonly policy: OverflowPolicy,
    private readonly producerCanPause = false,
  ) {}

  /** Total rows accepted so far; the latest offset. */
  get latest(): number {
    return this.base + this.rows.length;
  }

  get size(): number {
    return this.rows.length;
  }

  get droppedRows(): number {
    return this.dropped;
  }

  get full(): boolean {
    return this.rows.length >= this.capacity;
  }

  /** Adds a row; returns false when it was dropped. With `block`, the producer should pause while `full`. */
  push(row: Row): boolean {
    if (!this.full || (this.policy === 'block' && this.producerCanPause)) {
      this.rows.push(row);
      return true;
    }
    if (this.policy === 'dropOldest') {
      this.rows.shift();
      this.base++;
      this.rows.push(row);
      this.dropped++;
      return true;
    }
    this.dropped++;
    return false;
  }

  /** Rows with sequence numbers in (start, end]. Rows dropped with dropOldest before being read are skipped. */
  slice(start: number, end: number): Row[] {
    const from = Math.max(start - this.base, 0);
    return this.rows.slice(from, Math.max(end - this.base, 0));
  }

  /** Drops rows up to `end` (committed) and wakes producers waiting for space. */
  commit(end: number): void {
    const count = Math.min(Math.max(end - this.base, 0), this.rows.length);
    if (count > 0) {
      this.rows.splice(0, count);
      this.base += count;
    }
    while (!this.full && this.waiters.length > 0) this.waiters.shift()!();
  }

  /** Resolves when there is room again (for producers that can pause). */
  whenNotFull(): Promise<void> {
    return this.full ? new Promise((resolve) => this.waiters.push(resolve)) : Promise.resolve();
  }
}

/**
 * The offset half of a push source: offsets are sequence numbers in the buffer, batches are slices of it, and a
 * commit frees what the batch read. Subclasses only produce rows into `this.buffer`.
 */
export abstract class PushSource {
  readonly replayable = false;

  protected constructor(protected readonly buffer: PushBuffer) {}

  latestOffset(): Offset | null {
    return this.buffer.latest === 0 ? null : this.buffer.latest;
  }

  getBatch(start: Offset | null, end: Offset): Row[] {
    return this.buffer.slice((start as number | null) ?? 0, end as number);
  }

  commit(end: Offset): void {
    this.buffer.commit(end as number);
  }

  metrics() {
    return { bufferedRows: this.buffer.size, droppedRows: this.buffer.droppedRows };
  }
}
