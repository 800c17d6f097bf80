/**
 * The kafka source against a broker with SASL/PLAIN (test/support/private-kafka.ts: a private broker, own ports and
 * data dir, stopped by its PID; the shared one runs without authentication). A wrong password fails open() at once
 * (no retries: retrying cannot fix credentials) with a line naming the broker, the user and what to check, and never
 * the password, not even in the error's cause; a missing `sasl` is told to set it; the right credentials read back
 * what was produced, every field.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import { Admin, Producer } from '@platformatic/kafka';
import { asyncScheduler } from 'rxjs';
import { createSource } from '../../src/api/build.js';
import { kafkaClientOptions } from '../../src/connectors/kafka/client-options.js';
import { kafkaConnectionOptions } from '../../src/connectors/kafka/connection-options.js';
import { RuntimeError } from '../../src/core/errors.js';
import type { Source } from '../../src/core/source.js';
import { kafkaSource } from '../../src/sources/kafka/index.js';
import { z } from 'zod';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { memoryLogger } from '../support/memory-logger.js';
import { KAFKA_USER, PrivateKafka, retrying } from '../support/private-kafka.js';
import { service } from '../support/services.js';

const WRONG_PASSWORD = 'wrong-pw-source-7e40';

/** Every message in the error and its causes, to look for the password anywhere. */
function allMessages(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    parts.push(e.message, ...(e instanceof AggregateError ? e.errors.map((inner) => `${inner} ${inner?.cause ?? ''}`) : []));
  }
  return parts.join('\n');
}

// The private broker needs the jars `npm run services -- up kafka` installs: skipped without the shared broker.
const shared = service('kafka');

describeOrSkip('kafka source against a private broker with SASL/PLAIN', { skip: shared.skip, timeout: 240_000 }, () => {
  let server: PrivateKafka;
  const topic = `kafka-bench-source-auth-${randomBytes(3).toString('hex')}`;
  const opened: Source[] = [];
  const source = (sasl: Record<string, string> | undefined) =>
    createSource(kafkaSource, {
      bootstrapServers: server.address,
      subscribe: topic,
      startingOffsets: 'earliest',
      connectTimeout: '3s',
      maxRetries: 3,
      ...(sasl ? { sasl } : {}),
    } as never);
  const open = async (s: Source, logger = memoryLogger()) => {
    opened.push(s);
    return s.open({ scheduler: asyncScheduler, logger });
  };

  before(async () => {
    if (!shared.skip) void shared.address; // under CI=true without the server, fail here
    server = await PrivateKafka.create();
    const connection = z.strictObject(kafkaConnectionOptions).parse({ bootstrapServers: server.address, sasl: KAFKA_USER });
    const admin = new Admin(kafkaClientOptions(connection, 'test'));
    await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
    await admin.close();
    const producer = new Producer(kafkaClientOptions(connection, 'test'));
    const record = { topic, key: Buffer.from('k'), value: Buffer.from('hello'), timestamp: 1_796_000_000_000n };
    await retrying(() => producer.send({ messages: [record] }), connection, 'producing the test record');
    await producer.close();
  });
  after(async () => {
    for (const s of opened) await s.stop?.().catch(() => undefined);
    await server?.destroy();
  });

  it('a wrong password fails open() at once, naming broker and user, never the password', async () => {
    const logger = memoryLogger();
    await assert.rejects(open(source({ username: KAFKA_USER.username, password: WRONG_PASSWORD }), logger), (error: unknown) => {
      assert.ok(error instanceof RuntimeError);
      assert.equal(
        error.message,
        `kafka ${server.address} as alice (PLAIN): kafka source listing the partitions failed: the broker refused the credentials of ` +
          "user 'alice' (SASL PLAIN: Authentication failed: Invalid username or password); check sasl.username and sasl.password",
      );
      assert.ok(!allMessages(error).includes(WRONG_PASSWORD), allMessages(error));
      return true;
    });
    assert.deepEqual(logger.messages('warn'), [], 'refused credentials are not retried');
  });

  it('no sasl against a broker that requires it: says to set sasl', async () => {
    await assert.rejects(open(source(undefined)), (error: unknown) => {
      assert.ok(error instanceof RuntimeError);
      assert.match(
        error.message,
        new RegExp(
          `^kafka ${server.address}: kafka source listing the partitions failed: the broker closed the connection.*set sasl \\(mechanism, username, password\\)$`,
        ),
      );
      return true;
    });
  });

  it('the right credentials read the record back, every field', async () => {
    const s = source({ ...KAFKA_USER });
    await open(s);
    const end = await s.latestOffset(null);
    assert.deepEqual(end, { [topic]: { 0: 1 } });
    const rows = await s.getBatch(null, end!);
    assert.deepEqual(rows, [
      {
        key: 'k',
        value: 'hello',
        topic,
        partition: 0,
        offset: 0,
        timestamp: new Date(1_796_000_000_000),
        timestampType: 0,
      },
    ]);
  });
});
