/**
 * Splits a byte stream into lines at `\n` (removing a `\r` before it), holding at most `maxLineBytes` of an
 * unfinished line: a peer that never sends a newline would otherwise grow one string until the process dies
 * (`RangeError: Invalid string length`). A longer line is reported to `onTooLong` once, as soon as it passes the
 * limit, and its remaining bytes are skipped up to the next newline. Lines are handed over as bytes, so a caller
 * that drops them (a full buffer) never pays for decoding; UTF-8 is decoded per whole line, never split.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Inside a line that was too long: its bytes are skipped up to the next newline. */
  private skipping = false;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (bytes: Buffer) => void,
    private readonly onTooLong: () => void,
  ) {}

  write(chunk: Buffer): void {
    let from = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, from)) {
      this.endLine(chunk.subarray(from, newline));
      from = newline + 1;
    }
    this.keep(chunk.subarray(from));
  }

  /** The stream ended: a last line without a newline is still a line (as Spark's readLine returns it). */
  end(): void {
    if (this.pendingBytes > 0 && !this.skipping) this.endLine(Buffer.alloc(0));
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = false;
  }

  private endLine(tail: Buffer): void {
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    let line = this.pendingBytes === 0 ? tail : Buffer.concat([...this.pending, tail]);
    this.pending = [];
    this.pendingBytes = 0;
    if (line.length > 0 && line[line.length - 1] === 13) line = line.subarray(0, line.length - 1);
    if (line.length > this.maxLineBytes) this.onTooLong();
    else this.onLine(line);
  }

  private keep(part: Buffer): void {
    if (this.skipping || part.length === 0) return;
    // + 1: the line may end in a `\r` whose `\n` comes with the next chunk.
    if (this.pendingBytes + part.length > this.maxLineBytes + 1) {
      this.pending = [];
      this.pendingBytes = 0;
      this.skipping = true;
      this.onTooLong();
      return;
    }
    this.pending.push(part);
    this.pendingBytes += part.length;
  }
}
