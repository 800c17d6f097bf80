/**
 * The influxdb sink in the conformance suite: `api: v2` against InfluxDB 1.8.10 (read back with Flux) and `api: v1`
 * against InfluxDB 1.6.7 (read back with InfluxQL). A target is a measurement in a database of this process; each
 * row is one point at its own time `at`, every other column a field (`id` too). InfluxDB keeps no null field, so a
 * null comes back as a missing field, read as null; timestamps are only point times, not fields.
 */
import type { Row } from '../../../src/core/row.js';
import type { Schema } from '../../../src/core/schema.js';
import { influxdbSink } from '../../../src/sinks/influxdb/index.js';
import { createDatabase, dropDatabase, type Point, readFlux, readInfluxQL } from '../../sinks/influxdb-fixtures/read-back.js';
import { service } from '../services.js';
import type { SinkAdapter } from '../sink-conformance.js';
import { buildContext } from './build-context.js';

const FLAVORS = {
  v2: { server: 'influxdb18', read: (url: string, db: string, m: string) => readFlux(url, `${db}/autogen`, m) },
  v1: { server: 'influxdb1', read: readInfluxQL },
} as const;

function toRow(point: Point, schema: Schema): Row {
  const row: Row = {};
  for (const column of schema) row[column.name] = column.name === 'at' ? new Date(point.time) : (point.fields[column.name] ?? null);
  const unknown = Object.keys(point.fields).filter((f) => !schema.some((c) => c.name === f));
  if (unknown.length > 0 || Object.keys(point.tags).length > 0) throw new Error(`unexpected fields or tags: ${JSON.stringify(point)}`);
  return row;
}

export function influxdbAdapter(api: 'v1' | 'v2'): SinkAdapter {
  const flavor = FLAVORS[api];
  const influx = service(flavor.server);
  const db = `conformance_${api}_${process.pid}`;
  const url = () => `http://${influx.address}`;
  let counter = 0;
  return {
    name: `influxdb api ${api} against ${flavor.server}`,
    skip: influx.skip,
    columnTypes: ['string', 'long', 'double', 'boolean'],
    setUp: () => createDatabase(url(), db),
    tearDown: () => dropDatabase(url(), db),
    async target(label, schema) {
      const measurement = `${label}_${++counter}`;
      const options = influxdbSink.options.parse({
        api,
        url: url(),
        bucket: db,
        measurement,
        time: 'at',
        fields: schema.filter((c) => c.name !== 'at').map((c) => c.name),
      });
      return {
        build: () => influxdbSink.create(options, buildContext(schema)),
        readAll: async () => (await flavor.read(url(), db, measurement)).map((p) => toRow(p, schema)),
      };
    },
  };
}
