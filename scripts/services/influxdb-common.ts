/**
 * What the two InfluxDB 1.x servers share: the config file (own HTTP port, own RPC bind address, own
 * meta/data/wal dirs, no phoning home, no `_internal` monitoring writes) and InfluxQL over HTTP.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTimeout } from './ready.js';
import type { ServerContext } from './server.js';

/** Writes `<dir>/influxdb.conf` and returns its path; `extraHttp` adds lines to the [http] section. */
export function writeInfluxConfig(ctx: ServerContext, extraHttp: string[] = []): string {
  const dirs = { meta: join(ctx.dir, 'meta'), data: join(ctx.dir, 'data'), wal: join(ctx.dir, 'wal') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const file = join(ctx.dir, 'influxdb.conf');
  writeFileSync(
    file,
    [
      '# Written by streamlab scripts/services on every start; edits are overwritten.',
      'reporting-disabled = true',
      `bind-address = "${ctx.host}:${ctx.ports.rpc}"`,
      '[meta]',
      `  dir = "${dirs.meta}"`,
      '[data]',
      `  dir = "${dirs.data}"`,
      `  wal-dir = "${dirs.wal}"`,
      '  query-log-enabled = false',
      '[monitor]',
      '  store-enabled = false',
      '[http]',
      '  enabled = true',
      `  bind-address = "${ctx.host}:${ctx.ports.http}"`,
      '  log-enabled = false',
      ...extraHttp.map((line) => `  ${line}`),
      '',
    ].join('\n'),
  );
  return file;
}

/** Runs InfluxQL through the 1.x `/query` endpoint (POST, so CREATE/DROP work) and fails on any error. */
export async function influxQL(ctx: ServerContext, q: string): Promise<unknown> {
  const response = await withTimeout(
    fetch(`http://${ctx.host}:${ctx.ports.http}/query`, { method: 'POST', body: new URLSearchParams({ q }) }),
    5000,
    `InfluxQL ${q}`,
  );
  const body = (await response.json()) as { results?: Array<{ error?: string }>; error?: string };
  const error = body.error ?? body.results?.find((r) => r.error)?.error;
  if (!response.ok || error) throw new Error(`InfluxQL ${q}: HTTP ${response.status} ${error ?? ''}`);
  return body;
}
