/**
 * A private InfluxDB for one test file: the same binary and config writer as `npm run services` (InfluxDB 1.8.10
 * from scripts/services/influxdb18.ts, 1.6.7 from scripts/services/influxdb1.ts), in a temp dir, on free ports,
 * optionally with `auth-enabled = true`. Process handling (start, stop by PID, restart on its data) is
 * test/support/private-server.ts.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { influxdb1 } from '../../../scripts/services/influxdb1.js';
import { influxdb18 } from '../../../scripts/services/influxdb18.js';
import type { ServerContext } from '../../../scripts/services/server.js';
import { PrivateServer, privateContext } from '../../support/private-server.js';
import type { InfluxQLAnswer } from './read-back.js';

export type Flavor = 'influxdb18' | 'influxdb1';

export class PrivateInfluxd extends PrivateServer {
  readonly url: string;

  private constructor(
    readonly flavor: Flavor,
    readonly auth: boolean,
    ctx: ServerContext,
  ) {
    super(ctx, 20_000);
    this.url = `http://127.0.0.1:${ctx.ports.http}`;
  }

  static async create(flavor: Flavor, options: { auth?: boolean } = {}): Promise<PrivateInfluxd> {
    const server = new PrivateInfluxd(flavor, options.auth ?? false, await privateContext(`private-${flavor}`, ['http', 'rpc']));
    await server.start();
    return server;
  }

  /** Starts (or restarts, on the same data) and waits until /ping answers. */
  async start(): Promise<void> {
    const definition = this.flavor === 'influxdb18' ? influxdb18 : influxdb1;
    const launch = await definition.prepare(this.ctx); // writes <dir>/influxdb.conf, [http] last
    if (this.auth) appendFileSync(join(this.ctx.dir, 'influxdb.conf'), '  auth-enabled = true\n');
    const pings = async () => {
      const response = await fetch(`${this.url}/ping`);
      await response.arrayBuffer();
      return response.status === 204;
    };
    await this.launch({ command: launch.command, args: launch.args }, pings, 60_000, 100);
  }

  /** InfluxQL as `user` (or without credentials), times in epoch ms; reads the whole answer and throws on errors. */
  async query(q: string, credentials?: { user: string; password: string }): Promise<InfluxQLAnswer> {
    // 1.x reads u and p from the query string only, not from a form body.
    const params = new URLSearchParams({ epoch: 'ms', ...(credentials ? { u: credentials.user, p: credentials.password } : {}) });
    const response = await fetch(`${this.url}/query?${params}`, { method: 'POST', body: new URLSearchParams({ q }) });
    const text = await response.text();
    const json: Partial<InfluxQLAnswer> = text ? JSON.parse(text) : {};
    const error = json.error ?? json.results?.find((r) => r.error)?.error;
    if (!response.ok || error) throw new Error(`InfluxQL ${q}: HTTP ${response.status} ${error ?? text}`);
    return { ...json, results: json.results ?? [] };
  }
}
