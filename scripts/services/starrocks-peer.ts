/**
 * The StarRocks Stream Load test peer (test/support/starrocks-peer) as a server: an FE and a BE on loopback that
 * speak StarRocks' Stream Load protocol and store the rows in the MariaDB of these scripts (tables of the same
 * database and name, which must exist there; transactions in `starrocks_peer.txns`). StarRocks itself cannot run on
 * these machines; this is what the starrocks sink and `streamlab bench --sinks starrocks` load into here. It has no
 * MySQL port: read the rows, and create the tables, in MariaDB.
 *
 * It needs mariadb up first (`npm run services -- up mariadb starrocks-peer` starts both, in that order) and the
 * compiled peer (`npm run services` compiles the project before it runs).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SetupError } from './errors.js';
import { repoRoot, serviceDir } from './paths.js';
import { isAlive, readRecord } from './process.js';
import { withTimeout } from './ready.js';
import type { Server, ServerContext } from './server.js';

const PEER_MAIN = join(repoRoot, 'dist', 'test', 'support', 'starrocks-peer', 'main.js');

/** The address of the mariadb these scripts run, or a SetupError saying to start it. */
function mariadbAddress(): string {
  const record = readRecord(serviceDir('mariadb'));
  if (!record || !isAlive(record)) {
    throw new SetupError(
      'starrocks-peer needs mariadb, which is not running: the peer stores its rows and transactions there',
      'npm run services -- up mariadb starrocks-peer',
    );
  }
  return record.address;
}

export const starrocksPeer: Server = {
  name: 'starrocks-peer',
  summary: 'StarRocks Stream Load test peer (FE + BE, rows stored in mariadb, which it needs up): the starrocks sink',
  envKey: 'STREAMLAB_TEST_STARROCKS',
  ports: [
    { key: 'fe', env: 'STREAMLAB_STARROCKS_PEER_FE_PORT', default: 18030 },
    { key: 'be', env: 'STREAMLAB_STARROCKS_PEER_BE_PORT', default: 18040 },
  ],
  readyTimeoutMs: 30_000,
  stopSignal: 'SIGTERM',
  stopTimeoutMs: 10_000,

  install() {
    if (!existsSync(PEER_MAIN)) throw new SetupError(`starrocks-peer: ${PEER_MAIN} is missing`, 'compile first: npx tsc -p tsconfig.json');
  },

  prepare(ctx) {
    const mariadb = mariadbAddress();
    return {
      command: process.execPath,
      args: [PEER_MAIN, '--serve', '--fe-port', String(ctx.ports.fe), '--be-port', String(ctx.ports.be)],
      // The peer finds MariaDB as the tests do (test/support/services.ts): this variable comes before .services/env.
      env: { ...process.env, STREAMLAB_TEST_MARIADB: mariadb },
    };
  },

  /** A label lookup: the FE authenticates, then asks the store in MariaDB, so an answer means both work. */
  async probe(ctx: ServerContext) {
    const url = `http://${ctx.host}:${ctx.ports.fe}/api/streamlab/get_load_state?label=services-probe`;
    const response = await withTimeout(
      fetch(url, { headers: { Authorization: `Basic ${Buffer.from('root:').toString('base64')}` } }),
      5000,
      url,
    );
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET ${url}: HTTP ${response.status} ${text.slice(0, 200)}`);
  },
};
