/**
 * InfluxDB 1.6.7 from Debian's `influxdb` package (bookworm serves 1.6.7~rc0-1): the 1.x API only, i.e. `/write`
 * with line protocol and `/query` with InfluxQL; its `/api/v2/write` answers 404. The InfluxDB sink's v1 mode is
 * tested against it.
 */
import { ensureDebianPackages } from './apt.js';
import { influxQL, writeInfluxConfig } from './influxdb-common.js';
import type { Server } from './server.js';

export const influxdb1: Server = {
  name: 'influxdb1',
  summary: 'InfluxDB 1.6.7 (Debian): the 1.x API (/write, /query with InfluxQL)',
  envKey: 'STREAMLAB_TEST_INFLUXDB1',
  ports: [
    { key: 'http', env: 'STREAMLAB_INFLUXDB1_PORT', default: 8186 },
    { key: 'rpc', env: 'STREAMLAB_INFLUXDB1_RPC_PORT', default: 8188 },
  ],
  readyTimeoutMs: 60_000,
  stopSignal: 'SIGTERM',
  stopTimeoutMs: 30_000,

  install() {
    ensureDebianPackages(['influxdb'], 'influxdb1');
  },

  prepare(ctx) {
    return { command: '/usr/bin/influxd', args: ['run', '-config', writeInfluxConfig(ctx)] };
  },

  async probe(ctx) {
    await influxQL(ctx, 'SHOW DATABASES');
  },

  async afterReady(ctx) {
    await influxQL(ctx, 'CREATE DATABASE streamlab');
  },
};
