/**
 * A private Kafka for the test that stops a broker under a running query: the same jars and server.properties as
 * `npm run services` (scripts/services/kafka.ts), in a temp dir, on free ports. Process handling (start, stop by PID,
 * restart on its data) is test/support/private-server.ts. The shared broker is never stopped.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import { kafka } from '../../../scripts/services/kafka.js';
import type { ServerContext } from '../../../scripts/services/server.js';
import { PrivateServer, privateContext } from '../../support/private-server.js';

export class PrivateKafka extends PrivateServer {
  readonly address: string;

  private constructor(ctx: ServerContext) {
    super(ctx, 30_000);
    this.address = `127.0.0.1:${ctx.ports.broker}`;
  }

  static async create(): Promise<PrivateKafka> {
    const server = new PrivateKafka(await privateContext('private-kafka', ['broker', 'controller']));
    await server.start();
    return server;
  }

  /** Starts (or restarts, on the same data) and waits until the broker lists topics. */
  async start(): Promise<void> {
    const launch = await kafka.prepare(this.ctx);
    const answers = async () => {
      await kafka.probe(this.ctx);
      return true;
    };
    await this.launch({ command: launch.command, args: launch.args }, answers, 120_000, 250);
  }
}
