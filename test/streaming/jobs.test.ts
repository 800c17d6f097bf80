/**
 * The shipped event-time jobs through the CLI, and a windowed job killed with SIGKILL and restarted: its output
 * files must be those of an uninterrupted run, byte for byte.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = join(root, 'dist/src/cli/main.js');
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A working directory holding copies of the given jobs and data folders (so checkpoints land there). */
function workspace(jobs: string[], data: string[]): string {
  const cwd = mkdtempSync(join(tmpdir(), 'streamlab-jobs-'));
  dirs.push(cwd);
  mkdirSync(join(cwd, 'jobs'));
  for (const job of jobs) cpSync(join(root, 'jobs', `${job}.yaml`), join(cwd, 'jobs', `${job}.yaml`));
  for (const d of data) cpSync(join(root, 'data', d), join(cwd, 'data', d), { recursive: true });
  return cwd;
}

function streamlab(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The text printed for batch `n`, up to the next batch. */
const batchText = (stdout: string, n: number) => stdout.split(/^-+\nBatch: /m).find((part) => part.startsWith(`${n}\n`)) ?? '';

describe('jobs/late-data.yaml', () => {
  it('prints, batch by batch, which rows were counted and which were dropped as late, and why (as Spark 4 decides)', () => {
    const cwd = workspace(['late-data'], ['late-data']);
    const { code, stdout, stderr } = streamlab(['run', 'late-data'], cwd);
    assert.equal(code, 0, stderr);
    assert.deepEqual(
      [...stdout.matchAll(/^Batch: (\d+)$/gm)].map((m) => Number(m[1])),
      [0, 1, 2, 3, 4, 5],
      'six files, one batch each; the last runs with the watermark the fifth moved, so no batch without data follows',
    );
    const third = batchText(stdout, 2);
    assert.match(
      third,
      /Watermark: this batch used 2024-05-01 12:04:00, the next batch uses 2024-05-01 12:11:00 \(latest timestamp seen 2024-05-01 12:21:00 - 10m\)/,
    );
    assert.match(
      third,
      /\|2024-05-01 12:08:00\|dog \|\{2024-05-01 12:00:00, 2024-05-01 12:10:00\}\|counted\|window end 2024-05-01 12:10:00 > watermark 2024-05-01 11:58:00/,
    );
    // Spark 4 (checked on PySpark 4.3.0 with these files, maxFilesPerTrigger=1): batch 3 runs with watermark 12:11 but
    // judges late rows by batch 2's, 12:04, so (12:04, donkey) is counted in both its windows, written (update mode),
    // and forgotten at once since 12:11 has passed their ends.
    const fourth = batchText(stdout, 3);
    assert.match(
      fourth,
      /Late rows: judged by the previous batch's watermark, 2024-05-01 12:04:00, as Spark 4 does; this batch's, 2024-05-01 12:11:00/,
    );
    assert.match(
      fourth,
      /\|2024-05-01 12:04:00\|donkey\|\{2024-05-01 12:00:00, 2024-05-01 12:10:00\}\|counted\|window end 2024-05-01 12:10:00 > watermark 2024-05-01 12:04:00\|/,
    );
    assert.match(fourth, /^\|\{2024-05-01 11:55:00, 2024-05-01 12:05:00\}\|donkey\|1 {4}\|$/m);
    assert.match(fourth, /State of stateStoreSave \(operator 0\) after this batch: 9 rows, 4 updated, 5 removed\n/);
    assert.match(stderr, /\[late-data\] batch 3: 2 rows in, 4 out, .*watermark 2024-05-01T12:11:00.000Z, state 9 rows\n/);
    // Batch 5 (PySpark 4.3.0 the same, parity scenario late-data-job): judged by batch 4's watermark, 12:11, (12:02,
    // donkey) is late in both its windows, while (12:25, owl) counts although 12:30, this batch's, has passed 12:20-12:30.
    const sixth = batchText(stdout, 5);
    assert.match(
      sixth,
      /\|2024-05-01 12:02:00\|donkey\|\{2024-05-01 12:00:00, 2024-05-01 12:10:00\}\|dropped\|late: window end 2024-05-01 12:10:00 <= watermark 2024-05-01 12:11:00\|/,
    );
    assert.match(
      sixth,
      /\|2024-05-01 12:25:00\|owl {3}\|\{2024-05-01 12:20:00, 2024-05-01 12:30:00\}\|counted\|window end 2024-05-01 12:30:00 > watermark 2024-05-01 12:11:00 +\|/,
    );
    assert.match(sixth, /^\|\{2024-05-01 12:20:00, 2024-05-01 12:30:00\}\|owl \|2 {4}\|$/m);
    assert.match(stderr, /\[late-data\] batch 5: 2 rows in, 2 out, .*state 3 rows \(2 late rows dropped\)\n/);

    const again = streamlab(['run', 'late-data'], cwd);
    assert.equal(again.code, 0);
    assert.doesNotMatch(again.stdout, /Batch:/, 'a second run finds the checkpoint done and nothing new');
  });
});

describe('streamlab explain on an event-time job', () => {
  it('shows the watermark, the window, the aggregation with its state, and what the output mode writes', () => {
    const { code, stdout } = streamlab(['explain', 'late-data'], root);
    assert.equal(code, 0);
    assert.match(
      stdout,
      /Step 1: EventTimeWatermark timestamp, delay 10m\n[\s\S]*note: watermark = latest timestamp seen - 10m; computed after each batch, used by the next, never moves back/,
    );
    assert.match(stdout, /Step 2: TimeWindow timestamp, 10m sliding every 5m -> window \{ start, end \}[\s\S]*each row lands in 2 windows/);
    assert.match(
      stdout,
      /Step 3: Aggregate \[window, word\] count\(\) AS count \(state: stateStoreSave\)[\s\S]*note: a row for a final group is late/,
    );
    assert.match(stdout, /^Output mode: +update \(the result rows that changed in this batch\)$/m);
    assert.match(stdout, /^Watermark: +latest timestamp seen - 10m; kept in commits\/ and offsets\/, never moves back$/m);
    assert.match(stdout, /^State: +state\/0: stateStoreSave/m);
  });
});

describe('jobs/windowed-wordcount.yaml', () => {
  it('counts words in sliding windows, a file per second, with late data within the watermark counted', () => {
    const cwd = workspace(['windowed-wordcount'], ['windowed-wordcount']);
    const { code, stdout, stderr } = streamlab(['run', 'windowed-wordcount', '--max-batches', '5'], cwd);
    assert.equal(code, 0, stderr);
    const rows = (n: number) =>
      [...batchText(stdout, n).matchAll(/^\|\{2024-05-01 (\d\d:\d\d):00, 2024-05-01 (\d\d:\d\d):00\}\|(\w+)\s*\|(\d+)\s*\|$/gm)].map(
        (m) => `${m[1]}-${m[2]} ${m[3]} ${m[4]}`,
      );
    assert.deepEqual(rows(0), ['11:55-12:05 cat 1', '11:55-12:05 dog 3', '12:00-12:10 cat 1', '12:00-12:10 dog 3']);
    assert.deepEqual(rows(1), ['12:00-12:10 cat 2', '12:00-12:10 owl 1', '12:05-12:15 cat 1', '12:05-12:15 owl 1']);
    assert.deepEqual(
      rows(3),
      ['11:55-12:05 cat 2', '12:00-12:10 cat 3', '12:20-12:30 owl 2', '12:25-12:35 owl 2'],
      '12:04 is late but ahead of the watermark 12:03: counted',
    );
    assert.deepEqual(rows(4), [], 'the no-data batch evicts windows up to 12:16 silently (update mode)');
    assert.match(stderr, /batch 4: 0 rows in, 0 out, .*state 4 rows/);
  });
});

describe('streamlab validate and run refuse an output mode the query cannot have', () => {
  it('append on a count without watermark: exit 2, the rule quoted with its place, the valid modes named', () => {
    const cwd = workspace([], []);
    const job = readFileSync(join(root, 'jobs/socket-wordcount-console.yaml'), 'utf8').replace('outputMode: update', 'outputMode: append');
    writeFileSync(join(cwd, 'jobs', 'counts.yaml'), job);
    for (const command of ['validate', 'run']) {
      const { code, stdout, stderr } = streamlab([command, 'counts'], cwd);
      assert.equal(code, 2, command);
      assert.match(
        stdout + stderr,
        /jobs\/counts\.yaml:\d+:\d+ outputMode: Append output mode not supported when there are streaming aggregations on streaming DataFrames\/DataSets without watermark: .*Valid output modes for this job: update, complete\./,
      );
    }
  });
});

describe('a windowed job killed with SIGKILL and restarted', () => {
  it('writes the same output files as an uninterrupted run', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'streamlab-kill-'));
    dirs.push(cwd);
    mkdirSync(join(cwd, 'jobs'));
    mkdirSync(join(cwd, 'events'));
    // 40 files of 25 events each; event time moves 20 s per file, some events arrive up to 90 s late.
    for (let f = 0; f < 40; f++) {
      const lines = [];
      for (let i = 0; i < 25; i++) {
        const late = (f * 7 + i * 13) % 10 === 0 ? 90_000 : 0;
        const t = Date.UTC(2024, 4, 1, 12) + f * 20_000 + i * 800 - late;
        lines.push(JSON.stringify({ time: new Date(t).toISOString(), device: `d${(f + i) % 4}`, reading: (f * 31 + i * 17) % 100 }));
      }
      writeFileSync(join(cwd, 'events', `${String(f).padStart(3, '0')}.jsonl`), `${lines.join('\n')}\n`);
    }
    const job = (trigger: string, out: string) => `name: windowed-kill
source: { type: file, path: events, schema: { time: timestamp, device: string, reading: double }, maxFilesPerBatch: 1 }
operators:
  - withWatermark: { column: time, delay: 30 seconds }
  - window: { column: time, size: 1 minute }
  - groupBy: { keys: [window, device], agg: { n: "count()", total: "sum(reading)", low: "min(reading)", high: "max(reading)" } }
sink: { type: file, path: ${out} }
outputMode: append
trigger: ${trigger}
`;
    writeFileSync(join(cwd, 'jobs', 'uninterrupted.yaml'), job('{ availableNow: true }', 'out-clean'));
    writeFileSync(join(cwd, 'jobs', 'slow.yaml'), job('{ processingTime: 100ms }', 'out-killed'));
    writeFileSync(join(cwd, 'jobs', 'finish.yaml'), job('{ availableNow: true }', 'out-killed'));

    const clean = streamlab(['run', 'uninterrupted', '--checkpoint', 'cp-clean'], cwd);
    assert.equal(clean.code, 0, clean.stderr);

    const first = await startUntil(['run', 'slow', '--checkpoint', 'cp-killed'], cwd, /batch 12:/);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const finish = streamlab(['run', 'finish', '--checkpoint', 'cp-killed'], cwd);
    assert.equal(finish.code, 0, finish.stderr);
    const resumedAt = Number(/batch (\d+)/.exec(finish.stderr)?.[1]);
    assert.ok(resumedAt >= 12, `the restart went on from the checkpoint (first batch ${resumedAt}), state restored from state/0`);

    const files = (d: string) =>
      readdirSync(join(cwd, d))
        .filter((f) => f.startsWith('part-'))
        .sort();
    assert.ok(files('out-clean').length > 10, `windows came out: ${files('out-clean').join(' ')}`);
    assert.deepEqual(files('out-killed'), files('out-clean'));
    for (const f of files('out-clean'))
      assert.equal(readFileSync(join(cwd, 'out-killed', f), 'utf8'), readFileSync(join(cwd, 'out-clean', f), 'utf8'), f);
  });
});

/** Starts the CLI and resolves with the child once its stderr matches `ready`. */
function startUntil(args: string[], cwd: string, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, TZ: 'UTC' } });
  let output = '';
  return new Promise((resolvePromise, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolvePromise(child);
    });
    child.stdout!.resume();
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${output}`)));
  });
}
