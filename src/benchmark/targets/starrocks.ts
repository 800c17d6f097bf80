/**
 * The `starrocks` sink's bench target: the sink's Stream Load path (labels, 100-continue, the FE's redirect to a BE).
 * Tables are made and read back over the MySQL port of the connection (`feHost:mysqlPort`).
 *
 * On this machine StarRocks cannot run: `npm run services -- up starrocks-peer` runs the Stream Load test peer
 * (test/support/starrocks-peer), an FE and a BE on loopback that store the rows in MariaDB tables of the same
 * database and name. The peer has no MySQL port of its own, so the profile's mysqlPort points at that MariaDB
 * (STARROCKS_MYSQL_PORT=3307, STARROCKS_DATABASE=streamlab): when the MySQL port answers as MariaDB, the target
 * makes a keyless MariaDB table (a duplicate-key table's semantics: a row loaded twice shows twice) and reports no
 * bytes on disk, since MariaDB's are not StarRocks'. Against a real StarRocks (VERSION() is not MariaDB) it makes a
 * duplicate-key table with `replication_num` 1 and also reports no bytes on disk (not measured yet).
 */
import type mysql from 'mysql2/promise';
import { qualifiedName, quoteIdentifier } from '../../connectors/mysql/identifiers.js';
import { mysqlType } from '../../sinks/mysql/ddl.js';
import { duplicateKeyTableSql } from '../../sinks/starrocks/ddl.js';
import type { BenchTarget, Destination, DestinationSpec, SinkConnection, TargetSession } from '../target.js';
import { TargetError } from '../target.js';
import { mysqlServerVersion } from './mysql.js';
import { primaryKeyOf } from './mysql-table.js';
import { bareStreamLoadBaseline, type StreamLoadEndpoint } from './starrocks-stream-load.js';
import { connectSql, countRows, dropLeftover, readBackTable, requireDatabase, type SqlServer } from './sql-table.js';

const START_PEER = 'npm run services -- up starrocks-peer';

/** The table the bench loads into: keyless in the peer's MariaDB, duplicate-key in a real StarRocks. */
export function starrocksTableSql(database: string, spec: DestinationSpec, overPeer: boolean): string {
  if (overPeer) {
    const lines = spec.schema.map((c) => `  ${quoteIdentifier(c.name)} ${mysqlType(c.type, false)}`);
    return `CREATE TABLE ${qualifiedName(database, spec.name)} (\n${lines.join(',\n')}\n)`;
  }
  const key = primaryKeyOf(spec);
  return duplicateKeyTableSql({
    database,
    table: spec.name,
    columns: spec.schema.map((c) => ({ table: c.name, source: c.name, type: c.type })),
    duplicateKey: key,
    distributedBy: [key[0]],
    replicationNum: 1,
  });
}

/** Asks the FE for a label's state: any StarRocks-shaped answer means the FE is up and the credentials work. */
async function probeFe(endpoint: StreamLoadEndpoint): Promise<void> {
  const address = `${endpoint.feHost}:${endpoint.httpPort}`;
  let response: Response;
  try {
    response = await fetch(`http://${address}/api/${endpoint.database}/get_load_state?label=sb-probe`, {
      headers: { Authorization: `Basic ${Buffer.from(`${endpoint.user}:${endpoint.password}`).toString('base64')}` },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new TargetError(
      `cannot reach the StarRocks FE at http://${address} (${code}): is it up? Start the test peer with \`${START_PEER}\`, or point the profile (STARROCKS_FE_HOST, STARROCKS_HTTP_PORT) at your StarRocks`,
    );
  }
  const text = await response.text();
  if (response.status === 401)
    throw new TargetError(`the StarRocks FE at http://${address} refused user '${endpoint.user}': ${text.slice(0, 200)}`);
  if (/unknown database/i.test(text)) {
    throw new TargetError(
      `database '${endpoint.database}' does not exist at the StarRocks FE http://${address}: create it or set STARROCKS_DATABASE`,
    );
  }
}

async function serverVersionOf(admin: mysql.Connection): Promise<{ overPeer: boolean; serverVersion: string }> {
  const [[{ version }]] = (await admin.query('SELECT VERSION() AS version')) as unknown as [[{ version: string }]];
  if (/mariadb/i.test(version))
    return { overPeer: true, serverVersion: `StarRocks Stream Load test peer over ${mysqlServerVersion(version)}` };
  const [[{ current }]] = (await admin.query('SELECT current_version() AS current')) as unknown as [[{ current: string }]];
  return { overPeer: false, serverVersion: `StarRocks ${current}` };
}

/** The sink's connection as the FE's HTTP endpoint and the MySQL-protocol server tables are made and read on. */
function endpointsOf(connection: SinkConnection): { endpoint: StreamLoadEndpoint; sql: SqlServer } {
  const endpoint: StreamLoadEndpoint = {
    feHost: String(connection.feHost ?? '127.0.0.1'),
    httpPort: Number(connection.httpPort ?? 8030),
    user: String(connection.user ?? 'root'),
    password: String(connection.password ?? ''),
    database: String(connection.database),
  };
  const sql: SqlServer = {
    host: endpoint.feHost,
    port: Number(connection.mysqlPort ?? 9030),
    user: endpoint.user,
    password: endpoint.password,
    howToStart:
      "The test peer keeps its rows in MariaDB: start it with `npm run services -- up mariadb` and set STARROCKS_MYSQL_PORT to its port (3307); against a real StarRocks, STARROCKS_MYSQL_PORT is the FE's query_port",
  };
  return { endpoint, sql };
}

async function openStarRocks(connection: SinkConnection): Promise<TargetSession> {
  const { endpoint, sql } = endpointsOf(connection);
  const admin = await connectSql(sql);
  let overPeer: boolean;
  let serverVersion: string;
  try {
    await requireDatabase(admin, endpoint.database, sql, "set the profile's database (STARROCKS_DATABASE)");
    ({ overPeer, serverVersion } = await serverVersionOf(admin));
    await probeFe(endpoint);
  } catch (error) {
    admin.destroy();
    throw error;
  }
  const { database } = endpoint;

  const prepare = async (spec: DestinationSpec): Promise<Destination> => {
    await dropLeftover(admin, database, spec, sql);
    await admin.query(starrocksTableSql(database, spec, overPeer));
    return {
      // Labels start with the table's name (instead of the job's): each load in the FE's log names its run.
      sinkOptions: { table: spec.name, mode: 'stream_load', labelPrefix: spec.name },
      count: () => countRows(admin, database, spec.name),
      readBack: () => readBackTable(admin, database, spec.name, spec.checksumColumn),
      diskBytes: async () => undefined,
      drop: async () => {
        await admin.query(`DROP TABLE IF EXISTS ${qualifiedName(database, spec.name)}`);
      },
    };
  };

  return {
    serverVersion,
    ...(overPeer ? { note: 'StarRocks Stream Load test peer over MariaDB; not a StarRocks server' } : {}),
    prepare,
    baseline: bareStreamLoadBaseline(endpoint),
    close: () => admin.end().catch(() => admin.destroy()),
  };
}

export const starrocksTarget: BenchTarget = {
  sink: 'starrocks',
  profile: 'starrocks',
  service: 'starrocks-peer',
  open: openStarRocks,
};
