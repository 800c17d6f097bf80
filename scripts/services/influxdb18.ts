/**
 * InfluxDB 1.8.10 built from the Go module proxy, run with Flux enabled: the 2.x compatibility API that
 * @influxdata/influxdb-client speaks (`/api/v2/write` with bucket `db` or `db/rp`, `/api/v2/query` with Flux,
 * `/health`; with auth off any token is accepted). The InfluxDB sink's v2 mode is tested against it.
 * Buckets are databases, created with InfluxQL; `streamlab` exists after `up`.
 */
import { goBinary } from './golang.js';
import { influxQL, writeInfluxConfig } from './influxdb-common.js';
import { withTimeout } from './ready.js';
import type { Server } from './server.js';

const VERSION = '1.8.10';

const program = {
  module: 'github.com/influxdata/influxdb',
  version: `v${VERSION}`,
  pkg: 'cmd/influxd',
  binary: 'influxd',
  title: `InfluxDB ${VERSION}`,
  // Without these the binary reports version "unknown" in /ping and /health.
  ldflags: `-X main.version=${VERSION} -X main.branch=${VERSION} -X main.commit=v${VERSION}`,
};

export const influxdb18: Server = {
  name: 'influxdb18',
  summary: 'InfluxDB 1.8.10 (built with Go, Flux on): the 2.x API (/api/v2/write, /api/v2/query, /health)',
  envKey: 'STREAMLAB_TEST_INFLUXDB18',
  ports: [
    { key: 'http', env: 'STREAMLAB_INFLUXDB18_PORT', default: 8187 },
    { key: 'rpc', env: 'STREAMLAB_INFLUXDB18_RPC_PORT', default: 8189 },
  ],
  readyTimeoutMs: 60_000,
  stopSignal: 'SIGTERM',
  stopTimeoutMs: 30_000,

  install() {
    goBinary(program);
  },

  prepare(ctx) {
    const config = writeInfluxConfig(ctx, ['flux-enabled = true']);
    return { command: goBinary(program), args: ['run', '-config', config] };
  },

  async probe(ctx) {
    const health = await withTimeout(fetch(`http://${ctx.host}:${ctx.ports.http}/health`), 5000, 'GET /health');
    if (!health.ok) throw new Error(`GET /health: HTTP ${health.status}`);
    await influxQL(ctx, 'SHOW DATABASES');
  },

  async afterReady(ctx) {
    await influxQL(ctx, 'CREATE DATABASE streamlab');
  },
};
