/**
 * The kafka sink against a broker with SASL/PLAIN (test/support/private-kafka.ts: a private broker, own ports and
 * data dir, stopped by its PID; the shared one runs without authentication). A wrong password and a missing `sasl`
 * fail open() at once (no retries: retrying cannot fix credentials) with a line naming the broker, the user and what
 * to check, and never the password, not even in the error's cause; the right credentials write a batch that a
 * read_committed reader gets back whole.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import { Admin, Consumer } from '@platformatic/kafka';
import { kafkaClientOptions } from '../../src/connectors/kafka/client-options.js';
import { RuntimeError } from '../../src/core/errors.js';
import type { Schema } from '../../src/core/schema.js';
import type { Sink } from '../../src/core/sink.js';
import { kafkaSink } from '../../src/sinks/kafka/index.js';
import { buildContext } from '../support/conformance/build-context.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { memoryLogger } from '../support/memory-logger.js';
import { KAFKA_USER, PrivateKafka, retrying } from '../support/private-kafka.js';
import { service } from '../support/services.js';

const SCHEMA: Schema = [
  { name: 'key', type: 'string' },
  { name: 'value', type: 'string' },
];
const WRONG_PASSWORD = 'wrong-pw-sink-51ad';

/** Every message in the error and its causes, to look for the password anywhere. */
function allMessages(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    parts.push(e.message, ...(e instanceof AggregateError ? e.errors.map(String) : []));
  }
  return parts.join('\n');
}

// The private broker needs the jars `npm run services -- up kafka` installs: skipped without the shared broker.
const shared = service('kafka');

describeOrSkip('kafka sink against a private broker with SASL/PLAIN', { skip: shared.skip, timeout: 240_000 }, () => {
  let server: PrivateKafka;
  const topic = `kafka-bench-sink-auth-${randomBytes(3).toString('hex')}`;
  const sinks: Sink[] = [];
  const sink = (sasl: Record<string, string> | undefined) => {
    const options = kafkaSink.options.parse({
      bootstrapServers: server.address,
      topic,
      commitsTopic: `${topic}-commits`,
      connectTimeout: '3s',
      maxRetries: 3,
      ...(sasl ? { sasl } : {}),
    });
    const created = kafkaSink.create(options, buildContext(SCHEMA));
    sinks.push(created);
    return created;
  };
  const open = (s: Sink, logger = memoryLogger()) =>
    s.open({ queryId: randomUUID(), queryName: 'kafka-auth', outputMode: 'append', logger });

  before(async () => {
    if (!shared.skip) void shared.address; // under CI=true without the server, fail here
    server = await PrivateKafka.create();
  });
  after(async () => {
    for (const s of sinks) await s.close().catch(() => undefined);
    await server?.destroy();
  });

  it('a wrong password fails open() at once, naming broker and user, never the password', async () => {
    const logger = memoryLogger();
    await assert.rejects(open(sink({ username: KAFKA_USER.username, password: WRONG_PASSWORD }), logger), (error: unknown) => {
      assert.ok(error instanceof RuntimeError);
      assert.equal(
        error.message,
        `kafka ${server.address} as alice (PLAIN): kafka sink: connect failed: the broker refused the credentials of user 'alice' ` +
          '(SASL PLAIN: Authentication failed: Invalid username or password); check sasl.username and sasl.password',
      );
      assert.ok(!allMessages(error).includes(WRONG_PASSWORD), allMessages(error));
      return true;
    });
    assert.deepEqual(logger.messages('warn'), [], 'refused credentials are not retried');
  });

  it('no sasl against a broker that requires it: says to set sasl', async () => {
    await assert.rejects(open(sink(undefined)), (error: unknown) => {
      assert.ok(error instanceof RuntimeError);
      assert.match(
        error.message,
        new RegExp(
          `^kafka ${server.address}: kafka sink: connect failed: the broker closed the connection.*set sasl \\(mechanism, username, password\\)$`,
        ),
      );
      return true;
    });
  });

  it('the right credentials: a batch is written and read back read_committed, every field', async () => {
    const connection = kafkaSink.options.parse({ bootstrapServers: server.address, sasl: KAFKA_USER });
    const admin = new Admin(kafkaClientOptions(connection, 'test'));
    await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
    await admin.close();
    const good = sink({ ...KAFKA_USER });
    await open(good);
    const rows = [
      { key: 'a', value: 'first' },
      { key: 'b', value: 'second' },
    ];
    await good.foreachBatch(rows, 0);
    const consumer = new Consumer({ ...kafkaClientOptions(connection, 'test'), groupId: `${topic}-reader` });
    const stream = await retrying(
      () => consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false }),
      connection,
      'reading back',
    );
    const read: Array<{ key: string; value: string; offset: bigint }> = [];
    await new Promise<void>((resolve) =>
      stream.on('data', (m) => {
        read.push({ key: String(m.key), value: String(m.value), offset: m.offset });
        if (read.length === rows.length) resolve();
      }),
    );
    await stream.close();
    await consumer.close();
    assert.deepEqual(read, [
      { key: 'a', value: 'first', offset: 0n },
      { key: 'b', value: 'second', offset: 1n },
    ]);
  });
});
