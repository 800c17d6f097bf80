/**
 * Every shipped job (jobs/*.yaml) written with the TypeScript API, as a user would write it: `${VAR:-default}` in
 * the YAML is `process.env.VAR ?? default` here. job-twins.test.ts builds each both ways and compares the plans.
 */
import { count, max, min, readStream, sinks, sources, sum, type SinkSpec, type StreamWriter, window } from '../../src/index.js';

export interface Twin {
  writer: StreamWriter<object>;
  sink: SinkSpec;
}

const env = process.env;
const num = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));
const kafkaSource = (topic: string) => sources.kafka({ profile: 'kafka', subscribe: topic, startingOffsets: 'earliest' });
const devicesSchema = { timestamp: 'timestamp', id: 'string', antenna_id: 'string', app: 'string', bytes: 'long' } as const;
const users = sources.postgres({
  profile: 'postgres',
  table: 'user_metadata',
  schema: { id: 'string', name: 'string', email: 'string', quota: 'long' },
});
const metricId = "if(type = 'antenna_bytes_total', antenna_id, if(type = 'app_bytes_total', app, coalesce(email, id)))";
const metricTypes = "split('antenna_bytes_total,mail_bytes_total,app_bytes_total', ',')";
const windowStart = 'timestamp_millis(unix_timestamp(window.start) * 1000) as timestamp';
const lake = env.LAMBDA_LAKE ?? 'lake/devices';
const hour = env.HOUR ?? '2026-11-30T13';
const hourStart = env.HOUR_START ?? '2026-11-30T13:00:00Z';
const devices = () =>
  sources.devices({
    users: num(env.DEVICE_USERS, 21),
    antennas: num(env.DEVICE_ANTENNAS, 5),
    messagesPerInterval: num(env.DEVICE_MESSAGES, 10),
    interval: '1s',
  });
const everySecond = { processingTime: '1s' } as const;
const sensor = () => sources.sensor({ sensors: num(env.SENSORS, 3), interval: env.SENSOR_INTERVAL ?? '1s' });
const words = <T extends { value: string | null }>(stream: ReturnType<typeof readStream<T>>) =>
  stream.explode("split(value, ' ')", 'word', []).filter("word != ''");

export const twins: Record<string, () => Twin> = {
  'devices-console': () => ({
    writer: readStream(devices()).writeStream({ queryName: 'devices-console', trigger: everySecond }),
    sink: sinks.console({ truncate: false }),
  }),
  'devices-kafka': () => ({
    writer: readStream(devices())
      .select(
        'id as key',
        "to_json(named_struct('timestamp', timestamp, 'id', id, 'antenna_id', antenna_id, 'app', app, 'bytes', bytes)) as value",
      )
      .writeStream({ queryName: 'devices-kafka', trigger: everySecond }),
    sink: sinks.kafka({ profile: 'kafka', topic: env.DEVICES_TOPIC ?? 'devices' }),
  }),
  'kafka-sine-influxdb': () => ({
    writer: readStream(kafkaSource(env.SINE_TOPIC ?? 'test-topic'))
      .select('timestamp', 'double(value) as value')
      .writeStream({ queryName: 'kafka-sine-influxdb', trigger: everySecond }),
    sink: sinks.influxdb({ profile: 'influxdb', measurement: 'sine-wave', fields: ['value'] }),
  }),
  'kafka-telemetry-influxdb': () => ({
    writer: readStream(kafkaSource(env.TELEMETRY_TOPIC ?? 'sys_metrics'))
      .fromJson(
        { timestamp: 'timestamp', hostname: 'string', os: 'string', cpu_percent: 'double', mem_used_mb: 'double', mem_percent: 'double' },
        { column: 'value' },
      )
      .writeStream({ queryName: 'kafka-telemetry-influxdb' }),
    sink: sinks.influxdb({
      profile: 'influxdb',
      measurement: 'sys_metrics',
      tags: ['hostname', 'os'],
      fields: ['cpu_percent', 'mem_used_mb', 'mem_percent'],
    }),
  }),
  'kafka-wordcount-console': () => ({
    writer: words(readStream(sources.kafka({ profile: 'kafka', subscribe: env.WORDS_TOPIC ?? 'words' })))
      .groupBy('word')
      .agg({ count: count() })
      .writeStream({ queryName: 'kafka-wordcount-console', outputMode: 'update', trigger: everySecond }),
    sink: sinks.console(),
  }),
  'lambda-batch-quota': () => ({
    writer: readStream(sources.parquet({ path: lake, hour, schema: devicesSchema }))
      .filter('isnotnull(timestamp) and isnotnull(id) and isnotnull(bytes)')
      .join(users, ['id'])
      .window('timestamp', '1 hour')
      .groupBy('window', 'email', 'quota')
      .agg({ usage: sum('bytes') })
      .filter('usage > quota')
      .select('email', 'usage', 'quota', windowStart)
      .writeStream({ queryName: 'lambda-batch-quota', outputMode: 'complete', trigger: { availableNow: true } }),
    sink: sinks.postgres({
      profile: 'postgres',
      table: 'user_quota_limit',
      setupSql: 'sql/lambda.sql',
      replaceWhere: `"timestamp" = '${hourStart}'`,
    }),
  }),
  'lambda-batch': () => ({
    writer: readStream(sources.parquet({ path: lake, hour, schema: devicesSchema }))
      .filter('isnotnull(timestamp) and isnotnull(id) and isnotnull(antenna_id) and isnotnull(app) and isnotnull(bytes)')
      .join(users, ['id'], 'left')
      .window('timestamp', '1 hour')
      .explode(metricTypes, 'type')
      .withColumn('metric_id', metricId)
      .groupBy('window', 'type', 'metric_id')
      .agg({ value: sum('bytes') })
      .select(windowStart, 'metric_id as id', 'value', 'type')
      .writeStream({ queryName: 'lambda-batch', outputMode: 'complete', trigger: { availableNow: true } }),
    sink: sinks.postgres({
      profile: 'postgres',
      table: 'bytes_hourly',
      setupSql: 'sql/lambda.sql',
      replaceWhere: `"timestamp" = '${hourStart}'`,
    }),
  }),
  'lambda-provision': () => ({
    writer: readStream(sources.deviceUsers({ users: num(env.LAMBDA_USERS, 20) })).writeStream({
      queryName: 'lambda-provision',
      trigger: { availableNow: true },
    }),
    sink: sinks.postgres({ profile: 'postgres', table: 'user_metadata', setupSql: 'sql/lambda.sql', replaceWhere: 'true' }),
  }),
  'lambda-speed-lake': () => ({
    writer: readStream(kafkaSource(env.DEVICES_TOPIC ?? 'devices'))
      .fromJson(devicesSchema, { column: 'value', columnNameOfCorruptRecord: '_corrupt_record' })
      .writeStream({ queryName: 'lambda-speed-lake', trigger: { processingTime: env.SPEED_TRIGGER ?? '5s' } }),
    sink: sinks.parquet({ path: lake, partitionBy: [{ time: 'timestamp', granularity: 'hour' }] }),
  }),
  'lambda-speed': () => ({
    writer: readStream(kafkaSource(env.DEVICES_TOPIC ?? 'devices'))
      .fromJson(devicesSchema, { column: 'value', columnNameOfCorruptRecord: '_corrupt_record' })
      .filter(
        '_corrupt_record is null and isnotnull(timestamp) and isnotnull(id) and isnotnull(antenna_id) and isnotnull(app) and isnotnull(bytes)',
      )
      .join(users, ['id'], 'left', { refreshInterval: '5 minutes' })
      .withWatermark('timestamp', '1 minute')
      .window('timestamp', '5 minutes')
      .explode(metricTypes, 'type')
      .withColumn('metric_id', metricId)
      .groupBy('window', 'type', 'metric_id')
      .agg({ value: sum('bytes') })
      .select(windowStart, 'metric_id as id', 'value', 'type')
      .writeStream({
        queryName: 'lambda-speed',
        outputMode: 'update',
        trigger: { processingTime: env.SPEED_TRIGGER ?? '5s' },
        onBadRecord: 'deadLetter',
      }),
    sink: sinks.postgres({ profile: 'postgres', table: 'bytes', setupSql: 'sql/lambda.sql', key: ['timestamp', 'id', 'type'] }),
  }),
  'late-data': () => ({
    writer: readStream(sources.file({ path: 'data/late-data', schema: { timestamp: 'timestamp', word: 'string' }, maxFilesPerBatch: 1 }))
      .withWatermark('timestamp', '10 minutes')
      .groupBy(window('timestamp', '10 minutes', '5 minutes'), 'word')
      .agg({ count: count() })
      .writeStream({ queryName: 'late-data', outputMode: 'update', trigger: { availableNow: true } }),
    sink: sinks.console({ truncate: false, showState: true }),
  }),
  'people-cassandra-read': () => ({
    writer: readStream(
      sources.cassandra({ profile: 'cassandra', table: 'people', schema: { id: 'string', name: 'string', age: 'long' } }),
    ).writeStream({ queryName: 'people-cassandra-read', trigger: { availableNow: true } }),
    sink: sinks.console(),
  }),
  'people-cassandra': () => ({
    writer: readStream(sources.file({ path: 'data/people.json', schema: { name: 'string', age: 'long' } })).writeStream({
      queryName: 'people-cassandra',
      trigger: { availableNow: true },
    }),
    sink: sinks.cassandra({
      profile: 'cassandra',
      table: 'people',
      id: { column: 'id', generate: 'uuid' },
      create: { primaryKey: ['id'], types: { age: 'int' } },
    }),
  }),
  'people-file-console': () => ({
    writer: readStream(sources.file({ path: 'data/people.json', schema: { name: 'string', age: 'long' } }))
      .withColumn('adult', 'age >= 18')
      .writeStream({ queryName: 'people-file-console', trigger: { availableNow: true } }),
    sink: sinks.console(),
  }),
  'rate-console': () => ({
    writer: readStream(sources.rate({ rowsPerSecond: 1 })).writeStream({ queryName: 'rate-console', trigger: everySecond }),
    sink: sinks.console(),
  }),
  'rate-even-cassandra': () => ({
    writer: readStream(sources.rate({ rowsPerSecond: 1 }))
      .filter('value % 2 == 0')
      .writeStream({ queryName: 'rate-even-cassandra', trigger: everySecond }),
    sink: sinks.cassandra({ profile: 'cassandra', table: 'seq', create: { primaryKey: ['value'] } }),
  }),
  'rate-even-file': () => ({
    writer: readStream(sources.rate({ rowsPerSecond: 100 }))
      .filter('value % 2 == 0')
      .withColumn('tr', 'triangle(value, 0, 30, 10)')
      .writeStream({ checkpointLocation: '.checkpoints/rate-even-file', trigger: everySecond, outputMode: 'append' }),
    sink: sinks.file({ format: 'jsonl', path: 'output/rate-even' }),
  }),
  'rate-kafka': () => ({
    writer: readStream(sources.rate({ rowsPerSecond: num(env.ROWS_PER_SECOND, 10) }))
      .select('string(value) as key', "to_json(named_struct('timestamp', timestamp, 'value', value)) as value")
      .writeStream({ queryName: 'rate-kafka', trigger: everySecond }),
    sink: sinks.kafka({ profile: 'kafka', topic: env.RATE_TOPIC ?? 'rate' }),
  }),
  'rate-triangle-hour': () => ({
    writer: readStream(
      sources.parquet({
        path: 'output/rate-triangle',
        hour,
        schema: { timestamp: 'timestamp', value: 'long', tr: 'double', hour: 'long' },
      }),
    )
      .groupBy('hour', window('timestamp', '1 minute'))
      .agg({ rows: count(), tr_min: min('tr'), tr_max: max('tr') })
      .writeStream({ queryName: 'rate-triangle-hour', outputMode: 'complete', trigger: { availableNow: true } }),
    sink: sinks.console({ numRows: 60, truncate: false }),
  }),
  'rate-triangle-influxdb': () => ({
    writer: readStream(sources.rate({ rowsPerSecond: 1 }))
      .triangle({ column: 'value', phase: 0, length: 30, amplitude: 10, as: 'tr' })
      .writeStream({ queryName: 'rate-triangle-influxdb', trigger: everySecond }),
    sink: sinks.influxdb({ profile: 'influxdb', measurement: 'trwave', fields: ['tr'] }),
  }),
  'rate-triangle-parquet': () => ({
    writer: readStream(sources.rate({ rowsPerSecond: 10 }))
      .withColumn('tr', 'triangle(value, 0, 30, 10)')
      .writeStream({ queryName: 'rate-triangle-parquet', trigger: everySecond }),
    sink: sinks.parquet({ path: 'output/rate-triangle', partitionBy: [{ time: 'timestamp', granularity: 'hour' }] }),
  }),
  'sensor-mysql': () => ({
    writer: readStream(sensor()).writeStream({ queryName: 'sensor-mysql', trigger: { processingTime: env.TRIGGER_INTERVAL ?? '5s' } }),
    sink: sinks.mysql({
      profile: 'mysql',
      table: env.SENSOR_TABLE ?? 'sensor_data',
      columns: { sensor_id: 'sensor_id', ts: 'timestamp', temperature: 'temperature', humidity: 'humidity' },
      create: { primaryKey: ['sensor_id', 'ts'] },
    }),
  }),
  'sensor-starrocks': () => ({
    writer: readStream(sensor()).writeStream({ queryName: 'sensor-starrocks', trigger: { processingTime: env.TRIGGER_INTERVAL ?? '5s' } }),
    sink: sinks.starrocks({
      profile: 'starrocks',
      table: env.SENSOR_TABLE ?? 'sensor_data',
      columns: { sensor_id: 'sensor_id', ts: 'timestamp', temperature: 'temperature', humidity: 'humidity' },
    }),
  }),
  'sine-console': () => ({
    writer: readStream(sources.sine({ amplitude: 50, increment: 0.1, interval: '1s' })).writeStream({
      queryName: 'sine-console',
      trigger: everySecond,
    }),
    sink: sinks.console(),
  }),
  'sine-influxdb': () => ({
    writer: readStream(sources.sine({ amplitude: 50, increment: 0.1, interval: '1s' })).writeStream({
      queryName: 'sine-influxdb',
      trigger: everySecond,
    }),
    sink: sinks.influxdb({ profile: 'influxdb', measurement: 'sine-wave', fields: ['value'] }),
  }),
  'sine-kafka': () => ({
    writer: readStream(sources.sine({ amplitude: 50, increment: 0.1, interval: '1s' }))
      .select('string(value) as value')
      .writeStream({ queryName: 'sine-kafka', trigger: everySecond }),
    sink: sinks.kafka({ profile: 'kafka', topic: env.SINE_TOPIC ?? 'test-topic' }),
  }),
  'socket-wordcount-cassandra': () => ({
    writer: words(readStream(sources.socket({ host: 'localhost', port: 9999 })))
      .groupBy('word')
      .count()
      .writeStream({ queryName: 'socket-wordcount-cassandra', outputMode: 'update', trigger: everySecond }),
    sink: sinks.cassandra({ profile: 'cassandra', table: 'wordcount', create: { primaryKey: ['word'], types: { word: 'text' } } }),
  }),
  'socket-wordcount-console': () => ({
    writer: words(readStream(sources.socket({ host: 'localhost', port: 9999 })))
      .groupBy('word')
      .agg({ count: count() })
      .writeStream({ queryName: 'socket-wordcount-console', outputMode: 'update', trigger: everySecond }),
    sink: sinks.console(),
  }),
  'socket-words-console': () => ({
    writer: words(readStream(sources.socket({ host: 'localhost', port: 9999 }))).writeStream({
      queryName: 'socket-words-console',
      trigger: everySecond,
    }),
    sink: sinks.console(),
  }),
  'telemetry-console': () => ({
    writer: readStream(sources.system({ interval: `${env.PERIOD_SEC ?? 2}s` })).writeStream({ queryName: 'telemetry-console' }),
    sink: sinks.console({ truncate: false }),
  }),
  'telemetry-influxdb': () => ({
    writer: readStream(sources.system({ interval: `${env.PERIOD_SEC ?? 5}s` })).writeStream({ queryName: 'telemetry-influxdb' }),
    sink: sinks.influxdb({
      profile: 'influxdb',
      measurement: 'sys_metrics',
      tags: ['hostname', 'os'],
      fields: ['cpu_percent', 'mem_used_mb', 'mem_percent'],
    }),
  }),
  'telemetry-kafka': () => ({
    writer: readStream(sources.system({ interval: `${env.PERIOD_SEC ?? 5}s` }))
      .select(
        'hostname as key',
        "to_json(named_struct('timestamp', timestamp, 'hostname', hostname, 'os', os, 'cpu_percent', cpu_percent, 'mem_used_mb', mem_used_mb, 'mem_percent', mem_percent)) as value",
      )
      .writeStream({ queryName: 'telemetry-kafka' }),
    sink: sinks.kafka({ profile: 'kafka', topic: env.TELEMETRY_TOPIC ?? 'sys_metrics' }),
  }),
  'tsbs-cpu-console': () => ({
    writer: readStream(sources.tsbsCpu({ scale: 4, rows: 12 })).writeStream({
      queryName: 'tsbs-cpu-console',
      trigger: { availableNow: true },
      maxRowsPerBatch: 4,
    }),
    sink: sinks.console(),
  }),
  'windowed-wordcount': () => ({
    writer: readStream(
      sources.file({ path: 'data/windowed-wordcount', schema: { timestamp: 'timestamp', line: 'string' }, maxFilesPerBatch: 1 }),
    )
      .explode("split(line, ' ')", 'word', ['timestamp'])
      .filter("word != ''")
      .withWatermark('timestamp', '10 minutes')
      .groupBy(window('timestamp', '10 minutes', '5 minutes'), 'word')
      .agg({ count: count() })
      .writeStream({ queryName: 'windowed-wordcount', outputMode: 'update', trigger: everySecond }),
    sink: sinks.console({ truncate: false }),
  }),
};
