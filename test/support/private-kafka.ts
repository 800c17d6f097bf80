/**
 * A private Kafka for one test file, with SASL/PLAIN authentication: the same jars, JVM flags and server.properties
 * as `npm run services` (scripts/services/kafka.ts), in a temp dir, on free ports, with the client listener switched
 * to SASL_PLAINTEXT and the users below. Process handling (start, stop by PID, restart on its data) is
 * test/support/private-server.ts. The shared broker runs without authentication, so tests of credentials need this.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Admin } from '@platformatic/kafka';
import type { KafkaConnectionOptions } from '../../src/connectors/kafka/connection-options.js';
import { describeKafkaError } from '../../src/connectors/kafka/errors.js';
import { isRetriableKafkaError } from '../../src/connectors/kafka/retriable.js';
import { kafka } from '../../scripts/services/kafka.js';
import type { ServerContext } from '../../scripts/services/server.js';
import { PrivateServer, privateContext } from './private-server.js';

/** The broker's own user (it talks to itself over the client listener) and the one tests connect as. */
export const BROKER_USER = { username: 'broker', password: 'broker-pw-0c7e' };
export const KAFKA_USER = { username: 'alice', password: 'alice-pw-93d1' };

/** The client listener as SASL_PLAINTEXT with PLAIN; later lines of server.properties override the earlier ones. */
function saslProperties(ctx: ServerContext): string {
  const users = [BROKER_USER, KAFKA_USER].map((u) => `user_${u.username}="${u.password}"`).join(' ');
  return [
    '',
    '# test/support/private-kafka.ts: SASL/PLAIN on the client listener',
    `listeners=SASL_PLAINTEXT://${ctx.host}:${ctx.ports.broker},CONTROLLER://${ctx.host}:${ctx.ports.controller}`,
    `advertised.listeners=SASL_PLAINTEXT://${ctx.host}:${ctx.ports.broker}`,
    'listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=SASL_PLAINTEXT',
    'sasl.enabled.mechanisms=PLAIN',
    'sasl.mechanism.inter.broker.protocol=PLAIN',
    'listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ' +
      `username="${BROKER_USER.username}" password="${BROKER_USER.password}" ${users};`,
    '',
  ].join('\n');
}

export class PrivateKafka extends PrivateServer {
  readonly address: string;

  private constructor(ctx: ServerContext) {
    super(ctx, 30_000);
    this.address = `${ctx.host}:${ctx.ports.broker}`;
  }

  static async create(): Promise<PrivateKafka> {
    const server = new PrivateKafka(await privateContext('private-kafka', ['broker', 'controller']));
    await server.start();
    return server;
  }

  /** Starts (or restarts, on the same data) and waits until the broker answers a metadata request as KAFKA_USER. */
  async start(): Promise<void> {
    const launch = await kafka.prepare(this.ctx); // writes <dir>/server.properties, formats <dir>/data the first time
    appendFileSync(join(this.ctx.dir, 'server.properties'), saslProperties(this.ctx));
    await this.launch(launch, () => this.answers(), 120_000, 500);
  }

  private async answers(): Promise<boolean> {
    const admin = new Admin({
      clientId: 'streamlab-private-kafka-probe',
      bootstrapBrokers: [this.address],
      sasl: { mechanism: 'PLAIN', ...KAFKA_USER },
      connectTimeout: 2000,
      retries: 0,
    });
    try {
      await admin.metadata({ topics: [] });
      return true;
    } finally {
      await admin.close().catch(() => undefined);
    }
  }
}

/**
 * `operation`, retried while its error is retriable, as a component does: on a new broker the first topic has no
 * leader and the group coordinator (__consumer_offsets) no partition for a moment. Fails with describeKafkaError's line.
 */
export async function retrying<T>(operation: () => Promise<T>, options: KafkaConnectionOptions, doing: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= 40 || !isRetriableKafkaError(error)) throw new Error(describeKafkaError(error, options, doing));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
