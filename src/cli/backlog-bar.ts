/**
 * The progress bar of an availableNow run over a backlog, on stderr when it is a terminal:
 *   `[tsbs-big] [██████░░░░░░░░░░░░░░] 1,500,000/5,000,000 rows (30%)  310,000 rows/s  ETA 11s`
 * redrawn in place after every batch, below the per-batch lines (which stay as they are). Not on a TTY, or when the
 * source cannot count what it has left (Source.backlog), nothing is drawn and the lines are written unchanged.
 */
import type { Logger } from '../core/logger.js';
import type { QueryProgress } from '../core/progress.js';
import type { Offset } from '../core/row.js';
import type { Backlog } from '../core/source.js';
import { count, duration } from './bench-format.js';
import { TtyLine, type TextOut } from './tty-line.js';

const BAR_WIDTH = 20;

/** What the bar asks the query (StreamingQuery.backlog). */
export interface BacklogOf {
  backlog(committed?: Offset | null): Backlog | undefined;
}

export class BacklogBar {
  private readonly line: TtyLine;
  /** Where the rate is measured from: the start of the first batch this run, and what was done before it. */
  private from: { ms: number; done: number } | undefined;

  constructor(
    out: TextOut,
    private readonly name: string,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.line = new TtyLine(out);
  }

  /** The run's logger with its lines printed above the bar, so a warning never lands in the middle of it. */
  wrap(logger: Logger): Logger {
    return {
      info: (m) => this.line.above(() => logger.info(m)),
      warn: (m) => this.line.above(() => logger.warn(m)),
      error: (m) => this.line.above(() => logger.error(m)),
    };
  }

  /** After each batch's progress: redraws the bar with what is done now. */
  afterBatch(query: BacklogOf, progress: QueryProgress): void {
    if (!this.line.isTTY) return;
    const backlog = query.backlog();
    if (!backlog) return;
    const now = this.now();
    if (!this.from) {
      const before = query.backlog(progress.sources[0]?.startOffset ?? null);
      this.from = { ms: now - progress.batchDuration, done: before?.done ?? 0 };
    }
    const seconds = (now - this.from.ms) / 1000;
    const rate = seconds > 0 ? (backlog.done - this.from.done) / seconds : 0;
    this.line.draw(barLine(this.name, backlog, rate));
  }

  /** Removes the bar when the run ends (the per-batch lines above it stay). */
  finish(): void {
    this.line.clear();
  }
}

/** The bar's text: name, bar, done/total unit (percent), rate per second, ETA (`?` while no rate is known). */
export function barLine(name: string, backlog: Backlog, perSecond: number): string {
  const { done, total, unit } = backlog;
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const eta = done >= total ? '0s' : perSecond > 0 ? duration((total - done) / perSecond) : '?';
  return (
    `[${name}] [${bar}] ${count(done)}/${count(total)} ${unit} (${Math.floor(fraction * 100)}%)  ` +
    `${count(perSecond)} ${unit}/s  ETA ${eta}`
  );
}
