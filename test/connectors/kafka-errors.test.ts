/**
 * describeKafkaError and isRetriableKafkaError on the errors @platformatic/kafka really throws: a private broker with
 * SASL/PLAIN (test/support/private-kafka.ts: own process, ports and data dir, stopped by its PID) for refused
 * credentials and a client without any; a port nothing listens on for an unreachable broker; the shared broker for a
 * topic that does not exist. Every message names the broker and the user and never contains the password.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import { Admin, Consumer, Producer } from '@platformatic/kafka';
import { kafkaClientOptions } from '../../src/connectors/kafka/client-options.js';
import type { KafkaConnectionOptions } from '../../src/connectors/kafka/connection-options.js';
import { describeKafkaError } from '../../src/connectors/kafka/errors.js';
import { isRetriableKafkaError } from '../../src/connectors/kafka/retriable.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { KAFKA_USER, PrivateKafka, retrying } from '../support/private-kafka.js';
import { freePort } from '../support/private-server.js';
import { service } from '../support/services.js';

const WRONG_PASSWORD = 'wrong-pw-kafka-8c2f';
const connection = (bootstrap: string, sasl?: KafkaConnectionOptions['sasl']): KafkaConnectionOptions => ({
  bootstrapServers: [bootstrap],
  clientId: 'kafka-bench-errors',
  ...(sasl ? { sasl } : {}),
  connectTimeout: 3000,
  requestTimeout: 10_000,
  maxRetries: 0,
  backoff: { initial: 100, max: 1000 },
});

/** The error a producer's first send gives, or fails the test if the send works. */
async function sendError(options: KafkaConnectionOptions, topic: string, produce: Record<string, unknown> = {}): Promise<unknown> {
  const producer = new Producer({ ...kafkaClientOptions(options, 'sink'), ...produce });
  try {
    await producer.send({ messages: [{ topic, value: Buffer.from('v') }] });
  } catch (error) {
    return error;
  } finally {
    await producer.close().catch(() => undefined);
  }
  assert.fail(`sending to ${topic} at ${options.bootstrapServers} worked`);
}

function assertNoSecret(text: string, secret: string): void {
  assert.ok(!text.includes(secret), `the password is in: ${text}`);
}

// The private broker needs the jars `npm run services -- up kafka` installs: skipped without the shared broker.
const shared = service('kafka');

describeOrSkip('kafka errors against a private broker with SASL/PLAIN', { skip: shared.skip, timeout: 240_000 }, () => {
  let server: PrivateKafka;
  const topic = `kafka-bench-sasl-${randomBytes(3).toString('hex')}`;

  before(async () => {
    if (!shared.skip) void shared.address; // under CI=true without the server, fail here
    server = await PrivateKafka.create();
  });
  after(async () => server?.destroy());

  it('a wrong password: the broker, the user and what to check, never the password; not retried', async () => {
    const options = connection(server.address, { mechanism: 'PLAIN', username: KAFKA_USER.username, password: WRONG_PASSWORD });
    const error = await sendError(options, topic);
    const line = describeKafkaError(error, options, 'producing to the sink topic');
    assert.equal(
      line,
      `kafka ${server.address} as alice (PLAIN): producing to the sink topic failed: the broker refused the credentials of user 'alice' ` +
        '(SASL PLAIN: Authentication failed: Invalid username or password); check sasl.username and sasl.password',
    );
    assertNoSecret(line, WRONG_PASSWORD);
    assert.equal(isRetriableKafkaError(error), false);
  });

  it('a consumer with a wrong password gets the same line', async () => {
    const options = connection(server.address, { mechanism: 'PLAIN', username: KAFKA_USER.username, password: WRONG_PASSWORD });
    const consumer = new Consumer({ ...kafkaClientOptions(options, 'source'), groupId: `${topic}-group` });
    const error = await consumer.consume({ topics: [topic], mode: 'earliest' }).then(
      () => assert.fail('consuming with a wrong password worked'),
      (e: unknown) => e,
    );
    await consumer.close().catch(() => undefined);
    assert.match(
      describeKafkaError(error, options, 'subscribing'),
      /: subscribing failed: the broker refused the credentials of user 'alice' \(SASL PLAIN: /,
    );
    assert.equal(isRetriableKafkaError(error), false);
  });

  it('no credentials at all: says that the broker may require sasl', async () => {
    const options = connection(server.address);
    const error = await sendError(options, topic);
    assert.equal(
      describeKafkaError(error, options, 'producing'),
      `kafka ${server.address}: producing failed: the broker closed the connection; a broker that requires authentication ` +
        'does that to a client without sasl: set sasl (mechanism, username, password)',
    );
  });

  it('the right credentials produce and read back the record, key, value and headers', async () => {
    const options = connection(server.address, { mechanism: 'PLAIN', ...KAFKA_USER });
    const admin = new Admin(kafkaClientOptions(options, 'admin'));
    await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
    await admin.close();
    const producer = new Producer({ ...kafkaClientOptions(options, 'sink') });
    const record = { topic, key: Buffer.from('k1'), value: Buffer.from('v1'), headers: new Map([[Buffer.from('h'), Buffer.from('x')]]) };
    await retrying(() => producer.send({ messages: [record] }), options, 'producing');
    await producer.close();
    const consumer = new Consumer({ ...kafkaClientOptions(options, 'source'), groupId: `${topic}-reader` });
    const stream = await retrying(() => consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false }), options, 'subscribing');
    const [message] = await new Promise<Array<{ key: Buffer; value: Buffer; headers: Map<Buffer, Buffer>; offset: bigint }>>((resolve) =>
      stream.once('data', (m) => resolve([m])),
    );
    await stream.close();
    await consumer.close();
    assert.deepEqual(
      {
        key: String(message.key),
        value: String(message.value),
        headers: [...message.headers].map(([k, v]) => [String(k), String(v)]),
        offset: message.offset,
      },
      { key: 'k1', value: 'v1', headers: [['h', 'x']], offset: 0n },
    );
  });
});

describeOrSkip('kafka errors: unreachable broker, missing topic', { skip: shared.skip }, () => {
  it('a port nothing listens on: the address and "connection refused"; retried', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const options = connection(address, { mechanism: 'PLAIN', username: 'alice', password: WRONG_PASSWORD });
    const error = await sendError(options, 'any');
    const line = describeKafkaError(error, options, 'connecting');
    assert.equal(
      line,
      `kafka ${address} as alice (PLAIN): connecting failed: no broker could be reached (${address}): connection refused: ` +
        'is Kafka running there, and is bootstrapServers right?',
    );
    assert.equal(isRetriableKafkaError(error), true);
  });

  it('a topic that does not exist, with auto-creation off: names it; not retried', async () => {
    const topic = `kafka-bench-missing-${randomBytes(3).toString('hex')}`;
    const options = connection(shared.address);
    const error = await sendError(options, topic, { autocreateTopics: false });
    assert.equal(
      describeKafkaError(error, options, 'producing'),
      `kafka ${shared.address}: producing failed: topic ${topic} does not exist; create it first, or let it be created on first use ` +
        '(auto-creation on the broker and in the job)',
    );
    assert.equal(isRetriableKafkaError(error), false);
  });

  it('a password a broker or client would echo is replaced by ***', () => {
    const options = connection('127.0.0.1:9', { mechanism: 'PLAIN', username: 'alice', password: 's3cret-echo' });
    const line = describeKafkaError(new Error('login s3cret-echo rejected'), options, 'connecting');
    assert.equal(line, 'kafka 127.0.0.1:9 as alice (PLAIN): connecting failed: login *** rejected');
  });
});
