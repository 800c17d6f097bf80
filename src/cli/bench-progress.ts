/**
 * What the terminal shows while the bench runs (on stderr). On a TTY: one progress line for the run in flight
 * (target, writer, rows done, rows/s, ETA), redrawn in place with \r and ANSI clear-line; every finished run leaves a
 * plain line. Not on a TTY (CI logs, a pipe): only the plain line per finished run, and the notes.
 */
import type { BenchEvent } from '../benchmark/plan.js';
import type { BenchRun } from '../benchmark/results.js';
import { count, duration, percentile, short } from './bench-format.js';
import { TtyLine, type TextOut } from './tty-line.js';

export type { TextOut } from './tty-line.js';

/** Redraws at most this often (in the run's own elapsed time), so a fast sink does not flood the terminal. */
const REDRAW_MS = 100;

export class BenchProgress {
  private current: Extract<BenchEvent, { type: 'run-start' }> | undefined;
  private readonly line: TtyLine;
  private lastDrawMs = Number.NEGATIVE_INFINITY;

  constructor(out: TextOut) {
    this.line = new TtyLine(out);
  }

  readonly onEvent = (event: BenchEvent): void => {
    switch (event.type) {
      case 'run-start':
        this.current = event;
        this.lastDrawMs = Number.NEGATIVE_INFINITY;
        this.line.draw(`${this.label()}: starting`);
        return;
      case 'run-progress':
        if (event.elapsedMs - this.lastDrawMs < REDRAW_MS && event.rowsDone < event.totalRows) return;
        this.lastDrawMs = event.elapsedMs;
        this.line.draw(this.progressLine(event));
        return;
      case 'run-end':
        this.current = undefined;
        this.line.clear();
        this.line.print(finishedLine(event.run));
        return;
      case 'note':
        this.line.print(event.message);
    }
  };

  /** Leaves the terminal on a fresh line (before the summary, or when stopped). */
  finish(): void {
    this.line.clear();
  }

  private progressLine(event: Extract<BenchEvent, { type: 'run-progress' }>): string {
    const rate = event.elapsedMs > 0 ? (event.rowsDone / event.elapsedMs) * 1000 : 0;
    const eta = rate > 0 ? duration((event.totalRows - event.rowsDone) / rate) : '?';
    return `${this.label()}: ${count(event.rowsDone)}/${count(event.totalRows)} rows  ${count(rate)} rows/s  ETA ${eta}`;
  }

  private label(): string {
    const run = this.current;
    if (!run) return '';
    return `${run.target} [${run.writer}] batch ${count(run.batchSize)} ${run.guarantee} #${run.repeat + 1}`;
  }
}

/** `mysql [sink] batch 10,000 exactly-once #1: 1,000,000 rows in 8.21 s, 121,803 rows/s, 14.2 MB/s, p99 45 ms, verified`. */
export function finishedLine(run: BenchRun): string {
  const writer = run.writer === 'baseline' ? `baseline: ${run.baseline ?? '?'}` : 'sink';
  const head = `${run.target} [${writer}] batch ${count(run.batchSize)} ${run.guarantee} #${run.repeat + 1}`;
  if (run.error) return `${head}: FAILED: ${run.error}`;
  const verdict = run.verification.ok ? 'verified' : `NOT VERIFIED: ${verificationText(run)}`;
  return (
    `${head}: ${count(run.rows)} rows in ${short(run.seconds)} s, ${count(run.rowsPerSecond)} rows/s, ` +
    `${short(run.mbPerSecond)} MB/s, p99 ${short(percentile(run.batchLatencyMs, 99))} ms, ${verdict}`
  );
}

export function verificationText(run: BenchRun): string {
  const v = run.verification;
  return (
    v.message ??
    `expected ${count(v.expectedRows)} rows (checksum ${v.expectedChecksum}), read back ${count(v.rows)} (checksum ${v.checksum})`
  );
}
