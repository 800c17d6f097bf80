/**
 * The Stream Load peer as a process, to run the `sensor-starrocks` job against it by hand:
 *
 *   npm run build && node dist/test/support/starrocks-peer/main.js --serve [--fe-port 18030] [--be-port 18040]
 *   STARROCKS_HTTP_PORT=18030 STARROCKS_DATABASE=streamlab npx streamlab run sensor-starrocks
 *
 * Rows land in the MariaDB of `npm run services -- up mariadb` (or STREAMLAB_TEST_MARIADB=host:port), in the table of
 * the same database and name, which must exist there (a MariaDB CREATE TABLE: docs/starrocks.md).
 * Without --serve it does nothing: node's test runner loads every file under dist/test as a test file.
 */
import { parseArgs } from 'node:util';
import { service } from '../services.js';
import { startStarRocksPeer } from './index.js';

if (process.argv.includes('--serve')) {
  const { values } = parseArgs({
    options: {
      serve: { type: 'boolean' },
      'fe-port': { type: 'string', default: '18030' },
      'be-port': { type: 'string', default: '18040' },
    },
  });
  const mariadb = service('mariadb');
  if (mariadb.skip) {
    process.stderr.write(`${mariadb.skip}\n`);
    process.exit(2);
  }
  const peer = await startStarRocksPeer({
    mariadb: { host: mariadb.host, port: mariadb.port },
    fePort: Number(values['fe-port']),
    bePort: Number(values['be-port']),
  });
  process.stdout.write(
    `StarRocks Stream Load peer: FE http://${peer.feHost}:${peer.fePort}, BE http://${peer.beAddress}, rows into MariaDB ${mariadb.address} (user root, no password). Ctrl-C stops it.\n`,
  );
  const stop = () => void peer.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
