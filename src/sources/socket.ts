import { createConnection, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { defineSource } from '../component/definition.js';
import { RuntimeError } from '../core/errors.js';
import { PushBuffer, PushSource, pushBufferOptions, type OverflowPolicy } from '../core/push-buffer.js';
import { backoffDelay, DEFAULT_RETRY } from '../core/retry.js';
import type { Row } from '../core/row.js';
import type { Schema } from '../core/schema.js';
import type { Source, SourceContext } from '../core/source.js';

const options = z.strictObject({
  host: z.string().default('localhost').describe('Host to connect to (Spark: host).'),
  port: z.number().int().min(1).max(65535).describe('TCP port to connect to (Spark: port), e.g. a `nc -lk 9999`.'),
  includeTimestamp: z
    .boolean()
    .default(false)
    .describe('Add a `timestamp` column with the arrival time of each line (Spark: includeTimestamp).'),
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
  private context!: SourceContext;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly includeTimestamp: boolean,
    maxBufferedRows: number,
    policy: OverflowPolicy,
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
    const lines = createInterface({ input: socket, crlfDelay: Infinity });
    lines.on('line', (line) => {
      const row: Row = this.includeTimestamp ? { value: line, timestamp: new Date(this.context.scheduler.now()) } : { value: line };
      this.buffer.push(row);
      if (this.buffer.full && this.buffer.policy === 'block' && !socket.isPaused()) {
        socket.pause();
        void this.buffer.whenNotFull().then(() => socket.resume());
      }
    });
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      const delay = backoffDelay(Math.min(attempt, 8), DEFAULT_RETRY);
      this.context.logger.warn(`socket source: ${this.host}:${this.port} closed the connection; reconnecting in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
      if (this.stopped) return;
      try {
        await this.connect();
        this.context.logger.info(`socket source: reconnected to ${this.host}:${this.port}`);
        return;
      } catch {
        // keep trying: the peer may come back (e.g. nc restarted)
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.socket?.destroy();
  }
}

export const socketSource = defineSource({
  type: 'socket',
  summary: "Spark's socket source: one row per text line read from host:port. Push source: not replayable, for tests and demos.",
  options,
  examples: [{ port: 9999 }, { host: '127.0.0.1', port: 9999, includeTimestamp: true, maxBufferedRows: 10000 }],
  create: (o) => new SocketSource(o.host, o.port, o.includeTimestamp, o.maxBufferedRows, o.onBufferFull),
});
