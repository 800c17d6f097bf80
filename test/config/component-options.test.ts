import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { batchSizeOption, durationOption, retryOptions, retryPolicy } from '../../src/component/options.js';
import { connectionConfig } from '../../src/connectors/cassandra/connection.js';
import { CassandraSinkOptions } from '../../src/sinks/cassandra/options.js';
import { resolveConfig as influxConfig } from '../../src/sinks/influxdb/index.js';
import { InfluxDBSinkOptions } from '../../src/sinks/influxdb/options.js';
import { mysqlSink } from '../../src/sinks/mysql/index.js';

const options = z.strictObject({
  interval: durationOption('An interval.', { default: '10s', positive: true }),
  delay: durationOption('A delay.').optional(),
  batchSize: batchSizeOption('Rows per request.', { default: 500, max: 1000 }),
  ...retryOptions({ after: 'anything', giveUp: 'Then it stops.' }),
});

describe('shared option pieces', () => {
  it('parse durations to milliseconds once, defaults included', () => {
    assert.deepEqual(options.parse({ delay: '1.5 minutes' }), {
      interval: 10_000,
      delay: 90_000,
      batchSize: 500,
      maxRetries: 10,
      backoff: { initial: 100, max: 10_000 },
    });
    assert.deepEqual(options.parse({ interval: '250ms', backoff: { max: '2s' } }).backoff, { initial: 100, max: 2000 });
  });

  it('turn the retry block into the policy withRetry takes', () => {
    const parsed = options.parse({ maxRetries: 3, backoff: { initial: '50ms', max: '1s' } });
    assert.deepEqual(retryPolicy(parsed), { maxRetries: 3, initialDelayMs: 50, maxDelayMs: 1000 });
  });

  it('name the field and what was expected when a value is wrong', () => {
    const messages = (value: unknown) => {
      const result = options.safeParse(value);
      assert.equal(result.success, false);
      return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    };
    assert.deepEqual(messages({ interval: '0s' }), [
      'interval: expected a positive duration: a duration such as 500ms, 1s, 10 seconds, 5m, 1 hour',
    ]);
    assert.deepEqual(messages({ delay: 5 }), ['delay: Invalid input: expected string, received number']);
    assert.deepEqual(messages({ backoff: { initial: '5s', max: '1s' } }), ['backoff.max: must not be shorter than backoff.initial']);
    assert.deepEqual(messages({ batchSize: 0 }), ['batchSize: Too small: expected number to be >=1']);
  });

  it('show durations in the JSON Schema as users write them', () => {
    const schema = z.toJSONSchema(mysqlSink.options, { io: 'input' }) as { properties: Record<string, unknown> };
    assert.deepEqual(schema.properties.connectTimeout, {
      type: 'string',
      default: '10s',
      description: 'How long to wait for a connection.',
    });
    const backoff = schema.properties.backoff as { default: unknown; properties: Record<string, { type: string; default: string }> };
    assert.deepEqual(backoff.default, { initial: '100ms', max: '10s' });
    assert.deepEqual(
      Object.entries(backoff.properties).map(([name, field]) => [name, field.type, field.default]),
      [
        ['initial', 'string', '100ms'],
        ['max', 'string', '10s'],
      ],
    );
  });

  it("reach the sinks' retries and timeouts in milliseconds", () => {
    const backoff = { initial: '50ms', max: '2s' };
    const cassandra = connectionConfig(CassandraSinkOptions.parse({ keyspace: 'k', table: 't', backoff, connectTimeout: '1.5s' }));
    assert.deepEqual(cassandra.retry, { initialDelayMs: 50, maxDelayMs: 2000 });
    assert.equal(cassandra.connectTimeoutMs, 1500);
    const influx = influxConfig(
      InfluxDBSinkOptions.parse({ url: 'http://127.0.0.1:8086', bucket: 'b', measurement: 'm', backoff, timeout: '3s' }),
      {
        input: [
          { name: 'timestamp', type: 'timestamp' },
          { name: 'value', type: 'double' },
        ],
        location: { path: 'sink' },
      },
    );
    assert.deepEqual(influx.retry, { initialDelayMs: 50, maxDelayMs: 2000 });
    assert.equal(influx.timeoutMs, 3000);
  });
});
