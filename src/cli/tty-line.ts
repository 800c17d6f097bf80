/**
 * One status line redrawn in place at the bottom of a terminal (\r and ANSI clear-line), with plain lines printed
 * above it. What the bench's progress, the run's backlog bar and `services up` share. Not on a TTY (a log, a pipe)
 * nothing is drawn, so the plain lines are all that is written.
 */
export interface TextOut {
  write(text: string): void;
  isTTY?: boolean;
  /** The terminal's width: a longer status line is cut to fit, or \r would only go back to its last wrapped row. */
  columns?: number;
}

export const CLEAR_LINE = '\r\x1b[2K';

export class TtyLine {
  private drawn = '';

  constructor(private readonly out: TextOut) {}

  get isTTY(): boolean {
    return this.out.isTTY === true;
  }

  /** Replaces the status line (only on a TTY). */
  draw(line: string): void {
    if (!this.isTTY) return;
    const width = this.out.columns;
    const fitted = width && line.length >= width ? line.slice(0, Math.max(0, width - 1)) : line;
    this.out.write(`${CLEAR_LINE}${fitted}`);
    this.drawn = fitted;
  }

  /** Runs `write` (which writes whole lines to the same terminal) with the status line moved below what it wrote. */
  above(write: () => void): void {
    if (!this.drawn) {
      write();
      return;
    }
    this.out.write(CLEAR_LINE);
    write();
    this.out.write(`${CLEAR_LINE}${this.drawn}`);
  }

  /** A plain line that stays, above the status line. */
  print(line: string): void {
    this.above(() => this.out.write(`${line}\n`));
  }

  /** Removes the status line, leaving the cursor at the start of an empty line. */
  clear(): void {
    if (this.drawn) this.out.write(CLEAR_LINE);
    this.drawn = '';
  }
}
