import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import cassandraDriver from 'cassandra-driver';
import pg from 'pg';
import { sparkKafkaJars } from '../../scripts/services/spark-kafka.js';
import { cliPath, repoRoot } from '../support/cli.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { createTopic, deleteTopics, kafkaClient } from '../support/kafka-read.js';
import { service } from '../support/services.js';

/**
 * Every shipped job either exports to a PySpark program, or is refused with exit 2 and a message naming the part
 * that has no translation and where it is written. The programs that export are then started on real PySpark (one
 * session for all, test/parity/start_programs.py): each must build its stream and complete a batch.
 */
const jobs = readdirSync(join(repoRoot, 'jobs'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''));

/** The jobs whose source or sink has no translation yet, and the word the refusal must name. */
const REFUSED: Record<string, RegExp> = {
  'people-cassandra-read': /source 'cassandra' has no Spark counterpart/,
  'sensor-mysql': /source 'sensor' has no Spark counterpart/,
  'sensor-starrocks': /source 'sensor' has no Spark counterpart/,
  'sine-console': /source 'sine' has no Spark counterpart/,
  'sine-influxdb': /source 'sine' has no Spark counterpart/,
  'telemetry-console': /source 'system' has no Spark counterpart/,
  'telemetry-influxdb': /source 'system' has no Spark counterpart/,
  'tsbs-cpu-console': /source 'tsbs-cpu' has no Spark counterpart/,
  'devices-console': /source 'devices' has no Spark counterpart/,
  'devices-kafka': /source 'devices' has no Spark counterpart/,
  'lambda-provision': /source 'device-users' has no Spark counterpart/,
  'sine-kafka': /source 'sine' has no Spark counterpart/,
  'telemetry-kafka': /source 'system' has no Spark counterpart/,
};

/**
 * What a job's program needs beyond pyspark: Python clients of its foreachBatch sink or join table, and servers (the
 * shared ones of `npm run services`, under names of this test's own).
 */
type ServerName = 'cassandra' | 'influxdb18' | 'kafka' | 'postgres';
const NEEDS: Record<string, { modules: string[]; servers: ServerName[] }> = {
  'people-cassandra': { modules: ['cassandra'], servers: ['cassandra'] },
  'rate-even-cassandra': { modules: ['cassandra'], servers: ['cassandra'] },
  'socket-wordcount-cassandra': { modules: ['cassandra'], servers: ['cassandra'] },
  'rate-triangle-influxdb': { modules: ['influxdb_client'], servers: ['influxdb18'] },
  'kafka-sine-influxdb': { modules: ['influxdb_client'], servers: ['kafka', 'influxdb18'] },
  'kafka-telemetry-influxdb': { modules: ['influxdb_client'], servers: ['kafka', 'influxdb18'] },
  'kafka-wordcount-console': { modules: [], servers: ['kafka'] },
  'lambda-speed-lake': { modules: [], servers: ['kafka'] },
  'lambda-speed': { modules: ['psycopg'], servers: ['kafka', 'postgres'] },
  'lambda-batch': { modules: ['psycopg'], servers: ['postgres'] },
  'lambda-batch-quota': { modules: ['psycopg'], servers: ['postgres'] },
  'rate-kafka': { modules: ['confluent_kafka'], servers: ['kafka'] },
};
/** Programs that write what later ones read (the lake, the rate-triangle Parquet table) start first. */
const FIRST = ['lambda-speed-lake', 'rate-triangle-parquet'];
const PIP = 'pip install cassandra-driver influxdb-client psycopg[binary] PyMySQL confluent-kafka';
const TOPICS = {
  SINE_TOPIC: 'pyspark_export_sine',
  TELEMETRY_TOPIC: 'pyspark_export_sys_metrics',
  WORDS_TOPIC: 'pyspark_export_words',
  DEVICES_TOPIC: 'pyspark_export_devices',
  RATE_TOPIC: 'pyspark_export_rate',
};
const POSTGRES_DATABASE = 'pyspark_export';
const KEYSPACE = 'pyspark_export';
const INFLUX_DATABASE = 'pyspark_export';

/** Why a job's program cannot start here (its client or server missing), or false. */
function cannotStart(job: string): string | false {
  const need = NEEDS[job];
  if (!need) return false;
  for (const name of need.servers) {
    const server = service(name);
    if (server.skip) return server.skip;
  }
  if (need.servers.includes('kafka') && !sparkKafkaJars()) return "Spark's Kafka connector is not fetched (npm run services -- up kafka)";
  for (const module of need.modules) {
    const client = spawnSync('python3', ['-c', `import ${module}`], { encoding: 'utf8' });
    if (client.status !== 0) return `python3 cannot import ${module} (${PIP})`;
  }
  return false;
}

/** The profiles' variables, pointed at the shared servers (as --services does) and at this test's keyspace and database. */
function serverEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  const cassandra = service('cassandra');
  if (!cassandra.skip) Object.assign(env, { CASSANDRA_CONTACT_POINTS: cassandra.address, CASSANDRA_KEYSPACE: KEYSPACE });
  const influx = service('influxdb18');
  if (!influx.skip) Object.assign(env, { INFLUX_URL: `http://${influx.address}`, INFLUX_BUCKET: INFLUX_DATABASE, INFLUX_TOKEN: '' });
  const kafka = service('kafka');
  if (!kafka.skip) Object.assign(env, { KAFKA_BOOTSTRAP_SERVERS: kafka.address, ...TOPICS });
  const postgres = service('postgres');
  if (!postgres.skip)
    Object.assign(env, {
      PGHOST: postgres.host,
      PGPORT: String(postgres.port),
      PGUSER: 'postgres',
      PGPASSWORD: '',
      PGDATABASE: POSTGRES_DATABASE,
    });
  // rate-triangle-hour reads the hour rate-triangle-parquet writes in: this one
  const hour = new Date().toISOString().slice(0, 13);
  return { ...env, HOUR: hour, SPARK_JARS: (sparkKafkaJars() ?? []).join(',') };
}

/** One CQL statement against the shared Cassandra, rows as plain objects (ints as numbers). */
async function cql(address: string, statement: string): Promise<Record<string, unknown>[]> {
  const [host, port] = address.split(':');
  const client = new cassandraDriver.Client({
    contactPoints: [host],
    protocolOptions: { port: Number(port) },
    localDataCenter: 'datacenter1',
  });
  try {
    const result = await client.execute(statement);
    return (result.rows ?? []).map((row) => Object.fromEntries(row.keys().map((k) => [k, row.get(k)])));
  } finally {
    await client.shutdown();
  }
}

/**
 * Keeps writing to the kafka jobs' topics while Spark runs (kafka-wordcount-console reads from the latest offset):
 * sine values, sys_metrics readings, lines of words, device messages of this hour (lambda-batch reads the hour).
 */
async function produceToTopics(address: string): Promise<{ stop: () => Promise<void> }> {
  await deleteTopics(address, Object.values(TOPICS));
  for (const topic of Object.values(TOPICS)) await createTopic(address, topic);
  const producer = kafkaClient(address).producer();
  await producer.connect();
  let i = 0;
  const send = async () => {
    const timestamp = new Date().toISOString();
    i++;
    const reading = { timestamp, hostname: 'host-a', os: 'linux', cpu_percent: i % 100, mem_used_mb: 512 + i, mem_percent: 12.5 };
    const device = { timestamp, id: `user-${i % 3}`, antenna_id: 'a1', app: 'mail', bytes: 100 * i };
    await producer.sendBatch({
      topicMessages: [
        { topic: TOPICS.SINE_TOPIC, messages: [{ value: String(Math.sin(i / 10)) }] },
        { topic: TOPICS.TELEMETRY_TOPIC, messages: [{ value: JSON.stringify(reading) }] },
        { topic: TOPICS.WORDS_TOPIC, messages: [{ value: 'the quick brown fox' }] },
        { topic: TOPICS.DEVICES_TOPIC, messages: [{ value: JSON.stringify(device) }] },
      ],
    });
  };
  await send();
  const timer = setInterval(() => void send().catch(() => undefined), 500);
  // The producer's connection would keep the test process alive: stopped in after().
  return {
    stop: async () => {
      clearInterval(timer);
      await producer.disconnect();
    },
  };
}

/** A database of this test's own, with the lambda tables (lambda-speed reads user_metadata before its sink opens). */
async function preparePostgres(): Promise<void> {
  const postgres = service('postgres');
  const admin = new pg.Client({ host: postgres.host, port: postgres.port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${POSTGRES_DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${POSTGRES_DATABASE}`);
  await admin.end();
  const client = new pg.Client({ host: postgres.host, port: postgres.port, user: 'postgres', database: POSTGRES_DATABASE });
  await client.connect();
  await client.query(readFileSync(join(repoRoot, 'sql/lambda.sql'), 'utf8'));
  await client.end();
}

function exportJob(job: string, cwd: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [cliPath, 'export', 'pyspark', job], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
}

const pyspark = spawnSync('python3', ['-c', 'import pyspark; print(pyspark.__version__)'], { encoding: 'utf8' });
const pysparkSkip =
  pyspark.status === 0 ? false : process.env.CI === 'true' ? false : 'pyspark is not installed (pip install pyspark==4.3.0)';

describe('streamlab export pyspark on the shipped jobs', () => {
  for (const job of jobs) {
    it(`${job}: ${REFUSED[job] ? 'refused, naming what' : 'a program'}`, () => {
      const run = exportJob(job, repoRoot);
      if (REFUSED[job]) {
        assert.equal(run.status, 2, run.stderr);
        assert.match(run.stderr, REFUSED[job]);
        assert.match(run.stderr, new RegExp(`jobs/${job}\\.yaml:\\d+:\\d+ (source|sink)`));
        assert.equal(run.stdout, '');
      } else {
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /^def read_stream\(spark\):$/m);
        assert.match(run.stdout, /^def transform\(df\):$/m);
        assert.match(run.stdout, new RegExp(`# jobs/${job}\\.yaml:\\d+ {2}source:`));
      }
    });
  }
});

describeOrSkip('exported programs start on PySpark 4.3', { skip: pysparkSkip, timeout: 900_000 }, () => {
  let project: string;
  let socket: Server;
  let producing: { stop: () => Promise<void> } | undefined;
  const lines: string[] = [];
  before(async () => {
    project = mkdtempSync(join(tmpdir(), 'streamlab-export-'));
    cpSync(join(repoRoot, 'jobs'), join(project, 'jobs'), { recursive: true });
    cpSync(join(repoRoot, 'data'), join(project, 'data'), { recursive: true });
    cpSync(join(repoRoot, 'sql'), join(project, 'sql'), { recursive: true });
    // The socket jobs read `nc -lk 9999`: a server that sends each connection two lines every half second.
    // Lines keep coming, as someone typing would send them: a line written before Spark's first batch is not counted.
    socket = createServer((connection) => {
      const typing = setInterval(() => connection.write('the quick brown fox\njumps over the lazy dog\n'), 500);
      connection.on('close', () => clearInterval(typing)).on('error', () => clearInterval(typing));
    });
    await new Promise<void>((resolve, reject) => socket.once('error', reject).listen(9999, 'localhost', resolve));
  });
  after(async () => {
    await producing?.stop();
    socket?.close();
    const kafka = service('kafka');
    if (!kafka.skip) await deleteTopics(kafka.address, Object.values(TOPICS));
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('every translatable job builds its stream and completes a batch', async () => {
    const influx = service('influxdb18');
    if (!influx.skip) {
      const created = await fetch(`http://${influx.address}/query?q=${encodeURIComponent(`CREATE DATABASE ${INFLUX_DATABASE}`)}`, {
        method: 'POST',
      });
      assert.equal(created.status, 200, await created.text());
    }
    const cassandra = service('cassandra');
    if (!cassandra.skip) await cql(cassandra.address, `DROP KEYSPACE IF EXISTS ${KEYSPACE}`);
    const skipped = jobs.filter((job) => !REFUSED[job] && cannotStart(job));
    if (!service('kafka').skip) producing = await produceToTopics(service('kafka').address);
    if (!service('postgres').skip) await preparePostgres();
    // Locally a missing client or server leaves those jobs out (listed); in CI everything they need is there.
    if (process.env.CI === 'true')
      assert.deepEqual(
        skipped.map((job) => `${job}: ${cannotStart(job)}`),
        [],
      );
    else if (skipped.length > 0) console.log(`not started here: ${skipped.map((job) => `${job} (${cannotStart(job)})`).join('; ')}`);
    const env = serverEnv();
    const programs = jobs
      .filter((job) => !REFUSED[job] && !skipped.includes(job))
      .sort((a, b) => Number(FIRST.includes(b)) - Number(FIRST.includes(a)))
      .map((job) => {
        const run = exportJob(job, project, env);
        assert.equal(run.status, 0, run.stderr);
        const file = join(project, `${job}.py`);
        writeFileSync(file, run.stdout);
        return file;
      });
    // Asynchronous: the socket server above lives on this event loop, which spawnSync would block.
    const run = await promisify(execFile)('python3', [join(repoRoot, 'test/parity/start_programs.py'), project, ...programs], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ...env },
    });
    lines.push(...run.stdout.split('\n').filter((l) => l.startsWith('{')));
    const results = lines.map((l) => JSON.parse(l) as { program: string; ok: boolean; error?: string });
    assert.deepEqual(
      results.map((r) => r.program),
      programs.map((p) => p.split('/').at(-1)),
    );
    const failed = results.filter((r) => !r.ok).map((r) => `${r.program}: ${r.error}`);
    assert.deepEqual(failed, []);
    if (!skipped.includes('people-cassandra')) {
      // What foreachBatch wrote, read back: every row and field of data/people.json, each with its own uuid5 id.
      const rows = await cql(cassandra.address, `SELECT id, name, age FROM ${KEYSPACE}.people`);
      const people = rows.map((r) => ({ name: r.name, age: r.age })).sort((a, b) => String(a.name).localeCompare(String(b.name)));
      assert.deepEqual(people, [
        { name: 'Andy', age: 30 },
        { name: 'Justin', age: 19 },
        { name: 'Michael', age: null },
      ]);
      const ids = rows.map((r) => String(r.id));
      assert.equal(new Set(ids).size, 3);
      for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});
