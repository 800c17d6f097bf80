/**
 * Smoke test of InfluxDB 1.8.10 with Flux (`npm run services -- up influxdb18`), through the 2.x API that
 * @influxdata/influxdb-client speaks: write points to bucket `streamlab/autogen`, read them back with Flux.
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { InfluxDB, Point } from '@influxdata/influxdb-client';
import { service } from '../support/services.js';

const influx = service('influxdb18');

describeOrSkip('integration: influxdb18 (2.x API) smoke', { skip: influx.skip }, () => {
  const measurement = `smoke_${process.pid}_${Date.now()}`;
  const url = () => `http://${influx.address}`;

  after(async () => {
    if (influx.skip) return;
    const q = `DROP MEASUREMENT "${measurement}"`;
    await fetch(`${url()}/query?db=streamlab`, { method: 'POST', body: new URLSearchParams({ q }) }).catch(() => undefined);
  });

  it('answers /health', async () => {
    const health = (await (await fetch(`${url()}/health`)).json()) as { status: string; version: string };
    assert.equal(health.status, 'pass');
    assert.equal(health.version, '1.8.10');
  });

  it('stores points written with the v2 client and returns them through Flux', async () => {
    // Auth is off: 1.8 accepts any token (with auth on it would be "user:password").
    const client = new InfluxDB({ url: url(), token: 'streamlab:unused' });
    const points = [
      { time: '2024-05-01T10:00:00.000Z', host: 'a', value: 1.5 },
      { time: '2024-05-01T10:00:01.000Z', host: 'b', value: -2.25 },
      { time: '2024-05-01T10:00:02.500Z', host: 'a', value: 0 },
    ];
    const writer = client.getWriteApi('', 'streamlab/autogen', 'ms');
    writer.writePoints(
      points.map((p) => new Point(measurement).tag('host', p.host).floatField('value', p.value).timestamp(new Date(p.time))),
    );
    await writer.close();

    const flux = `from(bucket: "streamlab/autogen")
      |> range(start: 2024-05-01T00:00:00Z, stop: 2024-05-02T00:00:00Z)
      |> filter(fn: (r) => r._measurement == "${measurement}")
      |> keep(columns: ["_time", "_field", "_value", "host"])`;
    const rows = await client.getQueryApi('').collectRows<Record<string, unknown>>(flux);
    const read = rows
      .map((r) => ({ time: new Date(String(r._time)).toISOString(), host: r.host, field: r._field, value: r._value }))
      .sort((a, b) => a.time.localeCompare(b.time));
    assert.deepEqual(
      read,
      points.map((p) => ({ time: p.time, host: p.host, field: 'value', value: p.value })),
    );
  });
});
