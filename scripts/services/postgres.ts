/**
 * PostgreSQL 15 from Debian: a private cluster on its own port, trust authentication on loopback, a `streamlab`
 * database. The lambda-architecture example keeps its user metadata here.
 *
 * Running as root: postgres refuses to start as root ("root" execution of the PostgreSQL server is not
 * permitted). So when we are root, initdb and the server run as the unprivileged `postgres` user that Debian's
 * package creates (or `nobody` if it is missing), and the data dir is owned by that user. That user must be able
 * to reach the data dir; when the checkout is somewhere it cannot enter (e.g. under /root, mode 700), the data
 * dir goes to a per-checkout directory under the temp dir instead, and `status` still finds it by the same rule.
 * No Unix socket is opened (TCP on 127.0.0.1 only), so socket path length and permissions never matter.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ensureDebianPackages } from './apt.js';
import { SetupError } from './errors.js';
import { withTimeout } from './ready.js';
import type { Server, ServerContext } from './server.js';
import { capture, runLogged } from './shell.js';

const BIN = '/usr/lib/postgresql/15/bin';

interface RunAs {
  uid: number;
  gid: number;
  user: string;
}

/** The unprivileged user to run as when we are root; undefined when we are not root (run as ourselves). */
function runAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const user of ['postgres', 'nobody']) {
    const uid = capture('id', ['-u', user]);
    const gid = capture('id', ['-g', user]);
    if (uid?.status === 0 && gid?.status === 0) return { user, uid: Number(uid.stdout), gid: Number(gid.stdout) };
  }
  throw new SetupError(
    'postgres cannot run as root and neither a `postgres` nor a `nobody` user exists',
    'create one: useradd --system postgres',
  );
}

/** True when `who` can write into `dir` (and so traverse every parent of it). */
function canWrite(who: RunAs, dir: string): boolean {
  return spawnSync('test', ['-w', dir], { uid: who.uid, gid: who.gid }).status === 0;
}

/** The directory holding the cluster: `.services/postgres/`, or a temp-dir fallback the user can reach. */
function clusterBase(ctx: ServerContext, who: RunAs | undefined): string {
  mkdirSync(ctx.dir, { recursive: true });
  if (!who) return ctx.dir;
  chownSync(ctx.dir, who.uid, who.gid);
  if (canWrite(who, ctx.dir)) return ctx.dir;
  const hash = createHash('sha256').update(ctx.dir).digest('hex').slice(0, 12);
  const fallback = join(tmpdir(), `streamlab-postgres-${hash}`);
  mkdirSync(fallback, { recursive: true, mode: 0o700 });
  chownSync(fallback, who.uid, who.gid);
  return fallback;
}

async function query(ctx: ServerContext, database: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ host: ctx.host, port: ctx.ports.sql, user: 'postgres', database, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

export const postgres: Server = {
  name: 'postgres',
  summary: 'PostgreSQL 15 (Debian): SQL metadata for the lambda-architecture example',
  envKey: 'STREAMLAB_TEST_POSTGRES',
  ports: [{ key: 'sql', env: 'STREAMLAB_POSTGRES_PORT', default: 5433 }],
  readyTimeoutMs: 60_000,
  stopSignal: 'SIGINT', // "fast shutdown": SIGTERM would wait for every client to disconnect
  stopTimeoutMs: 30_000,

  install() {
    ensureDebianPackages(['postgresql-15'], 'postgres');
  },

  prepare(ctx) {
    const who = runAs();
    const data = join(clusterBase(ctx, who), 'data');
    const ids = who ? { uid: who.uid, gid: who.gid } : {};
    if (!existsSync(join(data, 'PG_VERSION'))) {
      runLogged(
        'initialising the PostgreSQL data directory',
        `${BIN}/initdb`,
        ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync'],
        {
          ...ids,
          cwd: tmpdir(),
          why: 'initdb, first start only',
        },
      );
    }
    return {
      command: `${BIN}/postgres`,
      args: [
        '-D',
        data,
        '-p',
        String(ctx.ports.sql),
        '-c',
        `listen_addresses=${ctx.host}`,
        '-c',
        'unix_socket_directories=',
        '-c',
        'shared_buffers=128MB',
        '-c',
        'max_connections=100',
      ],
      cwd: tmpdir(),
      ...ids,
    };
  },

  async probe(ctx) {
    await withTimeout(query(ctx, 'postgres', 'SELECT version()'), 5000, 'SELECT version()');
  },

  async afterReady(ctx) {
    const exists = await query(ctx, 'postgres', "SELECT 1 FROM pg_database WHERE datname = 'streamlab'");
    if (exists.rowCount === 0) await query(ctx, 'postgres', 'CREATE DATABASE streamlab');
  },
};
