/**
 * The cassandra sink without a server: ids, value conversion, DDL text, option checking, error messages.
 * The tests against the real Cassandra are in cassandra-server.test.ts and cassandra-outage.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import cassandraDriver from 'cassandra-driver';
import { ConfigError } from '../../src/core/errors.js';
import type { Schema } from '../../src/core/schema.js';
import { bindColumns } from '../../src/sinks/cassandra/columns.js';
import { clientOptions, connectionConfig } from '../../src/connectors/cassandra/connection.js';
import { converterFor, cqlTypeName, incompatibility, ValueError, type CqlType } from '../../src/connectors/cassandra/cql-types.js';
import { createKeyspaceCql, createTableCql, designTable, readableNames } from '../../src/sinks/cassandra/ddl.js';
import { describeConnectError, describeRequestError, isRetriable } from '../../src/connectors/cassandra/errors.js';
import { quote, readable } from '../../src/connectors/cassandra/identifiers.js';
import { CassandraSinkOptions, resolveConfig } from '../../src/sinks/cassandra/index.js';
import { ROW_ID_NAMESPACE, RowIds, uuidV5 } from '../../src/sinks/cassandra/uuid.js';
import { executeRound, PartialFailure, planUnits, rowsIn } from '../../src/sinks/cassandra/writer.js';

const { dataTypes, responseErrorCodes } = cassandraDriver.types;
const t = (code: number, info?: unknown): CqlType => ({ code, info });
const location = { file: 'jobs/x.yaml', path: 'sink' };
const input: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'value', type: 'long' },
  { name: 'word', type: 'any' },
];

describe('cassandra sink: uuid v5 ids', () => {
  it('matches RFC 9562 / Python uuid.uuid5 on known inputs', () => {
    const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
    // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org'))"
    assert.equal(uuidV5(NAMESPACE_DNS, 'python.org'), '886313e1-3b8a-5372-9b90-0c9aee199e5d');
    assert.equal(uuidV5(NAMESPACE_URL, 'https://streamlab.dev/cassandra/row-id'), ROW_ID_NAMESPACE);
    // uuid.uuid5(ROW_ID_NAMESPACE, 'q-1/3/7')
    assert.equal(new RowIds('q-1').id(3, 7), 'bfde0f54-cf7a-5fdd-aa11-d467c1e0dcbb');
  });

  it('is the same for the same (query, batch, row) and different otherwise', () => {
    const a = new RowIds('query-a');
    assert.equal(a.id(5, 0), new RowIds('query-a').id(5, 0));
    const ids = new Set([a.id(5, 0), a.id(5, 1), a.id(6, 0), new RowIds('query-b').id(5, 0)]);
    assert.equal(ids.size, 4);
    assert.match(a.id(0, 0), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('cassandra sink: CQL types', () => {
  it('names types as CQL writes them', () => {
    assert.equal(cqlTypeName(t(dataTypes.bigint)), 'bigint');
    assert.equal(cqlTypeName(t(dataTypes.varchar)), 'text');
    assert.equal(cqlTypeName(t(dataTypes.list, t(dataTypes.text))), 'list<text>');
    assert.equal(
      cqlTypeName({ code: dataTypes.map, info: [t(dataTypes.text), t(dataTypes.int)], options: { frozen: true } }),
      'frozen<map<text, int>>',
    );
    assert.equal(cqlTypeName(t(dataTypes.udt, { name: 'address', fields: [] })), 'address');
  });

  it('says which column types fit which CQL types', () => {
    assert.equal(incompatibility('long', t(dataTypes.bigint)), undefined);
    assert.equal(incompatibility('long', t(dataTypes.int)), undefined, 'narrower integers are range-checked per value');
    assert.equal(incompatibility('any', t(dataTypes.text)), undefined);
    assert.equal(incompatibility('string', t(dataTypes.uuid)), undefined);
    assert.equal(incompatibility('string', t(dataTypes.bigint)), 'a string column cannot fill a bigint column (it takes long values)');
    assert.equal(incompatibility('double', t(dataTypes.int)), 'a double column cannot fill a int column (it takes long values)');
    assert.match(incompatibility('long', t(dataTypes.counter))!, /counter column cannot be written with INSERT/);
    assert.match(incompatibility('any', t(dataTypes.blob))!, /no values for blob columns/);
  });

  it('converts and checks values, with the reason in the error', () => {
    const convert = (code: number, value: unknown, info?: unknown) => converterFor(t(code, info))(value as never);
    const reason = (code: number, value: unknown, info?: unknown) => {
      try {
        convert(code, value, info);
      } catch (error) {
        assert.ok(error instanceof ValueError);
        return error.message;
      }
      assert.fail(`${JSON.stringify(value)} was accepted for ${code}`);
    };
    assert.equal(convert(dataTypes.bigint, 42), 42);
    assert.equal(String(convert(dataTypes.bigint, 2n ** 62n)), String(2n ** 62n));
    assert.equal(reason(dataTypes.bigint, 1.5), '1.5 is not a 64-bit integer');
    assert.equal(reason(dataTypes.bigint, 2n ** 63n), '9223372036854775808 is not a 64-bit integer');
    assert.equal(convert(dataTypes.int, 2147483647), 2147483647);
    assert.equal(reason(dataTypes.int, 2147483648), '2147483648 is not an integer in the range of int (-2147483648..2147483647)');
    assert.equal(reason(dataTypes.tinyint, -129), '-129 is not an integer in the range of tinyint (-128..127)');
    assert.equal(reason(dataTypes.text, 7), '7 is not a string');
    assert.equal(reason(dataTypes.ascii, 'é'), '"é" is not an ASCII string');
    assert.equal(reason(dataTypes.boolean, 'true'), '"true" is not a boolean');
    const when = new Date(Date.UTC(2026, 0, 2, 23, 30));
    assert.equal(convert(dataTypes.timestamp, when), when);
    assert.equal(reason(dataTypes.timestamp, new Date(NaN)), 'an invalid date is not a timestamp (or epoch milliseconds)');
    assert.equal(String(convert(dataTypes.date, when)), '2026-01-02', 'the UTC day, whatever the local time zone');
    assert.equal(convert(dataTypes.uuid, '886313e1-3b8a-5372-9b90-0c9aee199e5d'), '886313e1-3b8a-5372-9b90-0c9aee199e5d');
    assert.match(reason(dataTypes.uuid, 'abc'), /^"abc" is not a UUID/);
    assert.match(reason(dataTypes.timeuuid, '886313e1-3b8a-5372-9b90-0c9aee199e5d'), /not a time-based \(version 1\) UUID/);
    assert.equal(reason(dataTypes.inet, '300.1.1.1'), '"300.1.1.1" is not an IPv4 or IPv6 address');
    assert.deepEqual(convert(dataTypes.list, ['a', 'b'], t(dataTypes.text)), ['a', 'b']);
    assert.equal(reason(dataTypes.list, ['a', 1], t(dataTypes.text)), '1 is not a string');
    assert.equal(reason(dataTypes.list, ['a', null], t(dataTypes.text)), 'null is not an element of list<text> (no nulls)');
    assert.deepEqual(convert(dataTypes.map, { a: 1 }, [t(dataTypes.text), t(dataTypes.int)]), { a: 1 });
    assert.equal(reason(dataTypes.map, [1], [t(dataTypes.text), t(dataTypes.int)]), '[1] is not an object (for map<text, int>)');
  });
});

describe('cassandra sink: DDL', () => {
  const bindings = bindColumns(input, undefined, 'id', location);

  it('creates the keyspace and the table with inferred and given types, key as CQL nests it', () => {
    const design = designTable(
      bindings,
      {
        primaryKey: [['word', 'value'], 'timestamp'],
        types: { word: 'text' },
        replication: { class: 'SimpleStrategy', replication_factor: 1 },
      },
      location,
    );
    assert.equal(
      createTableCql('test', 'words', design),
      'CREATE TABLE IF NOT EXISTS "test"."words" ("timestamp" timestamp, "value" bigint, "word" text, "id" uuid, PRIMARY KEY (("word", "value"), "timestamp"))',
    );
    assert.equal(
      createTableCql('test', 'words', { ...design, primaryKey: ['id'] }, readableNames),
      'CREATE TABLE IF NOT EXISTS test.words (timestamp timestamp, value bigint, word text, id uuid, PRIMARY KEY (id))',
    );
    assert.equal(
      createKeyspaceCql('test', { class: 'NetworkTopologyStrategy', datacenter1: 3 }),
      `CREATE KEYSPACE IF NOT EXISTS "test" WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': 3}`,
    );
  });

  it('reports every problem of `create` at once, with its path', () => {
    assert.throws(
      () =>
        designTable(
          bindings,
          { primaryKey: ['nope', ['value']], types: { other: 'int', value: 'int); DROP TABLE x; --' }, replication: {} },
          location,
        ),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.problems.map((p) => `${p.path}: ${p.message}`),
          [
            'sink.create.types.other: "other" is not a column the sink writes (it writes: timestamp, value, word, id)',
            'sink.create.types.value: "int); DROP TABLE x; --" is not a CQL type such as int, text, list<text> or map<text, int>',
            'sink.create.types: the type of column "word" cannot be inferred: the input column "word" is any; give it, e.g. types: { word: text }',
            'sink.create.primaryKey: "nope" is not a column the sink writes (it writes: timestamp, value, word, id); name table columns, after the columns mapping',
            'sink.create.primaryKey[1]: only the first item (the partition key) may be a list; clustering columns are listed one by one',
          ],
        );
        return true;
      },
    );
  });

  it('quotes identifiers exactly, and shows them as cqlsh users type them', () => {
    assert.equal(quote('we"ird'), '"we""ird"');
    assert.equal(readable('seq'), 'seq');
    assert.equal(readable('WordCount'), '"WordCount"');
    assert.equal(readable('select'), '"select"');
  });
});

describe('cassandra sink: options', () => {
  const resolve = (options: unknown, schema: Schema = input) =>
    resolveConfig(CassandraSinkOptions.parse(options), { input: schema, location });

  it('maps input columns to table columns, and adds the generated id', () => {
    const config = resolve({ keyspace: 'test', table: 't', columns: { value: 'v', timestamp: 'ts' }, id: { generate: 'uuid' } });
    assert.deepEqual(config.bindings, [
      { target: 'v', source: 'value', type: 'long' },
      { target: 'ts', source: 'timestamp', type: 'timestamp' },
      { target: 'id', type: 'id' },
    ]);
    assert.deepEqual(config.connection.contactPoints, ['127.0.0.1:9042']);
  });

  it('takes contact points as a comma-separated string (from an environment variable) or a list', () => {
    assert.deepEqual(CassandraSinkOptions.parse({ keyspace: 'k', table: 't', contactPoints: ' 10.0.0.1:9042, db2 ' }).contactPoints, [
      '10.0.0.1:9042',
      'db2',
    ]);
    assert.deepEqual(CassandraSinkOptions.parse({ keyspace: 'k', table: 't', contactPoints: ['[::1]:9042'] }).contactPoints, [
      '[::1]:9042',
    ]);
    const bad = CassandraSinkOptions.safeParse({ keyspace: 'k', table: 't', contactPoints: 'http://db:9042' });
    assert.ok(!bad.success);
    assert.match(bad.error.issues[0].message, /expected host or host:port/);
    assert.ok(!CassandraSinkOptions.safeParse({ keyspace: 'k', table: 'x; DROP', contactPoints: 'db' }).success, 'table names are checked');
  });

  it('reports unknown columns, clashing ids, bad TTLs and a password without user, all at once', () => {
    assert.throws(
      () =>
        resolve({
          keyspace: 'k',
          table: 't',
          columns: { valu: 'v', value: 'id' },
          id: { generate: 'uuid' },
          ttl: '1500ms',
          password: 'pw',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.problems.map((p) => `${p.path}: ${p.message}`),
          [
            'sink.columns.valu: unknown input column "valu"; the input has: timestamp: timestamp, value: long, word: any',
            'sink.id.column: the table column "id" is already filled by the input column "value"; name another id column (id.column) or map "value" elsewhere with columns',
            'sink.ttl: Cassandra keeps TTLs in whole seconds, from 1s to 20 years (7300d); found 1500ms',
            'sink.username: a password is set but no username; set both, or neither for a cluster without authentication',
          ],
        );
        return true;
      },
    );
    assert.equal(resolve({ keyspace: 'k', table: 't', ttl: '7d' }).ttlSeconds, 604800);
  });

  it('gives the driver prepared, idempotent requests at the chosen consistency; an empty user means no authentication', () => {
    const options = clientOptions(
      connectionConfig(
        CassandraSinkOptions.parse({ keyspace: 'k', table: 't', consistency: 'ONE', username: '', password: '', timeout: '3s' }),
      ),
    );
    assert.equal(options.credentials, undefined);
    assert.deepEqual(options.queryOptions, { consistency: cassandraDriver.types.consistencies.one, prepare: true, isIdempotent: true });
    assert.equal(options.socketOptions?.readTimeout, 3000);
  });
});

describe('cassandra sink: errors', () => {
  const { errors } = cassandraDriver;
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9042'), { code: 'ECONNREFUSED', syscall: 'connect' });

  it('names the contact points and the reason when nothing answers, and retries that', () => {
    const error = new errors.NoHostAvailableError({ '127.0.0.1:9042': refused });
    assert.equal(isRetriable(error), true);
    assert.equal(
      describeConnectError(error, ['127.0.0.1:9042'], undefined),
      'cannot reach Cassandra at 127.0.0.1:9042 (127.0.0.1:9042: connect ECONNREFUSED 127.0.0.1:9042); is Cassandra running and listening on that port (native_transport_port, default 9042)?',
    );
  });

  it('does not retry a refused login, and names the user but never the password', () => {
    const auth = new errors.NoHostAvailableError({
      '127.0.0.1:9042': new errors.AuthenticationError('Provided username alice and/or password are incorrect'),
    });
    assert.equal(isRetriable(auth), false);
    assert.equal(
      describeConnectError(auth, ['127.0.0.1:9042'], 'alice'),
      "Cassandra at 127.0.0.1:9042 refused the credentials of user 'alice' (Provided username alice and/or password are incorrect); check username and password (CASSANDRA_USERNAME, CASSANDRA_PASSWORD)",
    );
  });

  it('retries write timeouts, overload and client timeouts; not invalid requests', () => {
    const response = (code: number, message: string) => Object.assign(new errors.ResponseError(code, message), {});
    assert.equal(isRetriable(response(responseErrorCodes.writeTimeout, 'Operation timed out - received only 0 responses.')), true);
    assert.equal(isRetriable(response(responseErrorCodes.overloaded, 'overloaded')), true);
    assert.equal(
      isRetriable(new errors.OperationTimedOutError('The host 127.0.0.1:9042 did not reply before timeout 12000 ms', '127.0.0.1:9042')),
      true,
    );
    assert.equal(isRetriable(response(responseErrorCodes.invalid, 'table x does not exist')), false);
    assert.equal(
      describeRequestError(
        response(responseErrorCodes.writeTimeout, 'Operation timed out - received only 0 responses.'),
        ['db:9042'],
        undefined,
      ),
      'Cassandra at db:9042: the replicas did not answer in time (Operation timed out - received only 0 responses.); the cluster is overloaded: lower concurrency, or use a lower consistency',
    );
  });
});

describe('cassandra sink: requests of a micro-batch', () => {
  it('groups rows of one partition into batches, never mixes partitions, sends lone rows alone', () => {
    // (sensor, ts, reading); partition key: sensor (index 0).
    const params = [
      ['a', 1, 0.5],
      ['b', 1, 1.5],
      ['a', 2, 2.5],
      ['c', 1, 3.5],
      ['a', 3, 4.5],
      ['b', 2, 5.5],
    ];
    assert.deepEqual(planUnits(params, { partitionKey: [0], maxRows: 100, maxBytes: 4096 }), [[0, 2, 4], [1, 5], 3]);
    assert.deepEqual(planUnits(params, { partitionKey: [0], maxRows: 2, maxBytes: 4096 }), [[0, 2], 4, [1, 5], 3]);
    assert.deepEqual(planUnits(params, { partitionKey: [0], maxRows: 1, maxBytes: 4096 }), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(
      planUnits(params, { partitionKey: [0, 1], maxRows: 100, maxBytes: 4096 }),
      [0, 1, 2, 3, 4, 5],
      'composite key (sensor, ts): all distinct',
    );
    assert.equal(rowsIn(planUnits(params, { partitionKey: [0], maxRows: 100, maxBytes: 4096 }), [0, 2]), 4);
  });

  it('keeps batches under the byte budget, and tells 1 from "1" and Dates apart by time', () => {
    const wide = 'x'.repeat(1500);
    const params = [
      ['a', wide],
      ['a', wide],
      ['a', wide],
      ['a', wide],
    ];
    assert.deepEqual(planUnits(params, { partitionKey: [0], maxRows: 100, maxBytes: 4096 }), [
      [0, 1],
      [2, 3],
    ]);
    assert.deepEqual(planUnits([[1], ['1'], [1]], { partitionKey: [0], maxRows: 100, maxBytes: 4096 }), [[0, 2], 1]);
    const day = (d: number) => new Date(Date.UTC(2026, 0, d));
    assert.deepEqual(
      planUnits(
        [
          [day(1), 'x'],
          [day(2), 'x'],
          [day(1), 'x'],
        ],
        { partitionKey: [0, 1], maxRows: 100, maxBytes: 4096 },
      ),
      [[0, 2], 1],
    );
  });
});

describe('cassandra sink: a round of requests', () => {
  const { errors } = cassandraDriver;
  /** A stand-in for the driver's client: records what is sent, fails where told. */
  function fakeClient(fail: (params: unknown[]) => Error | undefined) {
    const sent: unknown[][] = [];
    const client = {
      async execute(_query: string, params: unknown[]) {
        sent.push(params);
        await new Promise((resolve) => setImmediate(resolve));
        const error = fail(params);
        if (error) throw error;
      },
      async batch(queries: Array<{ params: unknown[] }>) {
        for (const q of queries) await client.execute('', q.params);
      },
    };
    return { client: client as unknown as cassandraDriver.Client, sent };
  }
  const params = Array.from({ length: 10 }, (_, i) => [i]);
  const units = params.map((_, i) => i);

  it('a write timeout stops the round and names every unit not acknowledged; those alone are sent again', async () => {
    const timeout = new errors.ResponseError(responseErrorCodes.writeTimeout, 'Operation timed out - received only 0 responses.');
    let failOnce = true;
    const { client, sent } = fakeClient((p) => {
      if (p[0] !== 3 || !failOnce) return undefined;
      failOnce = false;
      return timeout;
    });
    const failure = await executeRound(client, 'q', params, units, undefined, 2).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(failure instanceof PartialFailure);
    assert.equal(failure.cause, timeout);
    const acknowledged = sent.map((p) => p[0] as number).filter((v) => v !== 3);
    assert.deepEqual(
      failure.pending,
      units.filter((u) => !acknowledged.includes(u)),
      'the failed unit and the ones never sent',
    );
    assert.ok(failure.pending.includes(3) && failure.pending.length < 10);
    sent.length = 0;
    await executeRound(client, 'q', params, units, failure.pending, 2);
    assert.deepEqual(
      sent.map((p) => p[0]).sort((a, b) => (a as number) - (b as number)),
      failure.pending,
    );
  });

  it('an error no retry can fix rejects with that error', async () => {
    const invalid = new errors.ResponseError(responseErrorCodes.invalid, 'Batch too large');
    const { client } = fakeClient((p) => (p[0] === 5 ? invalid : undefined));
    await assert.rejects(executeRound(client, 'q', params, units, undefined, 3), (error: unknown) => error === invalid);
  });
});
