/**
 * What `services up` says while it installs: one line per step, with what it does and why, e.g.
 *   `  building InfluxDB 1.8.10 from the Go module proxy (first time only, ~1 min)… done in 52s`
 * On a terminal the line counts the seconds while the step runs (a worker thread redraws it, since the steps are
 * synchronous child processes); not on a terminal (a log, CI) it is written once when the step starts and once when
 * it ends, with no carriage returns.
 */
import { Worker } from 'node:worker_threads';
import { CLEAR_LINE } from '../../src/cli/tty-line.js';

export { CLEAR_LINE };
/** Ticker states (an Int32Array shared with the worker): it may write only in RUNNING, and marks a write as WRITING. */
export const RUNNING = 0;
export const WRITING = 1;
export const STOPPED = 2;

export interface TickerData {
  fd: number;
  line: string;
  startMs: number;
  intervalMs: number;
  state: Int32Array;
}

export interface StepOut {
  write(text: string): void;
  isTTY?: boolean;
  /** The terminal's file descriptor, for the ticker's writes while the main thread is blocked. */
  fd?: number;
  /** The terminal's width: a longer line is cut, or \r would only go back to its last wrapped row. */
  columns?: number;
}

/** Room left on a line for ` done in 123s`. */
const OUTCOME_WIDTH = 14;

/** Something that redraws the step's line until stopped; stop() returns once it will never write again. */
export interface Ticker {
  stop(): void;
}
export type StartTicker = (data: Omit<TickerData, 'state'>) => Ticker;

export const elapsed = (ms: number) => `${Math.round(ms / 1000)}s`;

export class StepReporter {
  constructor(
    private readonly out: StepOut,
    private readonly now: () => number = Date.now,
    private readonly startTicker: StartTicker = workerTicker,
    private readonly intervalMs = 1000,
  ) {}

  /** Runs `body` (synchronous: the step's child process) as a step named `what`, done for `why`. */
  run<T>(what: string, why: string | undefined, body: () => T): T {
    const tty = this.out.isTTY === true && this.out.fd !== undefined;
    const line = fitted(`  ${what}${why ? ` (${why})` : ''}…`, tty ? this.out.columns : undefined);
    const startMs = this.now();
    this.out.write(tty ? line : `${line}\n`);
    const ticker = tty ? this.startTicker({ fd: this.out.fd as number, line, startMs, intervalMs: this.intervalMs }) : undefined;
    const end = (outcome: string) => {
      ticker?.stop();
      const took = elapsed(this.now() - startMs);
      this.out.write(tty ? `${CLEAR_LINE}${line} ${outcome} ${took}\n` : `  ${what}: ${outcome} ${took}\n`);
    };
    try {
      const result = body();
      end('done in');
      return result;
    } catch (error) {
      end('failed after');
      throw error;
    }
  }
}

function fitted(line: string, columns: number | undefined): string {
  if (!columns || line.length + OUTCOME_WIDTH < columns) return line;
  return `${line.slice(0, Math.max(10, columns - OUTCOME_WIDTH - 2))}…`;
}

/** The real ticker: elapsed-ticker.js in a worker thread, stopped through the shared state. */
export function workerTicker(data: Omit<TickerData, 'state'>): Ticker {
  const state = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./elapsed-ticker.js', import.meta.url), { workerData: { ...data, state } });
  worker.unref();
  return {
    stop() {
      // Wait out a write in progress (a few microseconds), then forbid the next one.
      while (Atomics.compareExchange(state, 0, RUNNING, STOPPED) === WRITING) Atomics.wait(state, 0, WRITING, 50);
      Atomics.notify(state, 0);
    },
  };
}

/** Install steps report on stderr. */
export const steps = new StepReporter({
  write: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY === true,
  fd: 2,
  get columns() {
    return process.stderr.columns;
  },
});
