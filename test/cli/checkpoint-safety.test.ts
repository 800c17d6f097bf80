/**
 * What the CLI does with a checkpoint that was damaged, moved, or written by another version of the job: each case
 * either goes on safely or stops with a message naming the checkpoint file and what is wrong, never a silent restart
 * from scratch (duplicates), a silent wait, or a bare JSON parser message.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import { cliPath } from '../support/cli.js';

const MICRO = 'source: { type: rate-micro-batch, rowsPerBatch: 5 }';

/** A project folder with jobs/j.yaml reading `source` and writing one JSON Lines file per batch to out/. */
function project(source = MICRO): string {
  const dir = makeTempDir('streamlab-cp-');
  mkdirSync(join(dir, 'jobs'));
  writeJob(dir, source);
  return dir;
}

function writeJob(dir: string, source: string): void {
  writeFileSync(join(dir, 'jobs/j.yaml'), `name: j\n${source}\nsink: { type: file, path: ${join(dir, 'out')} }\n`);
}

function run(cwd: string, args: string[] = []) {
  const result = spawnSync(
    process.execPath,
    [cliPath, 'run', ...(args[0]?.endsWith('.yaml') ? [] : ['j']), ...args, '--progress', 'json'],
    {
      cwd,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  const batches = result.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => (JSON.parse(l) as { batchId: number }).batchId);
  return { code: result.status, stderr: result.stderr, batches };
}

const checkpointOf = (dir: string) => join(dir, '.checkpoints/j');

/** Runs the job for `n` batches on a fresh project and returns the project folder. */
function ranBatches(n: number, source = MICRO): string {
  const dir = project(source);
  const first = run(dir, ['--max-batches', String(n)]);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(
    first.batches,
    Array.from({ length: n }, (_, i) => i),
  );
  return dir;
}

function assertRefused(result: ReturnType<typeof run>, code: number, message: RegExp): void {
  assert.equal(result.code, code, result.stderr);
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  assert.deepEqual(result.batches, [], 'no batch ran');
}

describe('a damaged checkpoint is refused, naming the file', () => {
  it('metadata deleted while the logs have batches: refused (a new query id would make sinks write a batch again)', () => {
    const dir = ranBatches(3);
    rmSync(join(checkpointOf(dir), 'metadata'));
    const result = run(dir);
    assertRefused(result, 1, /checkpoint \S*\.checkpoints\/j has no metadata file, but its logs record batches 0 to 2/);
    assert.ok(!existsSync(join(checkpointOf(dir), 'metadata')), 'no new query id was made up');
  });

  it('offsets/ deleted: refused (the query would start over and write committed batches again)', () => {
    const dir = ranBatches(3);
    rmSync(join(checkpointOf(dir), 'offsets'), { recursive: true });
    assertRefused(run(dir), 1, /offsets\/ is empty or missing, but commits\/ records batches 0 to 2/);
  });

  it('a hole in offsets/: refused, naming the missing entry', () => {
    const dir = ranBatches(4);
    rmSync(join(checkpointOf(dir), 'offsets/1'));
    assertRefused(run(dir), 1, /offsets\/ has entries 0 to 3 but not 1/);
  });

  it('the newest offsets entries deleted while their commits remain: refused', () => {
    const dir = ranBatches(4);
    rmSync(join(checkpointOf(dir), 'offsets/3'));
    assertRefused(run(dir), 1, /commits\/3 exists but offsets\/ ends at 2/);
  });

  const damaged: Array<[string, string, string, RegExp]> = [
    ['a truncated offsets entry', 'offsets/2', 'v1\n{"batchWatermarkMs":0,"batchTi', /offsets\/2 is damaged: it is truncated/],
    [
      'an offsets entry without its offset line',
      'offsets/2',
      'v1\n{"batchWatermarkMs":0,"batchTimestampMs":1}\n',
      /offsets\/2 is damaged: it holds 0 source offsets/,
    ],
    [
      'an offsets entry whose offset is not JSON',
      'offsets/2',
      'v1\n{"batchWatermarkMs":0,"batchTimestampMs":1}\n{"x\n',
      /offsets\/2 is damaged: line 3 is not valid JSON/,
    ],
    ['a truncated commits entry', 'commits/2', 'v1\n{"nextBatchW', /commits\/2 is damaged: it is truncated/],
    ['a commits entry with garbage', 'commits/2', 'v1\n{"nextBatchW\n', /commits\/2 is damaged: line 2 is not valid JSON/],
    ['a metadata file with garbage', 'metadata', '{"id":"abc', /metadata is damaged: its content is not valid JSON/],
    ['a metadata file without an id', 'metadata', '{"name":"j"}\n', /metadata is damaged: it has no query "id"/],
  ];
  for (const [what, file, content, message] of damaged) {
    it(`${what}: exit 1 naming ${file}`, () => {
      const dir = ranBatches(3);
      writeFileSync(join(checkpointOf(dir), file), content);
      const result = run(dir);
      assertRefused(result, 1, new RegExp(`checkpoint file \\S*\\.checkpoints/j/${file} is damaged`));
      assert.match(result.stderr, message);
    });
  }

  it('a damaged sources/0/0 (the rate source origin): exit 1 naming it', () => {
    const dir = ranBatches(1, 'source: { type: rate, rowsPerSecond: 10 }');
    writeFileSync(join(checkpointOf(dir), 'sources/0/0'), '{"startTimeMs":17');
    assertRefused(run(dir), 1, /checkpoint file \S*\.checkpoints\/j\/sources\/0\/0 is damaged: its content is not valid JSON/);
  });

  it('sources/0/0 deleted while the logs have batches: refused (a new origin would give the offsets other rows)', () => {
    const dir = ranBatches(1, 'source: { type: rate, rowsPerSecond: 10 }');
    rmSync(join(checkpointOf(dir), 'sources'), { recursive: true });
    assertRefused(run(dir), 1, /sources\/0\/0 is missing, but the logs record batch 0/);
  });

  it('offsets far beyond what the source has: refused, not waited on or read backwards', () => {
    const dir = ranBatches(1, 'source: { type: rate, rowsPerSecond: 10 }');
    const cp = checkpointOf(dir);
    const entry = readFileSync(join(cp, 'offsets/0'), 'utf8').split('\n');
    writeFileSync(join(cp, 'offsets/0'), [entry[0], entry[1], '1000000', ''].join('\n'));
    const result = run(dir);
    assertRefused(
      result,
      1,
      /offsets\/0 records offset 1000000 of RateStream\(rowsPerSecond=10, rampUpTime=0ms\), but the source's latest offset is \d+: the checkpoint is ahead of its source/,
    );
  });
});

describe('a changed job is refused, naming what changed', () => {
  it('the source type changed (rate-micro-batch to file): exit 2', () => {
    const dir = ranBatches(2);
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in/a.json'), '{"v":1}\n');
    writeJob(dir, `source: { type: file, path: ${join(dir, 'in')}, schema: { v: long } }`);
    const result = run(dir);
    assertRefused(result, 2, /checkpoint \S+ was written by a 'rate-micro-batch' source, the job now reads a 'file' source/);
  });

  it('rowsPerSecond changed: exit 2 naming the option and both values', () => {
    const dir = ranBatches(1, 'source: { type: rate, rowsPerSecond: 10 }');
    writeJob(dir, 'source: { type: rate, rowsPerSecond: 20 }');
    const result = run(dir);
    assertRefused(
      result,
      2,
      /source\.rowsPerSecond: checkpoint \S+ was written by the 'rate' source with other options: rowsPerSecond was 10, is now 20/,
    );
  });

  it('an option that does not change what an offset means (rowsPerBatch) may change', () => {
    const dir = ranBatches(2);
    writeJob(dir, 'source: { type: rate-micro-batch, rowsPerBatch: 7 }');
    const result = run(dir, ['--max-batches', '1']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.batches, [2]);
  });
});

describe('a checkpoint written before these checks still runs', () => {
  it('metadata without the source and a bare-PID lock: runs on at the next batch, records the source, then guards it', () => {
    const dir = project();
    const cp = checkpointOf(dir);
    mkdirSync(join(cp, 'offsets'), { recursive: true });
    mkdirSync(join(cp, 'commits'));
    // The layout streamlab wrote before this change: metadata with id and name only, a lock holding a PID alone.
    writeFileSync(join(cp, 'metadata'), '{"id":"0d6c2a39-3d5c-4d5e-9f5e-2b1f4c7a0e11","name":"j"}\n');
    for (const batch of [0, 1]) {
      writeFileSync(join(cp, `offsets/${batch}`), `v1\n{"batchWatermarkMs":0,"batchTimestampMs":1700000000000}\n${(batch + 1) * 5}\n`);
      writeFileSync(join(cp, `commits/${batch}`), 'v1\n{"nextBatchWatermarkMs":0}\n');
    }
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(join(cp, '.lock'), gone);
    const first = run(dir, ['--max-batches', '2']);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(first.batches, [2, 3]);
    const rows = readFileSync(join(dir, 'out', readdirSync(join(dir, 'out')).sort()[0]), 'utf8');
    assert.equal(rows.split('\n')[0], '{"timestamp":"1970-01-01T00:00:02.000Z","value":10}', 'batch 2 starts at the recorded offset 10');
    const metadata = JSON.parse(readFileSync(join(cp, 'metadata'), 'utf8'));
    assert.deepEqual(metadata, {
      id: '0d6c2a39-3d5c-4d5e-9f5e-2b1f4c7a0e11',
      name: 'j',
      source: { type: 'rate-micro-batch', options: {} },
    });
    writeJob(dir, 'source: { type: rate, rowsPerSecond: 5 }');
    assertRefused(run(dir), 2, /was written by a 'rate-micro-batch' source, the job now reads a 'rate' source/);
  });
});

describe('the checkpoint location is relative to the job, not the working directory', () => {
  it('the same job file run from two folders uses one checkpoint, in its project folder', () => {
    const dir = project();
    const jobFile = join(dir, 'jobs/j.yaml');
    const elsewhere = makeTempDir('streamlab-cwd-');
    const first = run(elsewhere, [jobFile, '--max-batches', '2']);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(first.batches, [0, 1]);
    const second = run(dir, [jobFile, '--max-batches', '2']);
    assert.deepEqual(second.batches, [2, 3], 'the second run goes on where the first stopped');
    assert.ok(existsSync(join(checkpointOf(dir), 'commits/3')));
    assert.ok(!existsSync(join(elsewhere, '.checkpoints')), 'nothing in the working directory');
  });

  it('a checkpoint an earlier streamlab left in the working directory is not silently abandoned', () => {
    const dir = project();
    const jobFile = join(dir, 'jobs/j.yaml');
    const elsewhere = makeTempDir('streamlab-cwd-');
    assert.equal(run(elsewhere, [jobFile, '--max-batches', '1', '--checkpoint', '.checkpoints/j']).code, 0);
    const result = run(elsewhere, [jobFile]);
    assertRefused(
      result,
      2,
      /this job's checkpoint is now \S+\/\.checkpoints\/j .* but \S+\/\.checkpoints\/j holds its checkpoint from an earlier run.*mv /s,
    );
  });
});

describe('a lock left by a process that is gone does not block', () => {
  it("a live PID that is not the lock's writer (another start time, or started after the lock) is taken over", () => {
    const dir = ranBatches(1);
    const lock = join(checkpointOf(dir), '.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, startTicks: '1' })); // alive, but started at another time
    const recorded = run(dir, ['--max-batches', '1']);
    assert.equal(recorded.code, 0, recorded.stderr);
    assert.deepEqual(recorded.batches, [1]);

    writeFileSync(lock, String(process.pid)); // the old format: a PID alone, in a lock older than that process
    utimesSync(lock, new Date('2001-01-01'), new Date('2001-01-01'));
    const bare = run(dir, ['--max-batches', '1']);
    assert.equal(bare.code, 0, bare.stderr);
    assert.deepEqual(bare.batches, [2]);
  });

  it('a lock of a process that is running and wrote it is still refused', () => {
    const dir = ranBatches(1);
    const lock = join(checkpointOf(dir), '.lock');
    const ticks = readFileSync(`/proc/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
    writeFileSync(lock, JSON.stringify({ pid: process.pid, startTicks: ticks }));
    assertRefused(run(dir), 1, new RegExp(`in use by another running query \\(pid ${process.pid}\\)`));
    writeFileSync(lock, String(process.pid)); // old format, written after this process started
    assertRefused(run(dir), 1, new RegExp(`in use by another running query \\(pid ${process.pid}\\)`));
  });
});
