import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { sparkKafkaJars } from '../../scripts/services/spark-kafka.js';
import { servicesEnv } from '../../src/config/services-env.js';
import { cliPath, repoRoot } from '../support/cli.js';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { createTopic, deleteTopics, kafkaClient, readCommitted } from '../support/kafka-read.js';
import { isCI, service } from '../support/services.js';
import { inputRecords, JOBS, starrocksTable } from './fixtures.js';

/**
 * The exported programs of jobs with a kafka or parquet source and a postgres, mysql, starrocks or kafka sink, run on
 * PySpark 4.3 against the shared servers, write what streamlab writes: every row and field of streamlab's table (or
 * topic) and the program's are compared. Each program also runs its last batch a second time (Spark's checkpoint
 * without that batch's commit), which must add nothing: the commit table, the label, the marker.
 */
const SERVERS = ['kafka', 'postgres', 'mariadb', 'starrocks-peer'] as const;
const WHY_NOT = [
  ...SERVERS.map((s) => service(s).skip).filter((s): s is string => typeof s === 'string'),
  ...pythonMissing(),
  ...(sparkKafkaJars() ? [] : ["Spark's Kafka connector jars are not fetched (npm run services -- up kafka)"]),
];
const skip = WHY_NOT.length === 0 ? false : isCI() ? false : WHY_NOT.join('; ');
const nonce = `${process.pid}_${Date.now() % 1_000_000}`;
const IN_TOPIC = `export_rest_in_${nonce}`;
const OUT_TOPIC = `export_rest_out_${nonce}`;
const RUNNERS = ['streamlab', 'spark'] as const;

function pythonMissing(): string[] {
  const check = spawnSync('python3', ['-c', 'import pyspark, psycopg, pymysql, confluent_kafka'], { encoding: 'utf8' });
  return check.status === 0
    ? []
    : [`python3: ${check.stderr.trim().split('\n').at(-1)} (pip install pyspark==4.3.0 psycopg[binary] PyMySQL confluent-kafka)`];
}

describeOrSkip('exported programs write what streamlab writes (PySpark 4.3, real servers)', { skip, timeout: 1_500_000 }, () => {
  let project: string;
  let env: Record<string, string>;
  let postgres: pg.Client;
  let maria: mysql.Connection;
  const spark = new Map<string, { ok: boolean; batches?: number[]; rows?: number; replayed?: number[]; error?: string }>();

  before(async () => {
    project = mkdtempSync(join(tmpdir(), 'streamlab-export-servers-'));
    cpSync(join(repoRoot, 'config'), join(project, 'config'), { recursive: true });
    mkdirSync(join(project, 'jobs'));
    for (const [name, yaml] of Object.entries(JOBS)) writeFileSync(join(project, 'jobs', `${name}.yaml`), yaml);
    const dir = process.env.STREAMLAB_SERVICES_DIR ?? join(repoRoot, '.services');
    env = { ...servicesEnv(dir, process.env).vars, IN_TOPIC, OUT_TOPIC };
    await seedTopic();
    postgres = new pg.Client({ host: env.PGHOST, port: Number(env.PGPORT), user: env.PGUSER, database: env.PGDATABASE });
    await postgres.connect();
    maria = await mysql.createConnection({
      host: env.MYSQL_HOST,
      port: Number(env.MYSQL_PORT),
      user: 'root',
      database: env.MYSQL_DATABASE,
      timezone: 'Z',
    });
    for (const runner of RUNNERS) {
      await postgres.query(`DROP TABLE IF EXISTS export_rest_${runner}, export_rest_lake_${runner}`);
      await maria.query(`DROP TABLE IF EXISTS export_rest_${runner}, export_rest_sr_${runner}`);
      await maria.query(starrocksTable(`export_rest_sr_${runner}`));
    }
    // streamlab first (the lake job writes the Parquet table the parquet job reads), then every program on one Spark.
    for (const job of ['export-rest-lake', ...Object.keys(JOBS).filter((j) => j !== 'export-rest-lake')]) runStreamlab(job);
    const programs = Object.keys(JOBS)
      .filter((j) => j !== 'export-rest-lake')
      .map((job) => {
        const exported = spawnSync(process.execPath, [cliPath, 'export', 'pyspark', job], {
          cwd: project,
          encoding: 'utf8',
          env: { ...process.env, ...env, RUNNER: 'spark' },
        });
        assert.equal(exported.status, 0, exported.stderr);
        writeFileSync(join(project, `${job}.py`), exported.stdout);
        return join(project, `${job}.py`);
      });
    const run = await promisify(execFile)('python3', [join(repoRoot, 'test/export/run_programs.py'), project, ...programs], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ...env, RUNNER: 'spark', SPARK_JARS: (sparkKafkaJars() ?? []).join(',') },
    });
    for (const line of run.stdout.split('\n').filter((l) => l.startsWith('{'))) {
      const result = JSON.parse(line);
      spark.set(result.program.replace(/\.py$/, ''), result);
    }
  });

  after(async () => {
    await postgres?.end();
    await maria?.end();
    if (env) await deleteTopics(env.KAFKA_BOOTSTRAP_SERVERS, [IN_TOPIC, ...RUNNERS.map((r) => `${OUT_TOPIC}_${r}`)]);
    if (project) rmSync(project, { recursive: true, force: true });
  });

  async function seedTopic(): Promise<void> {
    await createTopic(env.KAFKA_BOOTSTRAP_SERVERS, IN_TOPIC);
    const producer = kafkaClient(env.KAFKA_BOOTSTRAP_SERVERS).producer();
    await producer.connect();
    await producer.send({ topic: IN_TOPIC, messages: inputRecords().map(([key, value]) => ({ key, value })) });
    await producer.disconnect();
  }

  function runStreamlab(job: string): void {
    const run = spawnSync(process.execPath, [cliPath, 'run', job], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, ...env, RUNNER: 'streamlab' },
      timeout: 300_000,
    });
    assert.equal(run.status, 0, `streamlab run ${job}: ${run.stderr}`);
  }

  /** The program ran batches with rows, and its replayed last batch went to the sink again. */
  function assertSparkRan(job: string): void {
    const result = spark.get(job);
    assert.ok(result, `${job}: the Spark runner printed nothing for it`);
    assert.equal(result.ok, true, `${job} on Spark: ${result.error}`);
    assert.ok((result.batches?.length ?? 0) >= 1, `${job}: no batch`);
    assert.deepEqual(result.replayed, [result.batches!.at(-1)], `${job}: the last batch was not replayed`);
  }

  const expectedReadings = 21;

  it('postgres: every row and field of the table is the same, the replayed batch added none', async () => {
    assertSparkRan('export-rest-postgres');
    const [ours, theirs] = await Promise.all(
      RUNNERS.map(async (r) => (await postgres.query(`SELECT * FROM export_rest_${r} ORDER BY "offset"`)).rows),
    );
    assert.equal(ours.length, expectedReadings);
    assert.deepEqual(theirs, ours);
    assert.ok(ours.some((row) => row._corrupt_record === 'not json at all' && row.ts === null));
  });

  it('mysql: every row and field of the table is the same, the replayed batch added none', async () => {
    assertSparkRan('export-rest-mysql');
    const [ours, theirs] = await Promise.all(
      RUNNERS.map(async (r) => (await maria.query(`SELECT * FROM export_rest_${r} ORDER BY \`offset\``))[0] as Record<string, unknown>[]),
    );
    assert.equal(ours.length, expectedReadings);
    assert.deepEqual(theirs, ours);
  });

  it('starrocks (Stream Load peer): every row and field loaded is the same, the replayed batch loaded none', async () => {
    assertSparkRan('export-rest-starrocks');
    const [ours, theirs] = await Promise.all(
      RUNNERS.map(
        async (r) => (await maria.query(`SELECT * FROM export_rest_sr_${r} ORDER BY \`offset\``))[0] as Record<string, unknown>[],
      ),
    );
    assert.equal(ours.length, expectedReadings);
    assert.deepEqual(theirs, ours);
  });

  it('kafka (exactly-once): every committed record is the same, the replayed batch wrote none', async () => {
    assertSparkRan('export-rest-kafka');
    const [ours, theirs] = await Promise.all(
      RUNNERS.map(async (r) => (await readCommitted(env.KAFKA_BOOTSTRAP_SERVERS, `${OUT_TOPIC}_${r}`)).map((m) => [m.key, m.value]).sort()),
    );
    assert.equal(ours.length, expectedReadings - 1);
    assert.deepEqual(theirs, ours);
  });

  it('parquet source (one hour of the lake) into postgres in complete mode: the same rows', async () => {
    assertSparkRan('export-rest-parquet');
    const [ours, theirs] = await Promise.all(
      RUNNERS.map(async (r) => (await postgres.query(`SELECT * FROM export_rest_lake_${r} ORDER BY id`)).rows),
    );
    assert.equal(ours.length, 3);
    assert.deepEqual(theirs, ours);
  });
});
