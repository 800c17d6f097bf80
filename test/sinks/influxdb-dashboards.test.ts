/**
 * The Grafana dashboards against the jobs that feed them.
 *
 * 1. Names: every InfluxDB query of every dashboard in grafana/dashboards/ names a measurement, fields and tags that
 *    a shipped job (jobs/*.yaml with an influxdb sink) writes, read from the jobs themselves, not from a list here;
 *    each such query uses a data source of grafana/provisioning/datasources/influxdb.yaml; and every field the jobs
 *    write is shown by a Flux and by an InfluxQL panel.
 * 2. Live: points written through each job's own sink settings into InfluxDB 1.8 (Flux and InfluxQL) and 1.6.7
 *    (InfluxQL), then every dashboard query run the way Grafana runs it (its macros replaced by what Grafana puts
 *    there: v.defaultBucket, v.timeRangeStart/Stop, v.windowPeriod, $timeFilter, $__interval) must return the data,
 *    one series per hostname for the telemetry panels.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { InfluxDB } from '@influxdata/influxdb-client';
import { parse as parseYaml } from 'yaml';
import { buildJob } from '../../src/config/build-job.js';
import { listYaml, loadJob } from '../../src/config/load-job.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import { InfluxDBSink, resolveConfig } from '../../src/sinks/influxdb/index.js';
import type { InfluxDBSinkOptions } from '../../src/sinks/influxdb/options.js';
import { service } from '../support/services.js';
import { createDatabase, dropDatabase, influxQL } from './influxdb-fixtures/read-back.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FLUX_UID = 'streamlab-influxdb-flux';
const INFLUXQL_UID = 'streamlab-influxdb-influxql';

interface JobOutput {
  job: string;
  measurement: string;
  tags: string[];
  fields: string[];
  options: InfluxDBSinkOptions;
  input: Schema;
}

/** What the shipped jobs write to InfluxDB, from the job files (profiles with their defaults, no environment). */
function jobOutputs(): JobOutput[] {
  const outputs: JobOutput[] = [];
  for (const name of listYaml(join(repoRoot, 'jobs'))) {
    const job = loadJob(name, { cwd: repoRoot, env: {} });
    if (job.sink.definition.type !== 'influxdb') continue;
    const built = buildJob(job);
    const { plan } = built.query.sink as InfluxDBSink;
    outputs.push({
      job: name,
      measurement: plan.measurement,
      tags: [...plan.tags],
      fields: plan.fields.map((f) => f.name),
      options: job.sink.options as InfluxDBSinkOptions,
      input: built.plan[built.plan.length - 1].schema,
    });
  }
  return outputs;
}

interface Query {
  dashboard: string;
  panel: string;
  language: 'flux' | 'influxql';
  text: string;
}

function dashboardFiles(): string[] {
  const dir = join(repoRoot, 'grafana', 'dashboards');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(dir, f));
}

/** The parts of a Grafana dashboard panel that these checks read; a collapsed row holds its panels in `panels`. */
interface Panel {
  title: string;
  datasource?: { uid?: string; type?: string };
  targets?: { datasource?: { uid?: string; type?: string }; query: string }[];
  panels?: Panel[];
}

/** Every InfluxDB query of every dashboard, collapsed rows included. */
function influxQueries(): Query[] {
  const queries: Query[] = [];
  for (const file of dashboardFiles()) {
    const dashboard: { panels: Panel[] } = JSON.parse(readFileSync(file, 'utf8'));
    const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        const uid = target.datasource?.uid ?? panel.datasource?.uid;
        const type = target.datasource?.type ?? panel.datasource?.type;
        if (type !== 'influxdb') continue;
        assert.ok(
          uid !== undefined && [FLUX_UID, INFLUXQL_UID].includes(uid),
          `${file} "${panel.title}": data source uid ${uid} is not provisioned`,
        );
        queries.push({
          dashboard: file.slice(repoRoot.length + 1),
          panel: panel.title,
          language: uid === FLUX_UID ? 'flux' : 'influxql',
          text: target.query,
        });
      }
    }
  }
  return queries;
}

interface Names {
  measurements: string[];
  fields: string[];
  tags: string[];
}

const all = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1]);

/** Measurements, fields and tags a query names. */
function namesIn(query: Query): Names {
  const { text } = query;
  if (query.language === 'flux') {
    const measurements = all(text, /r\._measurement\s*==\s*"([^"]+)"/g);
    const fields = all(text, /r\._field\s*==\s*"([^"]+)"/g);
    const lists = all(text, /(?:group\(columns|rowKey|keep\(columns):\s*\[([^\]]*)\]/g).flatMap((list) => all(list, /"([^"]+)"/g));
    return { measurements, fields, tags: lists.filter((name) => !name.startsWith('_') && !fields.includes(name)) };
  }
  const select = /^SELECT (.*) FROM "([^"]+)"/.exec(text);
  assert.ok(select, `${query.dashboard} "${query.panel}": a SELECT ... FROM "measurement"`);
  const groupBy = /GROUP BY (.*?)(?: fill\(|$)/.exec(text)?.[1] ?? '';
  return {
    measurements: [select[2]],
    fields: all(select[1].replace(/ AS "[^"]+"/g, ''), /"([^"]+)"/g),
    tags: all(groupBy, /"([^"]+)"/g),
  };
}

describe('Grafana dashboards name what the shipped jobs write', () => {
  const outputs = jobOutputs();
  const queries = influxQueries();

  it("the jobs write sys_metrics, sine-wave and trwave (the workshop's and the course's measurements)", () => {
    assert.deepEqual(outputs.map((o) => [o.job, o.measurement, o.tags, o.fields]).sort(), [
      ['kafka-sine-influxdb', 'sine-wave', [], ['value']],
      ['kafka-telemetry-influxdb', 'sys_metrics', ['hostname', 'os'], ['cpu_percent', 'mem_used_mb', 'mem_percent']],
      ['rate-triangle-influxdb', 'trwave', [], ['tr']],
      ['sine-influxdb', 'sine-wave', [], ['value']],
      ['telemetry-influxdb', 'sys_metrics', ['hostname', 'os'], ['cpu_percent', 'mem_used_mb', 'mem_percent']],
    ]);
  });

  it('every InfluxDB query names one written measurement and only its fields and tags', () => {
    assert.ok(queries.length >= 10, `found ${queries.length} queries`);
    for (const query of queries) {
      const where = `${query.dashboard} "${query.panel}" (${query.language})`;
      const names = namesIn(query);
      assert.equal(names.measurements.length, 1, `${where}: names ${names.measurements.length} measurements`);
      const output = outputs.find((o) => o.measurement === names.measurements[0]);
      assert.ok(output, `${where}: no shipped job writes measurement "${names.measurements[0]}"`);
      assert.ok(names.fields.length > 0, `${where}: names no field`);
      for (const field of names.fields)
        assert.ok(output.fields.includes(field), `${where}: ${output.job} writes no field "${field}" to ${output.measurement}`);
      for (const tag of names.tags)
        assert.ok(output.tags.includes(tag), `${where}: ${output.job} writes no tag "${tag}" to ${output.measurement}`);
    }
  });

  it('every field the jobs write is on a Flux panel and on an InfluxQL panel', () => {
    for (const output of outputs) {
      for (const field of output.fields) {
        for (const language of ['flux', 'influxql'] as const) {
          const shown = queries.some(
            (q) => q.language === language && namesIn(q).measurements[0] === output.measurement && namesIn(q).fields.includes(field),
          );
          assert.ok(shown, `${output.measurement}.${field} (job ${output.job}) is on no ${language} panel`);
        }
      }
    }
  });

  it("the data sources are provisioned with the uids the dashboards use, from the jobs' INFLUX_* variables", () => {
    const file: { datasources: { uid: string; url: string; jsonData: Record<string, string> }[] } = parseYaml(
      readFileSync(join(repoRoot, 'grafana/provisioning/datasources/influxdb.yaml'), 'utf8'),
    );
    const byUid = Object.fromEntries(file.datasources.map((d) => [d.uid, d]));
    assert.equal(byUid[FLUX_UID].jsonData.version, 'Flux');
    assert.equal(byUid[FLUX_UID].jsonData.defaultBucket, '${INFLUX_BUCKET}');
    assert.equal(byUid[INFLUXQL_UID].jsonData.version, 'InfluxQL');
    assert.equal(byUid[INFLUXQL_UID].jsonData.dbName, '${INFLUX_BUCKET}');
    for (const d of Object.values(byUid)) assert.equal(d.url, '${INFLUX_URL}');
  });

  it('the dashboards show the last 15 minutes', () => {
    for (const file of dashboardFiles().filter((f) => /telemetry|sine-triangle/.test(f))) {
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).time, { from: 'now-15m', to: 'now' }, file);
    }
  });
});

/** Sample rows for a job's sink: two hosts for the telemetry, a minute of points every 10 s. */
function sampleRows(output: JobOutput, now: number): Row[] {
  const rows: Row[] = [];
  for (let t = now - 60_000, i = 0; t <= now; t += 10_000, i++) {
    const hosts = output.tags.includes('hostname') ? ['host-a', 'host-b'] : [undefined];
    for (const [h, host] of hosts.entries()) {
      const row: Row = {};
      for (const column of output.input) {
        if (column.type === 'timestamp') row[column.name] = new Date(t);
        else if (column.name === 'hostname') row[column.name] = host ?? null;
        else if (column.type === 'string') row[column.name] = 'Linux';
        else if (column.type === 'long') row[column.name] = i;
        else row[column.name] = 10 * h + i + 0.5;
      }
      rows.push(row);
    }
  }
  return rows;
}

/** The query as Grafana sends it: its macros replaced by what Grafana puts there for "last 15 minutes". */
function asGrafanaSends(query: Query, bucket: string): string {
  return query.text
    .replaceAll('v.defaultBucket', JSON.stringify(bucket))
    .replaceAll('v.timeRangeStart', '-15m')
    .replaceAll('v.timeRangeStop', 'now()')
    .replaceAll('v.windowPeriod', '10s')
    .replaceAll('$timeFilter', 'time > now() - 15m')
    .replaceAll('$__interval', '10s');
}

for (const [server, api] of [
  ['influxdb18', 'v2'],
  ['influxdb1', 'v1'],
] as const) {
  const influx = service(server);

  describeOrSkip(`Grafana dashboard queries return the jobs' points from ${server}`, { skip: influx.skip }, () => {
    const db = `streamlab_dashboards_${api}_${process.pid}`;
    const url = () => `http://${influx.address}`;
    const outputs = jobOutputs();
    const queries = influxQueries().filter((q) => api === 'v2' || q.language === 'influxql'); // 1.6 has no Flux

    before(async () => {
      await createDatabase(url(), db);
      const now = Date.now();
      for (const output of outputs) {
        const sink = new InfluxDBSink(
          resolveConfig(
            { ...output.options, api, url: url(), bucket: db, token: undefined, org: undefined },
            { input: output.input, location: { path: 'sink' } },
          ),
        );
        await sink.open({ queryId: 'q', queryName: output.job, outputMode: 'append', logger: { info() {}, warn() {}, error() {} } });
        await sink.foreachBatch(sampleRows(output, now), 0);
        await sink.close();
      }
    });
    after(async () => {
      if (!influx.skip) await dropDatabase(url(), db);
    });

    it('every query returns data, per hostname where it groups by hostname', async () => {
      for (const query of queries) {
        const where = `${query.dashboard} "${query.panel}" (${query.language})`;
        const text = asGrafanaSends(query, db); // on 1.8 a bucket is a database; its default retention policy applies
        const hostTagged = namesIn(query).tags.includes('hostname');
        if (query.language === 'flux') {
          const rows = await new InfluxDB({ url: url(), token: 'unused' }).getQueryApi('').collectRows<Record<string, unknown>>(text);
          assert.ok(rows.length > 0, `${where}: no rows`);
          if (hostTagged) assert.deepEqual([...new Set(rows.map((r) => r.hostname))].sort(), ['host-a', 'host-b'], where);
          if (query.panel === 'Latest sample per host') {
            assert.deepEqual(rows.map((r) => [r.hostname, r.os, r.cpu_percent, r.mem_percent, r.mem_used_mb]).sort(), [
              ['host-a', 'Linux', 6.5, 6.5, 6.5],
              ['host-b', 'Linux', 16.5, 16.5, 16.5],
            ]);
          }
        } else {
          const json = await influxQL(url(), text, db);
          const series: Array<{ tags?: Record<string, string>; values: unknown[][] }> = json.results[0].series ?? [];
          assert.ok(series.length > 0 && series.every((s) => s.values.length > 0), `${where}: no data`);
          if (hostTagged) assert.deepEqual(series.map((s) => s.tags?.hostname).sort(), ['host-a', 'host-b'], where);
        }
      }
    });
  });
}
