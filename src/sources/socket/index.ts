import { createConnection, type Socket } from 'node:net';
import { z } from 'zod';
import { defineSource } from '../../component/definition.js';
import { RuntimeError } from '../../core/errors.js';
import { PushBuffer, pushBufferOptions, type OverflowPolicy } from '../../core/push-buffer.js';
import { PushSource } from '../../core/push-source.js';
import { backoffDelay, DEFAULT_RETRY } from '../../core/retry.js';
import type { Offset, Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import type { Source, SourceContext } from '../../core/source.js';
import { sleepUnlessStopped } from '../../core/stop.js';
import { LineSplitter } from './lines.js';

const longLinePolicies = ['fail', 'drop'] as const;

/** Bytes read before the socket yields to the rest of the event loop (a few read chunks). */
const READ_BYTES_PER_TURN = 256 * 1024;

/** How long a line may be, and what a longer one does. */
export interface LineLimit {
  maxLineBytes: number;
  onLongLine: (typeof longLinePolicies)[number];
}

const options = z.strictObject({
  host: z.string().default('localhost').describe('Host to connect to (Spark: host).'),
  port: z.number().int().min(1).max(65535).describe('TCP port to connect to (Spark: port), e.g. a `nc -lk 9999`.'),
  includeTimestamp: z
    .boolean()
    .default(false)
    .describe('Add a `timestamp` column with the arrival time of each line (Spark: includeTimestamp).'),
  maxLineBytes: z
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024)
    .describe(
      'Longest line accepted, in bytes (without its newline). Bounds the memory a peer that never sends a newline can take; Spark has no such limit.',
    ),
  onLongLine: z
    .enum(longLinePolicies)
    .default('fail')
    .describe(
      'A line longer than maxLineBytes: fail (the rows before it are written, then the query fails naming host:port and the limit) or drop (the line is skipped and counted in progress as droppedLongLines).',
    ),
  ...pushBufferOptions,
});

/**
 * Spark's socket source: connects to host:port and turns each text line into a row `{ value }`. A push source:
 * lines live only in this process's buffer, so it is not replayable, and Spark documents it as for testing only.
 * With `block`, reading pauses while the buffer is full (TCP backpressure reaches the sender). When the peer goes
 * away the source reconnects with backoff; a first connection that fails is an error (nothing to read from).
 */
export class SocketSource extends PushSource implements Source {
  readonly schema: Schema;
  readonly description: string;
  private socket?: Socket;
  private stopped = false;
  /** Aborted on stop: ends a reconnect wait at once, so a stopped source keeps no timer and opens no socket. */
  private readonly stopping = new AbortController();
  private context!: SourceContext;
  private droppedLongLines = 0;
  /** Set when a line passed maxLineBytes under `fail`: thrown once the rows before it are handed out. */
  private failure?: RuntimeError;
  private lastEnd: Offset | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly includeTimestamp: boolean,
    maxBufferedRows: number,
    policy: OverflowPolicy,
    private readonly lineLimit: LineLimit = { maxLineBytes: 4 * 1024 * 1024, onLongLine: 'fail' },
  ) {
    super(new PushBuffer(maxBufferedRows, policy, true));
    this.schema = includeTimestamp
      ? [
          { name: 'value', type: 'string' },
          { name: 'timestamp', type: 'timestamp' },
        ]
      : [{ name: 'value', type: 'string' }];
    this.description = `TextSocket[host: ${host}, port: ${port}]`;
  }

  async open(context: SourceContext) {
    this.context = context;
    this.limitBatches(context);
    try {
      await this.connect();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new RuntimeError(
        `socket source cannot connect to ${this.host}:${this.port} (${code}). Start a server there first, e.g. \`nc -lk ${this.port}\`, then run the job again.`,
      );
    }
  }

  private connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: this.host, port: this.port });
      socket.once('connect', () => {
        if (this.stopped) {
          socket.destroy(); // stopped while connecting: rows must not arrive after the drain
          resolve();
          return;
        }
        this.socket = socket;
        this.read(socket);
        resolve();
      });
      socket.once('error', reject);
    });
  }

  private read(socket: Socket): void {
    socket.removeAllListeners('error');
    socket.on('error', (error) => this.context.logger.warn(`socket source ${this.host}:${this.port}: ${error.message}`));
    socket.once('close', () => void this.reconnect());
    const lines = new LineSplitter(
      this.lineLimit.maxLineBytes,
      (bytes) => this.accept(bytes),
      () => this.lineTooLong(),
    );
    let bytesThisTurn = 0;
    socket.on('data', (chunk: Buffer) => {
      lines.write(chunk);
      bytesThisTurn += chunk.length;
      const mustWait = this.buffer.full && this.buffer.policy === 'block';
      if (socket.isPaused() || (bytesThisTurn < READ_BYTES_PER_TURN && !mustWait)) return;
      // Give the event loop back: under a flood, the batch's checkpoint writes and the sink get their turns (read
      // flat out, a batch's few file operations waited seconds). With block, wait for room as well.
      socket.pause();
      setImmediate(() => {
        bytesThisTurn = 0;
        const room = this.buffer.policy === 'block' ? this.buffer.whenNotFull() : Promise.resolve();
        void room.then(() => this.stopped || socket.resume());
      });
    });
    socket.once('end', () => lines.end());
  }

  /** One line: a row, unless the buffer would drop it anyway (then it is counted without being decoded). */
  private accept(bytes: Buffer): void {
    if (this.failure) return; // lines after a too-long one in the same chunk: reading has stopped
    if (!this.buffer.accepting) {
      this.buffer.reject();
      return;
    }
    const value = bytes.toString('utf8');
    const row: Row = this.includeTimestamp ? { value, timestamp: new Date(this.context.scheduler.now()) } : { value };
    this.buffer.push(row);
  }

  private lineTooLong(): void {
    if (this.lineLimit.onLongLine === 'drop') {
      this.droppedLongLines++;
      return;
    }
    if (this.failure) return;
    this.failure = new RuntimeError(
      `socket source ${this.host}:${this.port}: a line is longer than maxLineBytes (${this.lineLimit.maxLineBytes} bytes); ` +
        'the peer may not be sending newlines. Raise source.maxLineBytes, or set source.onLongLine: drop to skip such lines.',
    );
    void this.stopProducing(); // read no further: the query fails once the rows before this line are written
  }

  /** As for every push source, plus: after a too-long line under `fail`, the query fails once nothing is left to hand out. */
  override latestOffset(): Offset | null {
    const end = super.latestOffset();
    if (this.failure && end === this.lastEnd) throw this.failure;
    this.lastEnd = end;
    return end;
  }

  override metrics(): Record<string, number> {
    return { ...super.metrics(), droppedLongLines: this.droppedLongLines };
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      const delay = backoffDelay(Math.min(attempt, 8), DEFAULT_RETRY);
      this.context.logger.warn(`socket source: ${this.host}:${this.port} closed the connection; reconnecting in ${delay} ms`);
      try {
        await sleepUnlessStopped(delay, this.stopping.signal, () => 'stopped');
      } catch {
        return;
      }
      try {
        await this.connect();
        this.context.logger.info(`socket source: reconnected to ${this.host}:${this.port}`);
        return;
      } catch {
        // keep trying: the peer may come back (e.g. nc restarted)
      }
    }
  }

  protected stopProducing(): void {
    this.stopped = true;
    this.stopping.abort();
    this.socket?.destroy();
  }
}

export const socketSource = defineSource({
  type: 'socket',
  summary: "Spark's socket source: one row per text line read from host:port. Push source: not replayable, for tests and demos.",
  options,
  examples: [
    { port: 9999 },
    { host: '127.0.0.1', port: 9999, includeTimestamp: true, maxBufferedRows: 10000, maxLineBytes: 65536, onLongLine: 'drop' },
  ],
  create: (o) =>
    new SocketSource(o.host, o.port, o.includeTimestamp, o.maxBufferedRows, o.onBufferFull, {
      maxLineBytes: o.maxLineBytes,
      onLongLine: o.onLongLine,
    }),
});
