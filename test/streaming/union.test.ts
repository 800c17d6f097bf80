import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { formatExplain } from '../../src/cli/explain.js';
import { buildJob } from '../../src/config/build-job.js';
import { loadJob } from '../../src/config/load-job.js';
import { ConfigError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import type { QueryProgress } from '../../src/core/progress.js';
import { StreamingQuery } from '../../src/core/query.js';
import { readStream, sinks, sources } from '../../src/index.js';
import type { Row } from '../../src/core/row.js';
import type { Sink } from '../../src/core/sink.js';

/** Records every batch as handed to the sink; throws once after recording batch `crashAt` (a crash before commits/N). */
class RecordingSink implements Sink {
  readonly description = 'RecordingSink';
  readonly batches: Array<{ batchId: number; rows: Row[] }> = [];
  constructor(private crashAt?: number) {}
  async open() {}
  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    this.batches.push({ batchId, rows });
    if (batchId === this.crashAt) {
      this.crashAt = undefined;
      throw new Error(`simulated crash after batch ${batchId}`);
    }
  }
  async close() {}
}

// The files of test/parity/scenarios/union-min (checked identical to PySpark 4.3.0 there): stream a is fast, b slow.
const A = [
  ['2024-05-01T12:00:00Z a', '2024-05-01T12:20:00Z a'],
  ['2024-05-01T12:30:00Z a'],
  ['2024-05-01T12:40:00Z a'],
  ['2024-05-01T12:41:00Z a'],
];
const B = [
  ['2024-05-01T12:01:00Z b'],
  ['2024-05-01T12:02:00Z b'],
  ['2024-05-01T12:03:00Z late', '2024-05-01T12:12:00Z b'],
  ['2024-05-01T12:20:00Z b', '2024-05-01T12:04:59.999Z late'],
];

let dir: string;
let previousCwd: string;

function writeInput(folder: string, files: string[][]): void {
  mkdirSync(join(dir, folder), { recursive: true });
  files.forEach((rows, i) => {
    const lines = rows.map((r) => JSON.stringify({ ts: r.split(' ')[0], word: r.split(' ')[1] }));
    writeFileSync(join(dir, folder, `0${i + 1}.jsonl`), `${lines.join('\n')}\n`);
  });
}

function writeJob(policy: string, extra = ''): string {
  const file = join(dir, 'job.yaml');
  writeFileSync(
    file,
    `name: union-test
source: { type: file, path: a, schema: { ts: timestamp, word: string }, maxFilesPerBatch: 1 }
operators:
  - withWatermark: { column: ts, delay: 10 minutes }
  - union:
      - source: { type: file, path: b, schema: { ts: timestamp, word: string }, maxFilesPerBatch: 1 }
        operators:
          - withWatermark: { column: ts, delay: 5 minutes }
${extra}  - window: { column: ts, size: 5 minutes }
  - groupBy: { keys: [window, word], agg: { n: "count()" } }
sink: { type: console }
outputMode: append
trigger: { availableNow: true }
multipleWatermarkPolicy: ${policy}
`,
  );
  return file;
}

async function run(policy: string, sink = new RecordingSink(), logger?: Logger) {
  const built = buildJob(loadJob(writeJob(policy), { cwd: dir, env: {} }));
  const query = new StreamingQuery({ ...built.query, sink, checkpointLocation: join(dir, 'checkpoint') }, { pollMs: 1, logger });
  const progress: QueryProgress[] = [];
  query.progress$.subscribe((p) => progress.push(p));
  await query.run();
  return { sink, progress };
}

/** `12:00 a 1` per output row of a batch, sorted. */
function rowsOf(sink: RecordingSink, batchId: number): string[] {
  const batch = sink.batches.filter((b) => b.batchId === batchId).at(-1)?.rows ?? [];
  return batch.map((r) => `${((r.window as { start: Date }).start as Date).toISOString().slice(11, 16)} ${r.word} ${r.n}`).sort();
}

const watermarks = (progress: QueryProgress[]) => progress.map((p) => p.eventTime?.watermark.slice(11, 16));

// The file source reads paths relative to the working directory, as `streamlab run` does.
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'streamlab-union-'));
  previousCwd = process.cwd();
  process.chdir(dir);
  writeInput('a', A);
  writeInput('b', B);
});
afterEach(() => {
  process.chdir(previousCwd);
  rmSync(dir, { recursive: true, force: true });
});

describe('union of two streams, each with its own withWatermark', () => {
  it('min (the default): the slow stream holds the watermark back, so its old rows still count', async () => {
    const { sink, progress } = await run('min');
    assert.deepEqual(watermarks(progress), ['00:00', '11:56', '11:57', '12:07', '12:15']);
    assert.deepEqual(rowsOf(sink, 3), ['12:00 a 1', '12:00 b 2', '12:00 late 2']);
    assert.deepEqual(rowsOf(sink, 4), ['12:10 b 1']);
    assert.deepEqual(
      progress.map((p) => p.sources.map((s) => s.numInputRows)),
      [
        [2, 1],
        [1, 1],
        [1, 2],
        [1, 2],
        [0, 0],
      ],
    );
    assert.deepEqual(
      progress.map((p) => p.numInputRows),
      [3, 2, 3, 3, 0],
    );
  });

  it('max: the fast stream drives the watermark, windows come out sooner and the slow stream rows behind it are dropped', async () => {
    const { sink, progress } = await run('max');
    assert.deepEqual(watermarks(progress), ['00:00', '12:10', '12:20', '12:30', '12:31']);
    assert.deepEqual(rowsOf(sink, 1), ['12:00 a 1', '12:00 b 2']);
    assert.deepEqual(rowsOf(sink, 2), ['12:10 b 1']);
    assert.deepEqual(rowsOf(sink, 3), ['12:20 a 1', '12:20 b 1']);
    const everything = sink.batches.flatMap((b) => b.rows.map((r) => r.word));
    assert.ok(!everything.includes('late'), `the late rows of b were dropped under max, found ${everything.join(', ')}`);
    assert.equal(progress[2].stateOperators[0].numRowsDroppedByWatermark, 1);
  });

  it("writes one offset per source in offsets/N, in source order, the policy in its conf, the branches' sources in metadata", async () => {
    await run('max');
    const [version, header, ...offsets] = readFileSync(join(dir, 'checkpoint', 'offsets', '2'), 'utf8')
      .trim()
      .split('\n');
    assert.equal(version, 'v1');
    assert.deepEqual(JSON.parse(header).conf, { 'spark.sql.streaming.multipleWatermarkPolicy': 'max' });
    assert.deepEqual(offsets, ['"03.jsonl"', '"03.jsonl"']);
    const metadata = JSON.parse(readFileSync(join(dir, 'checkpoint', 'metadata'), 'utf8'));
    assert.deepEqual(metadata.source, { type: 'file', options: { path: 'a', format: 'json' } });
    assert.deepEqual(metadata.unionSources, [{ type: 'file', options: { path: 'b', format: 'json' } }]);
  });

  it('a crash before commits/N: the restart runs batch N again with the same offsets of both sources and the same rows', async () => {
    const whole = await run('min');
    rmSync(join(dir, 'checkpoint'), { recursive: true });
    const crashing = new RecordingSink(2);
    await assert.rejects(run('min', crashing), /simulated crash after batch 2/);
    const offsetsBefore = readFileSync(join(dir, 'checkpoint', 'offsets', '2'), 'utf8');
    const restarted = await run('min');
    assert.equal(restarted.progress[0].batchId, 2);
    assert.equal(restarted.progress[0].recovered, true);
    assert.equal(readFileSync(join(dir, 'checkpoint', 'offsets', '2'), 'utf8'), offsetsBefore);
    assert.deepEqual(
      restarted.progress[0].sources.map((s) => [s.startOffset, s.endOffset]),
      [
        ['02.jsonl', '03.jsonl'],
        ['02.jsonl', '03.jsonl'],
      ],
    );
    // Together the two runs wrote what the run without a crash wrote, batch by batch, watermarks included.
    for (const id of [0, 1, 2, 3, 4]) {
      const sink = id < 2 ? crashing : restarted.sink;
      assert.deepEqual(rowsOf(sink, id), rowsOf(whole.sink, id), `batch ${id}`);
    }
    assert.deepEqual(watermarks(restarted.progress), watermarks(whole.progress).slice(2));
  });

  it('a restart keeps the policy the checkpoint recorded, with a warning, as Spark keeps its conf', async () => {
    const crashing = new RecordingSink(1);
    await assert.rejects(run('max', crashing), /simulated crash/);
    const warnings: string[] = [];
    const logger = { info() {}, debug() {}, warn: (m: string) => warnings.push(m), error() {} } as unknown as Logger;
    const { progress } = await run('min', new RecordingSink(), logger);
    assert.deepEqual(watermarks(progress), ['12:10', '12:20', '12:30', '12:31']);
    assert.match(warnings.join('\n'), /checkpoint was written with 'max', the job now says 'min'; 'max' stays in force/);
  });

  it('a restart with another number of union branches is refused, naming the checkpoint', async () => {
    await run('min');
    writeFileSync(
      join(dir, 'job.yaml'),
      readFileSync(join(dir, 'job.yaml'), 'utf8').replace(/ {2}- union:[\s\S]*?delay: 5 minutes }\n/, ''),
    );
    const built = buildJob(loadJob(join(dir, 'job.yaml'), { cwd: dir, env: {} }));
    const query = new StreamingQuery({ ...built.query, sink: new RecordingSink(), checkpointLocation: join(dir, 'checkpoint') });
    await assert.rejects(query.run(), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /was written by a query of 2 sources, the job now reads 1/);
      return true;
    });
  });
});

describe('union from TypeScript', () => {
  it("DataStream.union writes down the job file's union step: the same plan, policy included", () => {
    const words = (path: string, delay: string) =>
      readStream(sources.file({ path, schema: { ts: 'timestamp', word: 'string' }, maxFilesPerBatch: 1 })).withWatermark('ts', delay);
    const ts = words('a', '10 minutes')
      .union(words('b', '5 minutes'))
      .window('ts', '5 minutes')
      .groupBy('window', 'word')
      .agg({ n: 'count()' })
      .writeStream({ queryName: 'union-test', outputMode: 'append', trigger: { availableNow: true }, multipleWatermarkPolicy: 'max' })
      .explain(sinks.console());
    const yaml = formatExplain(buildJob(loadJob(writeJob('max'), { cwd: dir, env: {} })));
    const body = (plan: string) => plan.slice(plan.indexOf('\n\n'));
    assert.match(yaml, /max/);
    assert.equal(body(ts), body(yaml));
  });
});

describe('union step: what the job builder refuses', () => {
  const refusal = (extra: string, branchSchema = '{ ts: timestamp, word: string }') => {
    const file = join(dir, 'job.yaml');
    writeFileSync(
      file,
      `name: union-bad
source: { type: file, path: a, schema: { ts: timestamp, word: string } }
operators:
  - union:
      - source: { type: file, path: b, schema: ${branchSchema} }
        operators:
${extra}sink: { type: console }
`,
    );
    try {
      buildJob(loadJob(file, { cwd: dir, env: {} }));
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error.message;
    }
    assert.fail('the job was accepted');
  };

  it('columns that differ in name, type or number, naming the branch and both column lists', () => {
    assert.match(
      refusal('          - select: [word, ts]\n'),
      /operators\[0\]\.union\[0\]: union branch operators\[0\]\.union\[0\] does not give the columns of the stream before the union: column 1 is 'word' in the branch, 'ts' before the union\. Before the union: ts: timestamp, word: string; branch: word: string, ts: timestamp/,
    );
    assert.match(
      refusal('          []\n', '{ ts: timestamp, word: long }'),
      /column 2 'word' is long in the branch, string before the union/,
    );
    assert.match(refusal('          - drop: [word]\n'), /it has 1 columns, the stream before the union 2/);
  });

  it('a stateful operator inside a branch, and a union inside a branch', () => {
    assert.match(
      refusal('          - dropDuplicates: { columns: [word] }\n'),
      /a stateful operator \(dedupe\) inside a union branch is not supported by streamlab: put the aggregation or deduplication after the union step/,
    );
    assert.match(refusal('          - union: []\n'), /operators\[0\]\.union\[0\]\.operators\[0\]: a union inside a union branch/);
  });

  it('problems inside a branch name their place in the file', () => {
    assert.match(refusal('          - filter: "nope > 1"\n'), /operators\[0\]\.union\[0\]\.operators\[0\]\.filter/);
    assert.match(
      refusal('          - filter: "true"\n', '{ ts: timestamp, word: string }, nonsense: 1'),
      /operators\[0\]\.union\[0\]\.source/,
    );
  });
});
