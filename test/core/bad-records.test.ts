import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { BadRecordHandler, BadRecordPolicy } from '../../src/core/bad-records.js';
import { formatProgressLine, type QueryProgress } from '../../src/core/progress.js';
import { StreamingQuery } from '../../src/core/query.js';
import type { Row } from '../../src/core/row.js';
import type { Sink, SinkContext } from '../../src/core/sink.js';
import { FileSource } from '../../src/sources/file/index.js';

/** Keeps every batch it is given by batch id; refuses (through the policy) rows whose `score` is not finite, as MySQL would. */
class FiniteScoreSink implements Sink {
  readonly description = 'FiniteScoreSink';
  readonly batches = new Map<number, Row[]>();
  private badRecords!: BadRecordHandler;
  async open(context: SinkContext) {
    this.badRecords = context.badRecords!;
  }
  async foreachBatch(rows: Row[], batchId: number) {
    const kept = rows.filter((row, i) => {
      if (typeof row.score !== 'number' || Number.isFinite(row.score)) return true;
      this.badRecords.report({
        raw: row,
        reason: `column 'score': ${row.score} cannot be stored`,
        where: `batch ${batchId}, row ${i + 1}`,
        position: { row: i },
      });
      return false;
    });
    this.batches.set(batchId, kept);
  }
  async close() {}
}

let dir: string;
let input: string;
let checkpoint: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'streamlab-badrec-'));
  input = join(dir, 'in');
  checkpoint = join(dir, 'checkpoint');
  await mkdir(input);
  await writeFile(join(input, 'a.csv'), 'id,name,score\n1,Ann,1.5\n2,Bob,0x10\n3,Cy,NaN\n4,"Dee,2\n5,Eve,2.5\n');
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function run(policy: BadRecordPolicy, sink = new FiniteScoreSink()) {
  const source = new FileSource(
    input,
    'csv',
    [
      { name: 'id', type: 'long' },
      { name: 'name', type: 'string' },
      { name: 'score', type: 'double' },
    ],
    true,
    undefined,
  );
  const query = new StreamingQuery(
    {
      name: 'bad',
      source,
      operators: [],
      sink,
      trigger: { kind: 'availableNow' },
      outputMode: 'append',
      checkpointLocation: checkpoint,
      onBadRecord: policy,
    },
    {},
  );
  const progress: QueryProgress[] = [];
  query.progress$.subscribe((p) => progress.push(p));
  await query.run();
  return { sink, progress, file: join(input, 'a.csv') };
}

const good = [
  { id: 1, name: 'Ann', score: 1.5 },
  { id: 5, name: 'Eve', score: 2.5 },
];

describe('onBadRecord', () => {
  it('fail (the default): the batch fails naming file, line and column, again on restart; skip then lets the same batch through', async () => {
    const file = join(input, 'a.csv');
    const message = `${file}:3: column 'score': expected a decimal number (double), found "0x10". The batch failed (onBadRecord: fail); set onBadRecord to skip or deadLetter to go on without such records.`;
    await assert.rejects(run('fail'), { message });
    await assert.rejects(run('fail'), { message }, 'a poison record fails the replay identically');
    const { sink, progress } = await run('skip');
    assert.deepEqual([...sink.batches.entries()], [[0, good]], 'the replayed batch 0 goes through without the bad records');
    assert.equal(progress[0].recovered, true);
    assert.deepEqual(progress[0].sources[0].metrics, { numBadRecords: 2 });
    assert.deepEqual(progress[0].sink.metrics, { numBadRecords: 1 });
    assert.equal(progress[0].numInputRows, 3);
    assert.match(formatProgressLine(progress[0]), /3 bad records left out/);
    assert.equal(existsSync(join(checkpoint, 'deadLetters')), false, 'skip writes no dead letters');
  });

  it('deadLetter: one JSON Lines file per batch with raw input, reason, position and batch id; a replay rewrites it', async () => {
    const { sink, progress, file } = await run('deadLetter');
    assert.deepEqual([...sink.batches.entries()], [[0, good]]);
    const expected = [
      {
        batchId: 0,
        stage: 'source',
        component: `FileStreamSource[${input}, format=csv]`,
        position: { file, line: 3 },
        reason: `column 'score': expected a decimal number (double), found "0x10"`,
        raw: '2,Bob,0x10',
      },
      {
        batchId: 0,
        stage: 'source',
        component: `FileStreamSource[${input}, format=csv]`,
        position: { file, line: 5 },
        reason: 'field 2: a quote is never closed (unbalanced ")',
        raw: '4,"Dee,2',
      },
      {
        batchId: 0,
        stage: 'sink',
        component: 'FiniteScoreSink',
        position: { row: 1 },
        reason: `column 'score': NaN cannot be stored`,
        raw: { id: 3, name: 'Cy', score: 'NaN' },
      },
    ];
    const deadLetters = join(checkpoint, 'deadLetters');
    const text = await readFile(join(deadLetters, '0.jsonl'), 'utf8');
    assert.equal(text, expected.map((l) => `${JSON.stringify(l)}\n`).join(''));
    assert.deepEqual(progress[0].sources[0].metrics, { numBadRecords: 2 });
    assert.deepEqual(progress[0].sink.metrics, { numBadRecords: 1 });

    // A crash after the dead letters but before commits/0: the replay writes the same file, not the letters twice.
    await rm(join(checkpoint, 'commits', '0'));
    const replay = await run('deadLetter');
    assert.equal(replay.progress[0].recovered, true);
    assert.equal(await readFile(join(deadLetters, '0.jsonl'), 'utf8'), text);
    assert.deepEqual(await readdir(deadLetters), ['0.jsonl']);
  });
});
