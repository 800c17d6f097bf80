import type { Offset, Row } from './row.js';
import type { Schema } from './schema.js';
import type { Backlog, Source, SourceContext } from './source.js';

/** The rows at offsets [from, to): a pure function, so any range can be asked for again and gives the same rows. */
export type RowGenerator = (from: number, to: number) => Row[];

/**
 * When a generator's rows become available (the rows themselves never depend on it):
 * - `all`: every row at once (`rows` is required): a bounded source, as a file of `rows` lines would be;
 * - `rate`: `rowsPerSecond` rows per second of wall time since the query first started (row n is due at
 *   start + n / rowsPerSecond);
 * - `ticks`: `rowsPerTick` rows every `intervalMs`, the first tick at the start itself (a live simulation: every
 *   host or device reports once per interval).
 * `rows`, when set, caps the total in the paced modes too.
 */
export type GeneratorPace =
  | { kind: 'all'; rows: number }
  | { kind: 'rate'; rowsPerSecond: number; rows?: number }
  | { kind: 'ticks'; rowsPerTick: number; intervalMs: number; rows?: number };

/**
 * A replayable source over a RowGenerator: the offset is the number of rows given out, batch (start, end] holds the
 * rows at [start, end). Batches honour the query's maxRowsPerBatch exactly (no rounding to ticks), so a bench can put
 * the same rows in the same batches itself. Paced modes keep their start time in the checkpoint, so a restart goes on
 * at the same pace; only how many rows are due depends on the clock (read from the query's scheduler).
 */
export class GeneratorSource implements Source {
  readonly replayable = true;
  private maxRowsPerBatch = Infinity;
  private startTimeMs = 0;
  /** availableNow: the rows available when the query started; nothing past them is ever offered. */
  private target: number | undefined;
  private context!: SourceContext;

  constructor(
    readonly description: string,
    readonly schema: Schema,
    private readonly generate: RowGenerator,
    private readonly pace: GeneratorPace,
  ) {}

  async open(context: SourceContext) {
    this.context = context;
    this.maxRowsPerBatch = context.maxRowsPerBatch ?? Infinity;
    if (this.pace.kind === 'all') return;
    const stored = context.metadata as { startTimeMs?: number } | undefined;
    this.startTimeMs = stored?.startTimeMs ?? context.scheduler.now();
    return { metadata: { startTimeMs: this.startTimeMs } };
  }

  /** Rows available now: all of them, or as many as are due by the clock (never more than `rows`). */
  available(): number {
    const pace = this.pace;
    if (pace.kind === 'all') return pace.rows;
    const elapsed = this.context.scheduler.now() - this.startTimeMs;
    const due =
      elapsed < 0
        ? 0
        : pace.kind === 'rate'
          ? Math.floor((elapsed * pace.rowsPerSecond) / 1000)
          : (Math.floor(elapsed / pace.intervalMs) + 1) * pace.rowsPerTick;
    return pace.rows === undefined ? due : Math.min(due, pace.rows);
  }

  /** At most maxRowsPerBatch rows past `start`; null while no row is due; `start` itself when nothing new is. */
  latestOffset(start: Offset | null): Offset | null {
    const from = (start as number | null) ?? 0;
    const end = Math.max(from, Math.min(this.target ?? this.available(), from + this.maxRowsPerBatch));
    return end === 0 ? null : end;
  }

  getBatch(start: Offset | null, end: Offset): Row[] {
    return this.generate((start as number | null) ?? 0, end as number);
  }

  /** Bounded sources end after their last row anyway; paced ones stop at what is due now. */
  prepareForTriggerAvailableNow(): void {
    this.target = this.available();
  }

  /** Rows: the offset is the number of rows given out, the target the rows available at the start. */
  backlog(committed: Offset | null): Backlog | undefined {
    if (this.target === undefined) return undefined;
    return { done: Math.min((committed as number | null) ?? 0, this.target), total: this.target, unit: 'rows' };
  }

  async stop(): Promise<void> {}
}
