import { z } from 'zod';
import { RingBuffer } from './ring-buffer.js';
import type { Row } from './row.js';

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
    .describe(
      'Rows waiting for the next batch. A push source cannot replay, so this bounds what a slow sink can make it hold; the rows of the batch being written are held besides, until it commits (at most twice this many in all).',
    ),
  onBufferFull: z
    .enum(overflowPolicies)
    .default('block')
    .describe(
      'When the buffer is full: block (pause the producer, e.g. stop reading the socket; where the producer cannot pause, the new row is dropped), dropNewest, or dropOldest (of the rows not yet in a batch: a batch keeps every row it was given). Drops are counted in progress (droppedRows).',
    ),
};

/** Rows handed to one batch: owned by it until it commits, never dropped by a policy. */
interface Cut {
  end: number;
  rows: Row[];
}

/**
 * The bounded queue behind push sources (socket, system sampler). Rows get sequence numbers in arrival order. When
 * the engine asks for the latest offset, the rows waiting so far are cut off into the next batch: from then on the
 * batch owns them (the overflow policy only ever drops rows still waiting), and they are freed when it commits.
 * The batch's end offset is the sequence number of its last row, so (start, end] names exactly one cut. Sequence
 * numbers restart with each run: push sources are not replayable.
 */
export class PushBuffer {
  private readonly waiting: RingBuffer<Row>;
  private cuts: Cut[] = [];
  private cutRows = 0;
  /** Sequence number of the newest row accepted. */
  private accepted = 0;
  /** End offset of the newest cut; 0 before the first. */
  private cutEnd = 0;
  /** No cut goes past this sequence number (availableNow, draining). */
  private target = Infinity;
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
  ) {
    this.waiting = new RingBuffer(Math.min(capacity, 1024));
  }

  /** Rows held in memory: waiting, plus those of batches not yet committed. */
  get size(): number {
    return this.waiting.size + this.cutRows;
  }

  get droppedRows(): number {
    return this.dropped;
  }

  /** The waiting rows reached the capacity. */
  get full(): boolean {
    return this.waiting.size >= this.capacity;
  }

  /** Whether `push` would keep a row now: a producer may skip building rows that would only be dropped (see `reject`). */
  get accepting(): boolean {
    return !this.full || this.policy === 'dropOldest' || (this.policy === 'block' && this.producerCanPause);
  }

  /** Adds a row; returns false when it was dropped. With `block`, the producer should pause while `full`. */
  push(row: Row): boolean {
    if (!this.full || (this.policy === 'block' && this.producerCanPause)) {
      this.waiting.push(row);
      this.accepted++;
      return true;
    }
    if (this.policy === 'dropOldest') {
      this.waiting.shift(); // O(1) in a ring, where Array.shift moved every row
      this.waiting.push(row);
      this.accepted++;
      this.dropped++;
      return true;
    }
    this.dropped++;
    return false;
  }

  /** Counts a row the producer dropped without building it, because `accepting` was false. */
  reject(): void {
    this.dropped++;
  }

  /**
   * Hands up to `maxRows` waiting rows to the next batch and returns the end offset of all rows handed out so far
   * (the same as before when none is waiting), or null before the first row. Makes room, so it wakes producers.
   */
  cut(maxRows = Infinity): number | null {
    const firstWaiting = this.accepted - this.waiting.size + 1;
    const count = Math.min(this.waiting.size, maxRows, this.target - firstWaiting + 1);
    if (count > 0) {
      const rows = this.waiting.take(count);
      this.cutEnd = firstWaiting + count - 1;
      this.cuts.push({ end: this.cutEnd, rows });
      this.cutRows += count;
      this.wakeProducers();
    }
    return this.cutEnd === 0 ? null : this.cutEnd;
  }

  /** The rows of the cuts in (start, end]. */
  rowsOf(start: number, end: number): Row[] {
    const cuts = this.cuts.filter((c) => c.end > start && c.end <= end);
    return cuts.length === 1 ? cuts[0].rows : cuts.flatMap((c) => c.rows);
  }

  /** Frees the rows of batches up to `end` (committed). */
  commit(end: number): void {
    while (this.cuts.length > 0 && this.cuts[0].end <= end) this.cutRows -= this.cuts.shift()!.rows.length;
  }

  /** Later cuts stop at the rows accepted by now (availableNow; a source that stopped producing). */
  closeAtLatest(): void {
    this.target = this.accepted;
  }

  /** Resolves when there is room again (for producers that can pause). */
  whenNotFull(): Promise<void> {
    return this.full ? new Promise((resolve) => this.waiters.push(resolve)) : Promise.resolve();
  }

  private wakeProducers(): void {
    while (!this.full && this.waiters.length > 0) this.waiters.shift()!();
  }
}
