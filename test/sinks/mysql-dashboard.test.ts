/**
 * The sensor dashboard (grafana/dashboards/sensor.json) against the jobs that feed it and the real MariaDB.
 *
 * 1. Names: every query uses a data source of grafana/provisioning/datasources/mysql.yaml (through the dashboard's
 *    `datasource` variable), reads the table the sensor jobs write, and names only columns they write, read from the
 *    job files themselves.
 * 2. Live: a minute of readings written through the sensor-mysql job's own sink settings, then every query run the
 *    way Grafana's MySQL data source runs it (its macros expanded as pkg/tsdb/mysql/macros.go does:
 *    `$__timeGroupAlias(c, 5s)` -> `UNIX_TIMESTAMP(c) DIV 5 * 5 AS "time"`, `$__timeFilter(c)` ->
 *    `c BETWEEN FROM_UNIXTIME(from) AND FROM_UNIXTIME(to)`, in a UTC session) must return exactly the expected
 *    numbers. StarRocks runs the same SQL through its MySQL port; that has not been tried here.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import mysql from 'mysql2/promise';
import { VirtualTimeScheduler } from 'rxjs';
import { parse as parseYaml } from 'yaml';
import { buildJob } from '../../src/config/build-job.js';
import { loadJob } from '../../src/config/load-job.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';
import { SensorSource } from '../../src/sources/sensor.js';
import { service } from '../support/services.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The parts of the dashboard's JSON these checks read. */
interface Dashboard {
  panels: {
    title: string;
    datasource?: { uid?: string; type?: string };
    targets?: { datasource?: { uid?: string; type?: string }; format: string; rawSql: string }[];
  }[];
  templating: { list: { name: string; type: string; query: string; current: { value: string } }[] };
}

const dashboard: Dashboard = JSON.parse(readFileSync(join(repoRoot, 'grafana/dashboards/sensor.json'), 'utf8'));
const datasources = parseYaml(readFileSync(join(repoRoot, 'grafana/provisioning/datasources/mysql.yaml'), 'utf8')).datasources as Array<{
  uid: string;
  type: string;
}>;

interface Query {
  panel: string;
  format: string;
  sql: string;
}

const queries: Query[] = dashboard.panels.flatMap((panel) =>
  (panel.targets ?? []).map((target) => {
    assert.equal(
      target.datasource?.uid ?? panel.datasource?.uid,
      '${datasource}',
      `"${panel.title}" uses the dashboard's datasource variable`,
    );
    assert.equal(target.datasource?.type ?? panel.datasource?.type, 'mysql');
    return { panel: panel.title, format: target.format, sql: target.rawSql };
  }),
);

/** The table and columns the sensor jobs write (their files, profiles with defaults, no environment). */
function jobOutputs() {
  return ['sensor-mysql', 'sensor-starrocks'].map((name) => {
    const options = loadJob(name, { cwd: repoRoot, env: {} }).sink.options as { table: string; columns: Record<string, string> };
    return { name, table: options.table, columns: Object.keys(options.columns) };
  });
}

describe('Grafana sensor dashboard names what the sensor jobs write', () => {
  it('its datasource variable offers the provisioned MySQL-protocol data sources, StarRocks first', () => {
    assert.deepEqual(
      datasources.map((d) => [d.uid, d.type]),
      [
        ['streamlab-starrocks', 'mysql'],
        ['streamlab-mysql', 'mysql'],
      ],
    );
    const variable = dashboard.templating.list.find((v) => v.name === 'datasource');
    assert.ok(variable, 'the dashboard has a datasource variable');
    assert.equal(variable.type, 'datasource');
    assert.equal(variable.query, 'mysql');
    assert.equal(variable.current.value, 'streamlab-starrocks');
    assert.equal(queries.length, 4);
  });

  it("every query reads the jobs' table and only their columns", () => {
    const outputs = jobOutputs();
    assert.deepEqual(
      outputs.map((o) => [o.name, o.table, o.columns]),
      [
        ['sensor-mysql', 'sensor_data', ['sensor_id', 'ts', 'temperature', 'humidity']],
        ['sensor-starrocks', 'sensor_data', ['sensor_id', 'ts', 'temperature', 'humidity']],
      ],
    );
    const columns = new Set(outputs[0].columns);
    for (const { panel, sql } of queries) {
      const tables = [...sql.matchAll(/\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
      assert.ok(tables.length > 0 && tables.every((t) => t === 'sensor_data'), `"${panel}" reads ${tables}`);
      // Every other word of the query is SQL, a macro, an alias it defines, or a column the jobs write.
      const words =
        sql
          .replace(/'[^']*'/g, '')
          .replace(/\$__\w+/g, '')
          .match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
      const sqlWords = new Set([
        'SELECT',
        'AS',
        'FROM',
        'WHERE',
        'GROUP',
        'BY',
        'ORDER',
        'JOIN',
        'ON',
        'AND',
        'CONCAT',
        'AVG',
        'MAX',
        'COUNT',
        'sensor_data',
      ]);
      const aliases = new Set(['metric', 'value', 'readings', 's', 'latest']);
      const unknown = words.filter((w) => !sqlWords.has(w) && !aliases.has(w) && !columns.has(w));
      assert.deepEqual(unknown, [], `"${panel}" names only the jobs' columns`);
    }
    // Both measures are charted.
    assert.ok(queries.some((q) => /AVG\(temperature\)/.test(q.sql)) && queries.some((q) => /AVG\(humidity\)/.test(q.sql)));
  });
});

const mariadb = service('mariadb');

/** Grafana's MySQL macros, as pkg/tsdb/mysql/macros.go expands them, and $__interval. */
function expand(sql: string, from: number, to: number, intervalSeconds: number): string {
  return sql
    .replaceAll('$__interval', `${intervalSeconds}s`)
    .replace(
      /\$__timeGroupAlias\(([^,]+),\s*(\d+)s\)/g,
      (_m, column: string, seconds: string) => `UNIX_TIMESTAMP(${column}) DIV ${seconds} * ${seconds} AS "time"`,
    )
    .replace(
      /\$__timeFilter\(([^)]+)\)/g,
      (_m, column: string) => `${column} BETWEEN FROM_UNIXTIME(${Math.floor(from / 1000)}) AND FROM_UNIXTIME(${Math.floor(to / 1000)})`,
    );
}

describeOrSkip('Grafana sensor dashboard queries against MariaDB', { skip: mariadb.skip }, () => {
  const table = `sensor_dash_${process.pid}`;
  const start = Date.UTC(2026, 10, 23, 9, 0, 0);
  let connection: mysql.Connection;
  let rows: Row[];

  before(async () => {
    // The sensor-mysql job's own sink (profile, columns, create), pointed at this MariaDB and a table of our own.
    const job = loadJob('sensor-mysql', {
      cwd: repoRoot,
      env: { MYSQL_HOST: mariadb.host, MYSQL_PORT: String(mariadb.port), MYSQL_DATABASE: 'streamlab', SENSOR_TABLE: table },
    });
    const sink = buildJob(job).query.sink;
    const source = new SensorSource(3, 1000);
    await source.open({ scheduler: new VirtualTimeScheduler(), logger: silentLogger, metadata: { startTimeMs: start } });
    rows = source.getBatch(null, 60);
    await sink.open({ queryId: randomUUID(), queryName: 'sensor-mysql', outputMode: 'append', logger: silentLogger });
    await sink.foreachBatch(rows, 0);
    await sink.close();
    connection = await mysql.createConnection({
      host: mariadb.host,
      port: mariadb.port,
      user: 'root',
      database: 'streamlab',
      timezone: 'Z',
      dateStrings: false,
    });
    await connection.query("SET time_zone = '+00:00'"); // the data sources' session time zone
  });

  after(async () => {
    await connection?.query(`DROP TABLE IF EXISTS ${table}`);
    await connection?.end();
  });

  const run = async (query: Query, from: number, to: number) => {
    const sql = expand(query.sql, from, to, 10).replace(/\bsensor_data\b/g, table);
    const [result] = await connection.query(sql);
    return (result as mysql.RowDataPacket[]).map((r) => ({ ...r }));
  };

  for (const [title, column] of [
    ['Temperature per sensor', 'temperature'],
    ['Humidity per sensor', 'humidity'],
  ] as const) {
    it(`"${title}": one series per sensor, the mean of each 10 s interval, sorted by time`, async () => {
      const query = queries.find((q) => q.panel === title)!;
      assert.equal(query.format, 'time_series');
      const result = await run(query, start, start + 60_000);
      const expected = new Map<string, { time: number; metric: string; sum: number; n: number }>();
      for (const row of rows) {
        const time = Math.floor((row.timestamp as Date).getTime() / 1000 / 10) * 10;
        const key = `${time}/${row.sensor_id}`;
        const entry = expected.get(key) ?? { time, metric: `sensor ${row.sensor_id}`, sum: 0, n: 0 };
        entry.sum += row[column] as number;
        entry.n++;
        expected.set(key, entry);
      }
      const want = [...expected.values()].map((e) => ({ time: e.time, metric: e.metric, value: Math.round((e.sum / e.n) * 1e9) / 1e9 }));
      const got = result.map((r) => ({ time: Number(r.time), metric: r.metric, value: Math.round(Number(r.value) * 1e9) / 1e9 }));
      assert.deepEqual(
        got.map((g) => g.time),
        [...got.map((g) => g.time)].sort((a, b) => a - b),
        'sorted by time',
      );
      const byKey = (list: typeof want) => [...list].sort((a, b) => a.time - b.time || a.metric.localeCompare(b.metric));
      assert.deepEqual(byKey(got), byKey(want));
      assert.equal(want.length, 6 * 3, 'six intervals of three sensors');
    });
  }

  it('"Latest reading per sensor": the last tick in the range, one row per sensor', async () => {
    const result = await run(queries.find((q) => q.panel === 'Latest reading per sensor')!, start, start + 30_000);
    // The range ends at second 30 inclusive (BETWEEN): tick 30 is the latest.
    assert.deepEqual(
      result,
      rows
        .filter((r) => (r.timestamp as Date).getTime() === start + 30_000)
        .map((r) => ({ sensor_id: r.sensor_id, ts: r.timestamp, temperature: r.temperature, humidity: r.humidity })),
    );
  });

  it('"Readings in range": every row in the range, counted once', async () => {
    const [{ readings }] = await run(queries.find((q) => q.panel === 'Readings in range')!, start, start + 59_000);
    assert.equal(Number(readings), 180);
  });
});
