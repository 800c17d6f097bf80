import { defineSink, type SinkBuildContext } from '../../component/definition.js';
import { registerSecret } from '../../core/redact.js';
import { ConfigError, type ConfigProblem } from '../../core/errors.js';
import { planColumns } from './columns.js';
import { readIniFile } from './ini-file.js';
import type { LinePlan } from './line-protocol.js';
import { InfluxDBSinkOptions } from './options.js';
import { InfluxDBSink, type InfluxDBSinkConfig } from './sink.js';

export { InfluxDBSinkOptions } from './options.js';
export { InfluxDBSink } from './sink.js';

/**
 * The `influxdb` sink: the telemetry workshop's and the course's foreachBatch-to-InfluxDB. The folder:
 * `options.ts` (the schema), `columns.ts` (tags/fields/time checked against the input), `line-protocol.ts` (the
 * serializer), `writer.ts` (HTTP through the client library, v1 and v2 endpoints), `errors.ts` (retry decisions and
 * messages), `ini-file.ts` (the course's influxdb.ini), `sink.ts` (batches, concurrency, retries).
 */
export const influxdbSink = defineSink({
  type: 'influxdb',
  summary:
    'InfluxDB line protocol over the v2 API (2.x, 3.x, Cloud, 1.8+) or the v1 API (1.x); points timed by a column, so replays overwrite.',
  options: InfluxDBSinkOptions,
  examples: [
    {
      url: 'http://localhost:8086',
      org: 'streamlab',
      bucket: 'streamlab',
      token: '${INFLUX_TOKEN}',
      measurement: 'sys_metrics',
      tags: ['hostname', 'os'],
      fields: ['cpu_percent', 'mem_used_mb', 'mem_percent'],
    },
    { api: 'v1', url: 'http://localhost:8086', bucket: 'telegraf/autogen', measurement: 'sine-wave', fields: ['value'], precision: 's' },
    { iniFile: 'influxdb.ini', bucket: 'streamlab', measurement: 'trwave', fields: ['tr'], batchSize: 10000, gzip: true },
  ],
  create: (options, context) => new InfluxDBSink(resolveConfig(options, context)),
});

/**
 * Options -> the sink's configuration: url, org and token from the job or the ini file, the token registered with
 * the redactor, tags/fields/time checked against the input. Every problem at once, as one ConfigError.
 */
export function resolveConfig(options: InfluxDBSinkOptions, context: Pick<SinkBuildContext, 'input' | 'location'>): InfluxDBSinkConfig {
  const { location } = context;
  const ini = options.iniFile ? readIniFile(options.iniFile, location) : {};
  const url = options.url ?? ini.url;
  const org = options.org ?? ini.org;
  // An empty token (e.g. INFLUX_TOKEN unset behind `${INFLUX_TOKEN:-}`) means: no Authorization header.
  const token = options.token || ini.token || undefined;
  registerSecret(token);

  const problems: ConfigProblem[] = [];
  if (!url) {
    problems.push({
      file: location.file,
      path: `${location.path}.url`,
      message: options.iniFile
        ? `no url: neither the sink nor [influx2] in ${options.iniFile} sets one`
        : 'url is required (e.g. http://localhost:8086), or iniFile naming an influxdb.ini with url under [influx2]',
    });
  } else if (!/^https?:\/\/[^/]/.test(url)) {
    problems.push({
      file: location.file,
      path: `${location.path}.url`,
      message: `expected an http:// or https:// URL such as http://localhost:8086, found "${url}"`,
    });
  }
  if (options.api === 'v1' && token && !token.includes(':')) {
    problems.push({
      file: location.file,
      path: `${location.path}.token`,
      message: 'with api: v1 the token is username:password (InfluxDB 1.x users); API tokens need api: v2',
    });
  }
  let plan: LinePlan | undefined;
  try {
    plan = planColumns(options, context);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length || !plan || !url) throw new ConfigError(problems);

  return {
    target: { api: options.api, url: url.replace(/\/+$/, ''), bucket: options.bucket, org },
    token,
    plan,
    batchSize: options.batchSize,
    concurrency: options.concurrency,
    gzip: options.gzip,
    maxRetries: options.maxRetries,
    retry: { initialDelayMs: options.backoff.initial, maxDelayMs: options.backoff.max },
    timeoutMs: options.timeout,
  };
}
