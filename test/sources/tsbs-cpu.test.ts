import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { asyncScheduler } from 'rxjs';
import { silentLogger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';
import type { Source } from '../../src/core/source.js';
import { sources } from '../../src/registry.js';
import {
  TSBS_ARCH,
  TSBS_OS,
  TSBS_REGIONS,
  TSBS_SERVICE_ENVIRONMENTS,
  TSBS_TAG_KEYS,
  TSBS_TEAMS,
} from '../../src/sources/tsbs-cpu/hosts.js';
import { tsbsCpuSource } from '../../src/sources/tsbs-cpu/index.js';
import { cpuUsage, TSBS_CPU_FIELDS, tsbsCpuRows } from '../../src/sources/tsbs-cpu/rows.js';
import { generatorJob } from '../support/generator-job.js';

const START = Date.parse('2016-01-01T00:00:00Z');

/** A tsbs-cpu source as a job builds it from these options, opened like a query opens it. */
async function openSource(options: Record<string, unknown>, maxRowsPerBatch?: number): Promise<Source> {
  const source = tsbsCpuSource.create(tsbsCpuSource.options.parse(options), {} as never);
  await source.open({ scheduler: asyncScheduler, logger: silentLogger, maxRowsPerBatch });
  return source;
}

/** Every batch the source offers from offset 0 until it has nothing new, with their (start, end]. */
async function drain(source: Source): Promise<{ rows: Row[]; batches: Array<[number, number]> }> {
  const rows: Row[] = [];
  const batches: Array<[number, number]> = [];
  let start: number | null = null;
  for (let end = (await source.latestOffset(start)) as number | null; end !== null && end !== start; ) {
    batches.push([start ?? 0, end]);
    rows.push(...(await source.getBatch(start, end)));
    start = end;
    end = (await source.latestOffset(start)) as number | null;
  }
  return { rows, batches };
}

describe('tsbs-cpu source: TSBS cpu-only shape', () => {
  it('has the timestamp, TSBS tags in host.go order and the ten usage_* fields of cpu.go as longs', () => {
    const source = tsbsCpuSource.create(tsbsCpuSource.options.parse({ rows: 1 }), {} as never);
    assert.deepEqual(
      source.schema.map((c) => `${c.name}:${c.type}`),
      [
        'timestamp:timestamp',
        ...['hostname', 'region', 'datacenter', 'rack', 'os', 'arch', 'team', 'service', 'service_version', 'service_environment'].map(
          (t) => `${t}:string`,
        ),
        ...[
          'usage_user',
          'usage_system',
          'usage_idle',
          'usage_nice',
          'usage_iowait',
          'usage_irq',
          'usage_softirq',
          'usage_steal',
          'usage_guest',
          'usage_guest_nice',
        ].map((f) => `${f}:long`),
      ],
    );
  });

  it('row i is host_(i % scale) at 2016-01-01 + floor(i / scale) * 10 s, with tags from TSBS value sets fixed per host', async () => {
    const scale = 50;
    const source = await openSource({ rows: 20 * scale, scale });
    const rows = (await source.getBatch(null, 20 * scale)) as Row[];
    assert.equal(rows.length, 1000);
    const tagsOfHost = new Map<string, string>();
    rows.forEach((row, i) => {
      assert.equal(row.hostname, `host_${i % scale}`);
      assert.equal((row.timestamp as Date).getTime(), START + Math.floor(i / scale) * 10_000, `row ${i}`);
      const region = TSBS_REGIONS.find((r) => r.name === row.region);
      assert.ok(region, `region ${row.region}`);
      assert.ok(region.datacenters.includes(row.datacenter as string), `datacenter ${row.datacenter} in ${row.region}`);
      assert.ok(TSBS_OS.includes(row.os as never) && TSBS_ARCH.includes(row.arch as never), `${row.os} ${row.arch}`);
      assert.ok(TSBS_TEAMS.includes(row.team as never) && TSBS_SERVICE_ENVIRONMENTS.includes(row.service_environment as never));
      assert.match(row.rack as string, /^(\d|[1-9]\d)$/, 'rack 0..99');
      assert.match(row.service as string, /^(\d|1\d)$/, 'service 0..19');
      assert.match(row.service_version as string, /^[01]$/, 'service_version 0..1');
      for (const field of TSBS_CPU_FIELDS) {
        const value = row[field] as number;
        assert.ok(Number.isInteger(value) && value >= 0 && value <= 100, `${field} = ${value}`);
      }
      const tags = JSON.stringify(TSBS_TAG_KEYS.map((k) => row[k]));
      assert.equal(tagsOfHost.get(row.hostname as string) ?? tags, tags, `${row.hostname} keeps its tags`);
      tagsOfHost.set(row.hostname as string, tags);
    });
    assert.equal(tagsOfHost.size, scale);
    const regions = new Set(rows.map((r) => r.region));
    assert.ok(regions.size >= 6, `50 hosts spread over TSBS's 9 regions, got ${[...regions]}`);
  });

  it('values move like a slow walk: mostly small steps from tick to tick, over the whole 0..100 range across hosts', () => {
    const generate = tsbsCpuRows({ scale: 20, intervalMs: 10_000, startMs: START });
    const rows = generate(0, 20 * 2000);
    let steps = 0;
    let small = 0;
    const seen = new Set<number>();
    for (let i = 20; i < rows.length; i++) {
      for (const field of TSBS_CPU_FIELDS) {
        steps++;
        if (Math.abs((rows[i][field] as number) - (rows[i - 20][field] as number)) <= 3) small++;
        seen.add(rows[i][field] as number);
      }
    }
    assert.ok(small / steps > 0.95, `${small} of ${steps} steps are at most 3`);
    assert.ok(seen.has(0) && seen.has(100) && seen.size === 101, `values seen: ${seen.size}`);
  });

  it('field f of row i is cpuUsage(floor(i / scale), i % scale, f), from any offset, across knots', () => {
    const generate = tsbsCpuRows({ scale: 7, intervalMs: 10_000, startMs: START });
    const rows = generate(3, 7 * 1100);
    rows.forEach((row, n) => {
      const i = n + 3;
      for (const [f, field] of TSBS_CPU_FIELDS.entries())
        assert.equal(row[field], cpuUsage(Math.floor(i / 7), i % 7, f), `row ${i} ${field}`);
    });
  });
});

describe('tsbs-cpu source: offsets', () => {
  it('two instances give the same rows; a range split anywhere gives the same rows as in one piece', async () => {
    const a = await openSource({ rows: 5000, scale: 30 });
    const b = await openSource({ rows: 5000, scale: 30 });
    const whole = await a.getBatch(null, 5000);
    assert.deepEqual(await b.getBatch(null, 5000), whole);
    const pieces = [0, 1, 29, 30, 31, 1000, 4999, 5000];
    const split: Row[] = [];
    for (let p = 1; p < pieces.length; p++) split.push(...(await b.getBatch(pieces[p - 1], pieces[p])));
    assert.deepEqual(split, whole);
  });

  it('bounded: latestOffset honours maxRowsPerBatch exactly (not whole ticks) and stops at rows', async () => {
    const { rows, batches } = await drain(await openSource({ rows: 1000, scale: 64 }, 300));
    assert.deepEqual(batches, [
      [0, 300],
      [300, 600],
      [600, 900],
      [900, 1000],
    ]);
    assert.deepEqual(rows, await (await openSource({ rows: 1000, scale: 64 })).getBatch(null, 1000));
  });

  it('start, interval and scale decide the rows (the checkpoint identity); rows and rowsPerSecond do not', () => {
    const identity = (o: Record<string, unknown>) => tsbsCpuSource.offsetIdentity!(tsbsCpuSource.options.parse(o));
    assert.deepEqual(identity({ rows: 10 }), { scale: 4000, interval: 10_000, start: START });
    assert.deepEqual(identity({ rows: 99, rowsPerSecond: 5 }), identity({ rows: 10 }));
    assert.deepEqual(identity({ start: '2016-01-01T01:00:00+01:00', interval: '10 seconds' }), identity({ rows: 10 }));
    assert.notDeepEqual(identity({ rows: 10, scale: 3 }), identity({ rows: 10 }));
  });

  it('is registered', () => {
    assert.ok(sources.includes(tsbsCpuSource));
  });
});

describe('tsbs-cpu in a job (availableNow, checkpoint)', () => {
  it('availableNow ends after `rows` rows, each batch at most maxRowsPerBatch, the rows those of the source', async () => {
    const job = generatorJob({ type: 'tsbs-cpu', rows: 2500, scale: 100 }, 1000);
    try {
      assert.equal(await job.run(), undefined);
      assert.deepEqual(
        job.sink.batches.map((b) => [b.batchId, b.rows.length]),
        [
          [0, 1000],
          [1, 1000],
          [2, 500],
        ],
      );
      const expected = tsbsCpuRows({ scale: 100, intervalMs: 10_000, startMs: START })(0, 2500);
      assert.deepEqual(
        job.sink.batches.flatMap((b) => b.rows),
        expected,
      );
      assert.equal(await job.run(), undefined, 'a second run finds nothing new');
      assert.equal(job.sink.batches.length, 3);
    } finally {
      rmSync(job.dir, { recursive: true, force: true });
    }
  });

  it('a crash after the sink wrote batch 1 and a restart replay batch 1 with the same rows, then go on', async () => {
    const job = generatorJob({ type: 'tsbs-cpu', rows: 900, scale: 7 }, 250);
    try {
      job.sink.crashAfterBatch = 1;
      assert.match(String(await job.run()), /simulated crash after the sink wrote batch 1/);
      assert.equal(await job.run(), undefined);
      const ids = job.sink.batches.map((b) => b.batchId);
      assert.deepEqual(ids, [0, 1, 1, 2, 3]);
      assert.deepEqual(job.sink.batches[2].rows, job.sink.batches[1].rows, 'the replay has the rows of the first attempt');
      const expected = tsbsCpuRows({ scale: 7, intervalMs: 10_000, startMs: START })(0, 900);
      assert.deepEqual(
        job.sink.batches.filter((_, n) => n !== 1).flatMap((b) => b.rows),
        expected,
      );
    } finally {
      rmSync(job.dir, { recursive: true, force: true });
    }
  });
});
