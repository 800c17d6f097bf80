/**
 * MariaDB 10.11 from Debian's mariadb-server: the MySQL side of the `mysql` sink and of StarRocks' MySQL protocol.
 *
 * A private datadir made by `mariadb-install-db --no-defaults` (so nothing in /etc/mysql applies), its own port
 * and socket, root without a password (authentication method "normal" instead of Debian's unix_socket, which a
 * TCP client could not use), and a `streamlab` database.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { ensureDebianPackages } from './apt.js';
import { withTimeout } from './ready.js';
import type { Server, ServerContext } from './server.js';
import { runLogged } from './shell.js';

/** Unix socket paths are limited to 107 bytes; deep checkouts fall back to one in the temp dir. */
function socketPath(ctx: ServerContext): string {
  const inTree = join(ctx.dir, 'mariadb.sock');
  return inTree.length < 100 ? inTree : join(tmpdir(), `streamlab-mariadb-${ctx.ports.sql}.sock`);
}

async function query(ctx: ServerContext, sql: string): Promise<unknown> {
  const connection = await mysql.createConnection({ host: ctx.host, port: ctx.ports.sql, user: 'root', connectTimeout: 2000 });
  try {
    const [rows] = await connection.query(sql);
    return rows;
  } finally {
    await connection.end();
  }
}

export const mariadb: Server = {
  name: 'mariadb',
  summary: 'MariaDB 10.11 (Debian): the mysql sink, and the MySQL-protocol side of StarRocks',
  envKey: 'STREAMLAB_TEST_MARIADB',
  ports: [{ key: 'sql', env: 'STREAMLAB_MARIADB_PORT', default: 3307 }],
  readyTimeoutMs: 60_000,
  stopSignal: 'SIGTERM',
  stopTimeoutMs: 30_000,

  install() {
    ensureDebianPackages(['mariadb-server'], 'mariadb');
  },

  prepare(ctx) {
    const data = join(ctx.dir, 'data');
    const tmp = join(ctx.dir, 'tmp');
    mkdirSync(tmp, { recursive: true });
    // mariadbd refuses to run as root unless told to; as another user it runs as that user.
    const user = userInfo().username;
    if (!existsSync(join(data, 'mysql'))) {
      runLogged(
        'initialising the MariaDB data directory',
        'mariadb-install-db',
        [
          '--no-defaults',
          `--datadir=${data}`,
          `--user=${user}`,
          '--auth-root-authentication-method=normal',
          '--skip-test-db',
          '--skip-name-resolve',
        ],
        { why: 'mariadb-install-db, first start only' },
      );
    }
    return {
      command: '/usr/sbin/mariadbd',
      args: [
        '--no-defaults',
        `--datadir=${data}`,
        `--tmpdir=${tmp}`,
        `--user=${user}`,
        `--port=${ctx.ports.sql}`,
        `--bind-address=${ctx.host}`,
        `--socket=${socketPath(ctx)}`,
        `--pid-file=${join(ctx.dir, 'mariadbd.pid')}`,
        '--skip-name-resolve',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_general_ci',
        '--innodb-buffer-pool-size=128M',
        '--max-connections=200',
      ],
    };
  },

  async probe(ctx) {
    await withTimeout(query(ctx, 'SELECT VERSION()'), 5000, 'SELECT VERSION()');
  },

  async afterReady(ctx) {
    await query(ctx, 'CREATE DATABASE IF NOT EXISTS streamlab');
  },
};
