import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import type { BenchResults } from '../../src/benchmark/results.js';
import { benchCommand } from '../../src/cli/bench.js';
import { ConfigError } from '../../src/core/errors.js';
import { fakeTargets, fakeWorkloads, results, run, summary } from '../support/bench-fakes.js';
import { cliPath } from '../support/cli.js';

/** Before: mysql at ~1,000 rows/s, parquet at ~5,000; after: mysql doubled (beyond the spread), parquet within it. */
const before = results({
  runs: [run({ diskBytes: 2_000_000 }), run({ repeat: 1, diskBytes: 2_100_000 }), run({ target: 'parquet', sink: 'parquet' })],
  summary: [
    summary({ rps: [1000, 900, 1100], diskBytes: 2_000_000 }),
    summary({ target: 'parquet', sink: 'parquet', rps: [5000, 4500, 5500] }),
    summary({ target: 'influxdb', sink: 'influxdb' }),
  ],
});
const after = results({
  runs: [run({ diskBytes: 1_000_000 }), run({ repeat: 1, diskBytes: 1_050_000 }), run({ target: 'parquet', sink: 'parquet' })],
  summary: [
    summary({ rps: [2000, 1900, 2100], diskBytes: 1_000_000 }),
    summary({ target: 'parquet', sink: 'parquet', rps: [5200, 4800, 5600] }),
    summary({ target: 'cassandra', sink: 'cassandra', batchSize: 1000 }),
  ],
});

function files(a: BenchResults | string, b: BenchResults | string): { cwd: string } {
  const cwd = makeTempDir('streamlab-bench-compare-');
  writeFileSync(join(cwd, 'a.json'), typeof a === 'string' ? a : JSON.stringify(a));
  writeFileSync(join(cwd, 'b.json'), typeof b === 'string' ? b : JSON.stringify(b));
  return { cwd };
}

async function compare(cwd: string): Promise<string> {
  let out = '';
  const code = await benchCommand(['compare', 'a.json', 'b.json'], {
    runBench: async () => assert.fail('compare runs nothing'),
    writeReport: async () => assert.fail('compare writes nothing'),
    targets: fakeTargets,
    workloads: fakeWorkloads,
    cwd,
    env: {},
    now: () => new Date(),
    stdout: { write: (t) => void (out += t) },
    stderr: { write: () => {} },
    onInterrupt: () => () => {},
    exit: () => {},
  });
  assert.equal(code, 0);
  return out;
}

describe('streamlab bench compare', () => {
  it("prints each metric's change and marks only those beyond the runs' spread", async () => {
    const out = await compare(files(before, after).cwd);
    const line = (config: string, metric: string) => out.split('\n').find((l) => l.startsWith(config) && l.split(/\s{2,}/)[1] === metric);
    assert.match(line('mysql | sink | batch 100 | exactly-once', 'rows/s') ?? '', /\s1,000\s+2,000\s+\+100%\s+\*$/);
    assert.match(line('mysql | sink | batch 100 | exactly-once', 'MB/s') ?? '', /\s0\.1\s+0\.2\s+\+100%\s+\*$/);
    assert.match(line('mysql | sink | batch 100 | exactly-once', 'disk') ?? '', /\s2 MB\s+1 MB\s+-50%\s+\*$/);
    assert.match(line('mysql | sink | batch 100 | exactly-once', 'p99 ms') ?? '', /\s30\s+30\s+\+0%$/);
    // 5,000 -> 5,200 is +4%, but [4,500, 5,500] and [4,800, 5,600] overlap: noise, not marked.
    assert.match(line('parquet | sink | batch 100 | exactly-once', 'rows/s') ?? '', /\s5,000\s+5,200\s+\+4%$/);
    assert.match(out, /^Only in a\.json:\n {2}influxdb \| sink \| batch 100 \| exactly-once$/m);
    assert.match(out, /^Only in b\.json:\n {2}cassandra \| sink \| batch 1000 \| exactly-once$/m);
    assert.doesNotMatch(out, /Note: a configuration with one run/);
  });

  it('never marks a configuration measured once, and says why', async () => {
    const once = (r: BenchResults, rps: [number, number, number]) => ({
      ...r,
      config: { ...r.config, repeat: 1 },
      summary: [summary({ runs: 1, rps })],
    });
    const out = await compare(files(once(before, [1000, 1000, 1000]), once(after, [2000, 2000, 2000])).cwd);
    assert.match(out, /^mysql \| sink \| batch 100 \| exactly-once\s+rows\/s\s+1,000\s+2,000\s+\+100%$/m);
    assert.match(out, /Note: a configuration with one run has no spread and is never marked/);
  });

  it('names a file that is not a results.json (exit 2 from the CLI)', async () => {
    const { cwd } = files(before, JSON.stringify({ schemaVersion: 2, runs: [] }));
    await assert.rejects(compare(cwd), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.message, 'b.json: not a results.json (version 1) of streamlab bench: its schemaVersion is 2');
      return true;
    });
    const damaged = { ...before, runs: [{ ...before.runs[0], rowsPerSecond: 'fast' }] };
    await assert.rejects(compare(files(JSON.stringify(damaged), after).cwd), {
      message: 'a.json runs[0].rowsPerSecond: a damaged results.json: Invalid input: expected number, received string',
    });
    const broken = files('{ not json', before).cwd;
    const cli = spawnSync(process.execPath, [cliPath, 'bench', 'compare', 'a.json', 'b.json'], { cwd: broken, encoding: 'utf8' });
    assert.equal(cli.status, 2);
    assert.match(cli.stderr, /^a\.json: not a results\.json of streamlab bench: .*JSON/);
    assert.doesNotMatch(cli.stderr, /\bat .*\.js:\d+/, 'no stack trace');
  });
});
