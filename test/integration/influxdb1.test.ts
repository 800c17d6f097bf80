/**
 * Smoke test of InfluxDB 1.6.7 (`npm run services -- up influxdb1`): line protocol through the 1.x `/write`, the
 * same points back through InfluxQL `/query`; and the 2.x endpoint is absent, which is why a second InfluxDB runs.
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { describeOrSkip } from '../support/describe-or-skip.js';
import { service } from '../support/services.js';
import type { InfluxQLAnswer } from '../sinks/influxdb-fixtures/read-back.js';

const influx = service('influxdb1');

describeOrSkip('integration: influxdb1 (1.x API) smoke', { skip: influx.skip }, () => {
  const measurement = `smoke_${process.pid}_${Date.now()}`;
  const base = () => `http://${influx.address}`;

  async function influxQL(q: string): Promise<InfluxQLAnswer> {
    const response = await fetch(`${base()}/query?db=streamlab&epoch=ms`, { method: 'POST', body: new URLSearchParams({ q }) });
    assert.equal(response.status, 200, `InfluxQL ${q}`);
    return response.json();
  }

  after(async () => {
    if (!influx.skip) await influxQL(`DROP MEASUREMENT "${measurement}"`).catch(() => undefined);
  });

  it('stores points written with line protocol and returns the same points', async () => {
    const points = [
      { time: 1714557600000, host: 'a', value: 1.5, count: 1 },
      { time: 1714557601000, host: 'b', value: -2.25, count: 2 },
      { time: 1714557602500, host: 'a', value: 0, count: 3 },
    ];
    const body = points.map((p) => `${measurement},host=${p.host} value=${p.value},count=${p.count}i ${p.time}`).join('\n');
    const write = await fetch(`${base()}/write?db=streamlab&precision=ms`, { method: 'POST', body });
    assert.equal(write.status, 204, await write.text());

    const result = await influxQL(`SELECT "count", "host", "value" FROM "${measurement}" ORDER BY time`);
    assert.deepEqual(result.results[0].series, [
      {
        name: measurement,
        columns: ['time', 'count', 'host', 'value'],
        values: points.map((p) => [p.time, p.count, p.host, p.value]),
      },
    ]);
  });

  it('has no 2.x write API (404), unlike influxdb18', async () => {
    const response = await fetch(`${base()}/api/v2/write?bucket=streamlab`, { method: 'POST', body: 'm v=1' });
    assert.equal(response.status, 404);
  });
});
