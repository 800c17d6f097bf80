/**
 * Rows that would become the same point. InfluxDB identifies a point by measurement, tag set and time; a second
 * point with the same three replaces the first one's fields, so rows with the same series and time would silently
 * become one point: within a batch (the rate source at 2,000 rows/s puts two rows in most milliseconds) and across
 * batches (the same source puts the last row of second s and the first row of second s+1, two batches, in one
 * millisecond, as Spark's does).
 *
 * Points are sent with nanosecond times, and the row times (milliseconds, or the `precision` unit of a long time
 * column) leave the digits below them free. In `append` mode those digits say which batch and which row of its
 * series and time a point is: the upper ones the batch id (modulo 100 for millisecond times), the lower ones k, the
 * row's rank among the batch's rows of that series and time (0, 1, ...). So rows of one batch never share a point,
 * nor do rows of consecutive batches, every point stays inside its row's millisecond (truncated to it, the time
 * is exactly the row's), and a replayed batch (same id, same rows, same order) writes exactly the same points again.
 * The Node client does the same for points it times itself (the millisecond, then a counter).
 *
 * In `update` and `complete` output mode a row is the new value of a key (e.g. a window's aggregate) that must
 * replace what an earlier batch wrote for it, so times are written exactly, and two rows of one batch with the
 * same series and time mean the key is not all in the tags: that is refused.
 */
import type { OutputMode } from '../../core/sink.js';

/** Two rows that cannot be kept apart: `message` says which and what to do; the sink adds batch and rows. */
export class CollisionError extends Error {
  constructor(
    readonly rows: [number, number],
    message: string,
  ) {
    super(message);
    this.name = 'CollisionError';
  }
}

interface Slot {
  series: string;
  /** Rows of this series at this time so far. */
  count: number;
  /** 0-based batch index of the first of them (for messages). */
  firstRow: number;
  /** The next series at the same time (a list: usually one or a few). */
  next: Slot | undefined;
}

/** Beyond this many series at one time, ordered mode's list gives way to the map. */
const MAX_LIST = 32;

/**
 * Counts rows per (series, time) over one batch; one instance per batch, fed the rows in batch order.
 *
 * Most batches come in time order, and then a row can only meet rows at the latest time so far: that short list is
 * all it keeps (a Map entry per row cost more than half the serializer's speed). The first row out of order, or a
 * time shared by more than MAX_LIST series, builds the full map from the rows seen so far and uses it from then on;
 * both ways give the same offsets.
 */
export class CollisionCounter {
  /** Rows of one series and time one batch can hold: 10^(digits left after the batch's). */
  private readonly room: number;
  /** The batch's share of the offset: (batchId mod 10^batchDigits) * room. */
  private readonly base: number;
  private slots: Map<number | bigint, Slot> | undefined;
  private latest: number | bigint | undefined;
  private atLatest: Slot | undefined;
  private listLength = 0;
  /** What the map would hold, as parallel arrays (cheap to fill), until it is needed. */
  private readonly seen: { series: string[]; times: Array<number | bigint>; rows: number[] } = { series: [], times: [], rows: [] };

  /**
   * @param nanoDigits decimal digits of nanoseconds below the rows' own time unit (6 for millisecond times, 0 when
   *   they are already nanoseconds)
   */
  constructor(
    private readonly outputMode: OutputMode,
    nanoDigits: number,
    batchId: number,
  ) {
    const batchDigits = outputMode === 'append' ? batchDigitsFor(nanoDigits) : 0;
    this.room = 10 ** (nanoDigits - batchDigits);
    this.base = (batchId % 10 ** batchDigits) * this.room;
  }

  /** The row's offset in nanoseconds from its time: the batch's share, plus k for the k-th row of its series and time. */
  take(series: string, time: number | bigint, row: number): number {
    if (this.slots) return this.takeFromMap(series, time, row);
    const { seen } = this;
    if (this.latest === undefined || time > this.latest) {
      // A new latest time: the row meets no earlier one (the usual case: no allocation but the pushes).
      this.latest = time;
      this.atLatest = undefined;
      this.listLength = 0;
      seen.series.push(series);
      seen.times.push(time);
      seen.rows.push(row);
      return this.base;
    }
    if (time < this.latest || this.listLength >= MAX_LIST) {
      this.buildMap();
      return this.takeFromMap(series, time, row);
    }
    // Another row at the latest time: the list is built from the rows there, the first one from `seen`.
    if (this.atLatest === undefined) {
      const last = seen.series.length - 1;
      this.atLatest = { series: seen.series[last], count: 1, firstRow: seen.rows[last], next: undefined };
      this.listLength = 1;
    }
    seen.series.push(series);
    seen.times.push(time);
    seen.rows.push(row);
    let slot: Slot | undefined = this.atLatest;
    while (slot !== undefined && slot.series !== series) slot = slot.next;
    if (slot === undefined) {
      this.atLatest = { series, count: 1, firstRow: row, next: this.atLatest };
      this.listLength++;
      return this.base;
    }
    return this.again(slot, row);
  }

  private takeFromMap(series: string, time: number | bigint, row: number): number {
    const slots = this.slots!;
    // 5 and 5n are one time: a long column may hold either.
    const key = typeof time === 'bigint' && time >= Number.MIN_SAFE_INTEGER && time <= Number.MAX_SAFE_INTEGER ? Number(time) : time;
    const first = slots.get(key);
    let slot = first;
    while (slot !== undefined && slot.series !== series) slot = slot.next;
    if (slot === undefined) {
      slots.set(key, { series, count: 1, firstRow: row, next: first });
      return this.base;
    }
    return this.again(slot, row);
  }

  private buildMap(): void {
    this.slots = new Map();
    const { series, times, rows } = this.seen;
    for (let i = 0; i < series.length; i++) this.takeFromMap(series[i], times[i], rows[i]);
    series.length = times.length = rows.length = 0;
  }

  /** A second (third...) row of one series and time: its offset, or why it cannot have one. */
  private again(slot: Slot, row: number): number {
    const k = slot.count++;
    if (this.outputMode !== 'append') {
      throw new CollisionError(
        [slot.firstRow, row],
        `have the same measurement, tags and time (${describeSeries(slot.series)}), so InfluxDB would keep only one of them. ` +
          `In ${this.outputMode} output mode each row replaces the point an earlier batch wrote for its key, so the key must be ` +
          'the series: list the grouping columns (e.g. the window start and the groupBy columns) in `tags`',
      );
    }
    if (k >= this.room) {
      const what =
        this.room === 1
          ? 'rows whose times are already in nanoseconds leave no room to tell them apart'
          : `at most ${this.room} rows of one series can share a time in one batch`;
      throw new CollisionError(
        [slot.firstRow, row],
        `have the same measurement, tags and time (${describeSeries(slot.series)}) and ${what}: ` +
          'add a tag that tells such rows apart (tags: [...]) or give them distinct times',
      );
    }
    return this.base + k;
  }
}

/** Digits of the batch id kept: 2 of the 6 below a millisecond (10,000 rows per series and time), 3 of 9, 1 of 3. */
function batchDigitsFor(nanoDigits: number): number {
  return nanoDigits >= 9 ? 3 : nanoDigits >= 6 ? 2 : nanoDigits >= 3 ? 1 : 0;
}

function describeSeries(series: string): string {
  return `series ${JSON.stringify(series.length > 80 ? `${series.slice(0, 80)}...` : series)}`;
}
