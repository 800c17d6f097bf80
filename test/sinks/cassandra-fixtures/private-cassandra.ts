/**
 * A private Cassandra for one test file: the same jars, JVM flags and cassandra.yaml as `npm run services`
 * (scripts/services/cassandra.ts), in a temp dir, on free ports, optionally with PasswordAuthenticator (superuser
 * cassandra/cassandra). Process handling (start, stop by PID, restart on its data) is test/support/private-server.ts.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import cassandraDriver from 'cassandra-driver';
import { cassandra } from '../../../scripts/services/cassandra.js';
import type { ServerContext } from '../../../scripts/services/server.js';
import { PrivateServer, privateContext } from '../../support/private-server.js';

export const SUPERUSER = { username: 'cassandra', password: 'cassandra' };

export class PrivateCassandra extends PrivateServer {
  readonly address: string;

  private constructor(
    ctx: ServerContext,
    readonly auth: boolean,
  ) {
    super(ctx, 60_000); // Cassandra drains (flushes memtables) on SIGTERM
    this.address = `${ctx.host}:${ctx.ports.cql}`;
  }

  static async create(options: { auth?: boolean } = {}): Promise<PrivateCassandra> {
    const server = new PrivateCassandra(await privateContext('private-cassandra', ['cql', 'storage']), options.auth ?? false);
    await server.start();
    return server;
  }

  /** Starts (or restarts, on the same data) and waits until a CQL query answers; returns the time it took. */
  async start(): Promise<number> {
    const started = Date.now();
    const launch = await cassandra.prepare(this.ctx); // writes <dir>/conf/cassandra.yaml
    if (this.auth) appendFileSync(join(this.ctx.dir, 'conf', 'cassandra.yaml'), 'authenticator: PasswordAuthenticator\n');
    // Not answering yet: not listening, or the superuser is not set up yet.
    await this.launch(launch, async () => Boolean(await this.execute('SELECT release_version FROM system.local')), 180_000, 250);
    return Date.now() - started;
  }

  /** One statement on a short-lived connection (as the superuser when auth is on). */
  async execute(statement: string, params: unknown[] = []): Promise<cassandraDriver.types.ResultSet> {
    const client = new cassandraDriver.Client({
      contactPoints: [this.address],
      localDataCenter: 'datacenter1',
      ...(this.auth ? { credentials: SUPERUSER } : {}),
      socketOptions: { connectTimeout: 2000, readTimeout: 20_000 },
      // The driver's default grows to 10 minutes: a timer that would keep the test process alive that long.
      policies: { reconnection: new cassandraDriver.policies.reconnection.ConstantReconnectionPolicy(500) },
    });
    try {
      await client.connect();
      return await client.execute(statement, params, { prepare: params.length > 0 });
    } finally {
      await client.shutdown();
    }
  }
}
