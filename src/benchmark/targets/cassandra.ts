/**
 * The bench target of the `cassandra` sink. Per run, a fresh table in the profile's keyspace, created here from the
 * run's spec (cassandra/table.ts: PRIMARY KEY ((<keyColumns>), <timeColumn>), TSBS's series-per-partition layout)
 * so that the sink and the baseline write into identical tables; the sink only gets `table`.
 *
 * - readBack and count: exact, by token-range aggregates on the server (cassandra/read-back.ts). count() is the
 *   same scan without the SUM: exact, but Cassandra reads every row to count them, about 1 s per 100k rows on the
 *   shared 2-core machine (1M rows: 10-11 s for either), so a freshness sample includes that time.
 * - diskBytes: SSTable bytes after a flush, for a server on this machine; undefined for one elsewhere
 *   (cassandra/disk.ts).
 * - baseline: hand-written unlogged batches of one partition's rows, many in flight (cassandra/baseline.ts).
 * - drop: DROP TABLE, then the snapshot Cassandra keeps of a dropped table is deleted when it is on this machine.
 */
import cassandra from 'cassandra-driver';
import type { Row } from '../../core/row.js';
import { clientOptions, connectionConfig, type ConnectionConfig } from '../../connectors/cassandra/connection.js';
import type { ConnectionOptions } from '../../connectors/cassandra/connection-options.js';
import { describeCluster, describeConnectError, describeRequestError, isAuthenticationFailure } from '../../connectors/cassandra/errors.js';
import { qualified, readable, tableName } from '../../connectors/cassandra/identifiers.js';
import {
  type BenchTarget,
  type Destination,
  type DestinationSpec,
  type SinkConnection,
  type TargetSession,
  TargetError,
} from '../target.js';
import { writePartitionBatches } from './cassandra/baseline.js';
import { flushTable, localTableDirs, removeDroppedSnapshots, sstableBytes } from './cassandra/disk.js';
import { countAndSum, countRows } from './cassandra/read-back.js';
import { type BenchTable, checkLeftover, createTableCql, designTable } from './cassandra/table.js';

/** Measured on 200k tsbs-cpu-like rows against the server of `npm run services` (cassandra/baseline.ts). */
const BASELINE = { rowsPerBatch: 100, concurrency: 64 };
const DDL: cassandra.QueryOptions = { prepare: false };

export const cassandraTarget: BenchTarget = {
  sink: 'cassandra',
  profile: 'cassandra',
  service: 'cassandra',
  open: (connection) => openSession(connection),
};

async function openSession(connection: SinkConnection): Promise<TargetSession> {
  const options = connection as unknown as ConnectionOptions;
  const config = connectionConfig(options);
  const client = await connectOnce(config);
  const at = describeCluster(config.contactPoints);
  const fail = (error: unknown, doing: string) =>
    new TargetError(`cassandra target: ${doing}: ${describeRequestError(error, config.contactPoints, config.username)}`, { cause: error });
  try {
    const version = (await client.execute('SELECT release_version FROM system.local')).first()?.get('release_version');
    if (!client.metadata.keyspaces[options.keyspace]) {
      throw new TargetError(
        `cassandra target: the keyspace ${readable(options.keyspace)} does not exist in ${at}; create it or point the profile's keyspace (CASSANDRA_KEYSPACE) at one that does (the server of \`npm run services\` has streamlab)`,
      );
    }
    return {
      serverVersion: version ? `Cassandra ${version}` : undefined,
      prepare: async (spec) => {
        const table = designTable(options.keyspace, spec);
        try {
          return await prepareTable(client, table, spec, at);
        } catch (error) {
          throw error instanceof TargetError ? error : fail(error, `preparing ${tableName(table.keyspace, table.table)}`);
        }
      },
      baseline: {
        name: `hand-written unlogged batches per partition (cassandra-driver, ${BASELINE.rowsPerBatch} rows, ${BASELINE.concurrency} in flight)`,
        write: async (batches: Row[][], _destination: Destination, spec: DestinationSpec) => {
          const table = designTable(options.keyspace, spec);
          for (const batch of batches) await writePartitionBatches(client, table, batch, BASELINE);
        },
      },
      close: () => client.shutdown(),
    };
  } catch (error) {
    await client.shutdown();
    throw error instanceof TargetError ? error : fail(error, 'reading the server version');
  }
}

/** One attempt, no retries: a server that is not up is a setup problem to report at once, with how to start it. */
async function connectOnce(config: ConnectionConfig): Promise<cassandra.Client> {
  const client = new cassandra.Client(clientOptions(config));
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.shutdown().catch(() => undefined);
    const said = describeConnectError(error, config.contactPoints, config.username);
    const start = isAuthenticationFailure(error) ? '' : ' To start the local test server: `npm run services -- up cassandra`.';
    throw new TargetError(`cassandra target: ${said}${/[.?!]$/.test(said) ? '' : '.'}${start}`, { cause: error });
  }
}

async function prepareTable(client: cassandra.Client, table: BenchTable, spec: DestinationSpec, at: string): Promise<Destination> {
  const existing = await client.metadata.getTable(table.keyspace, table.table);
  if (existing) {
    checkLeftover(table, existing, at);
    await dropTable(client, table);
  }
  await client.execute(createTableCql(table), [], DDL);
  let dirs: string[] | undefined;
  const folders = async () => {
    dirs ??= await localTableDirs(client, table);
    return dirs;
  };
  return {
    sinkOptions: { table: table.table },
    count: () => countRows(client, table),
    readBack: () => countAndSum(client, table, spec.checksumColumn),
    diskBytes: async () => {
      const here = await folders();
      if (here.length === 0) return undefined;
      await flushTable(client, table, here);
      return sstableBytes(here);
    },
    drop: async () => {
      await folders();
      await dropTable(client, table, dirs);
    },
  };
}

async function dropTable(client: cassandra.Client, table: BenchTable, known?: string[]): Promise<void> {
  const dirs = known ?? (await localTableDirs(client, table));
  await client.execute(`DROP TABLE IF EXISTS ${qualified(table.keyspace, table.table)}`, [], DDL);
  removeDroppedSnapshots(dirs);
}
