/**
 * The influxdb bench target. A destination is a fresh database named after the run (`sb_tsbs_cpu_3`) holding one
 * measurement of the same name: a database per run isolates runs completely, DROP DATABASE removes every trace, and
 * the server's shard statistics give its bytes on disk exactly. The database is created with a retention policy
 * named `streamlab_bench` (duration INF, so old workload times are kept): that name marks it as the bench's, so a
 * leftover of an interrupted run is dropped and anybody else's database of that name is refused.
 *
 * Works with InfluxDB 1.x: the v2 API of 1.8 (profile `influxdb`, server influxdb18; the bucket is the database)
 * and the v1 API of 1.6/1.7 (profile `influxdb-v1`, server influxdb1). Read-back is InfluxQL over `/query`.
 */
import type { BenchTarget, Destination, DestinationSpec, SinkConnection, TargetSession } from '../target.js';
import { TargetError } from '../target.js';
import { lineProtocolBaseline } from './influxdb-baseline.js';
import { influxFields } from './influxdb-fields.js';
import { ident, type InfluxApi, InfluxServer } from './influxdb-server.js';

/** The retention policy that marks a database as made by the bench. */
export const BENCH_RETENTION_POLICY = 'streamlab_bench';

/** The sink's own defaults (src/sinks/influxdb/options.ts), for a connection that does not set them. */
const SINK_DEFAULTS = { batchSize: 5000, concurrency: 2, gzip: false };

export const influxdbTarget: BenchTarget = {
  sink: 'influxdb',
  profile: 'influxdb',
  service: 'influxdb18',
  async open(connection) {
    const server = connect(connection);
    const serverVersion = await server.version();
    const session: TargetSession = {
      serverVersion,
      prepare: (spec) => prepare(server, spec),
      baseline: lineProtocolBaseline(server, {
        batchSize: numberOr(connection.batchSize, SINK_DEFAULTS.batchSize),
        concurrency: numberOr(connection.concurrency, SINK_DEFAULTS.concurrency),
        gzip: connection.gzip === true,
      }),
      close: async () => {},
    };
    return session;
  },
};

function connect(connection: SinkConnection): InfluxServer {
  const api: InfluxApi = connection.api === 'v1' ? 'v1' : 'v2';
  const service = api === 'v1' ? 'influxdb1' : 'influxdb18';
  if (typeof connection.url !== 'string' || connection.url === '') {
    const why = connection.iniFile ? ` (the bench does not read iniFile ${String(connection.iniFile)})` : '';
    throw new TargetError(`influxdb: the sink's connection has no url${why}: set url (INFLUX_URL), e.g. with the influxdb profile`);
  }
  const token = typeof connection.token === 'string' && connection.token !== '' ? connection.token : undefined;
  return new InfluxServer(connection.url.replace(/\/+$/, ''), api, token, service);
}

const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);

async function prepare(server: InfluxServer, spec: DestinationSpec): Promise<Destination> {
  const db = spec.name;
  const databases = (await server.query('SHOW DATABASES'))[0]?.values.map((v) => String(v[0])) ?? [];
  if (databases.includes(db)) {
    const policies = (await server.query(`SHOW RETENTION POLICIES ON ${ident(db)}`))[0]?.values.map((v) => String(v[0])) ?? [];
    if (!policies.includes(BENCH_RETENTION_POLICY)) {
      const measurements = (await server.query('SHOW MEASUREMENTS', db))[0]?.values.map((v) => String(v[0])) ?? [];
      throw new TargetError(
        `InfluxDB at ${server.url}: database "${db}" exists and was not made by streamlab bench (it has no retention policy "${BENCH_RETENTION_POLICY}"; ` +
          `measurements: ${measurements.join(', ') || 'none'}). The bench does not drop it: drop it yourself or run on another server`,
      );
    }
    await server.query(`DROP DATABASE ${ident(db)}`);
  }
  await server.query(`CREATE DATABASE ${ident(db)} WITH DURATION INF NAME ${ident(BENCH_RETENTION_POLICY)}`);
  return destination(server, spec);
}

function destination(server: InfluxServer, spec: DestinationSpec): Destination {
  const db = spec.name;
  const from = `FROM ${ident(db)}`;
  const checksum = ident(spec.checksumColumn);
  return {
    sinkOptions: {
      bucket: db,
      measurement: db,
      tags: spec.keyColumns,
      time: spec.timeColumn,
      fields: influxFields(spec).map((c) => c.name),
    },
    // count(field) counts the points that have the field: every row has its checksum.
    count: async () => Number((await server.query(`SELECT count(${checksum}) ${from}`, db))[0]?.values[0]?.[1] ?? 0),
    async readBack() {
      const row = (await server.query(`SELECT count(${checksum}), sum(${checksum}) ${from}`, db))[0]?.values[0];
      return { rows: Number(row?.[1] ?? 0), checksum: Number(row?.[2] ?? 0) };
    },
    async diskBytes() {
      // Shard diskBytes = its TSM files + its WAL segments (not yet compacted points are in the WAL); the
      // database's series file and index are not counted. Read over HTTP, so it works for remote servers too.
      let bytes = 0;
      for (const shard of await server.query(`SHOW STATS FOR 'shard'`)) {
        if (shard.tags?.database !== db) continue;
        const at = shard.columns.indexOf('diskBytes');
        bytes += Number(shard.values[0]?.[at] ?? 0);
      }
      return bytes;
    },
    drop: async () => {
      await server.query(`DROP DATABASE ${ident(db)}`);
    },
  };
}
