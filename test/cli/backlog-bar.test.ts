import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { barLine } from '../../src/cli/backlog-bar.js';
import { CLEAR_LINE } from '../../src/cli/tty-line.js';
import { cliPath } from '../support/cli.js';

// 300,000 TSBS rows in ten batches to the memory sink: a backlog the bar counts in rows.
const JOB = `name: backlog-bar-test
source: { type: tsbs-cpu, scale: 100, rows: 300000 }
sink: { type: memory }
trigger: { availableNow: true }
maxRowsPerBatch: 30000
`;
const BAR = (done: string) =>
  new RegExp(`\\[backlog-bar-test\\] \\[[█░]{20}\\] ${done}/300,000 rows \\(\\d+%\\)  [\\d,]+ rows/s  ETA (\\d+m)?\\d+s`);

const dir = mkdtempSync(join(tmpdir(), 'streamlab-backlog-bar-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'job.yaml'), JOB);
const runArgs = (checkpoint: string) => ['run', 'job.yaml', '--checkpoint', checkpoint];

/** `script` (util-linux) runs the CLI on a pseudo-terminal: stdout and stderr both go to the terminal it records. */
function onTerminal(args: string[]) {
  const command = [process.execPath, cliPath, ...args].map((a) => `'${a}'`).join(' ');
  return spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('run: the availableNow backlog bar', () => {
  it('on a terminal: done/total rows, rows/s and ETA redrawn in place below the per-batch lines, gone at the end', () => {
    const result = onTerminal(runArgs('cp-tty'));
    assert.equal(result.error, undefined, `script (util-linux) is needed to run the CLI on a pseudo-terminal: ${result.error}`);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const out = result.stdout;
    assert.match(out, BAR('30,000'), 'the bar after the first batch');
    assert.match(out, BAR('150,000'), 'the bar half way');
    assert.match(out, BAR('300,000'), 'the bar at the end');
    assert.ok(out.includes(`${CLEAR_LINE}[backlog-bar-test] [`), 'drawn in place (carriage return, clear line)');
    assert.ok(out.trimEnd().endsWith(CLEAR_LINE.trim()), 'the bar is cleared when the run ends');
    const batches = [...out.matchAll(/\[backlog-bar-test\] batch (\d+): 30000 rows in, 30000 out/g)].map((m) => Number(m[1]));
    assert.deepEqual(batches, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'every per-batch line is still there');
  });

  it('not on a terminal: stderr has the per-batch lines and nothing else', () => {
    const result = spawnSync(process.execPath, [cliPath, ...runArgs('cp-pipe')], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stderr.trimEnd().split('\n');
    assert.match(lines[0], /^\[backlog-bar-test\] starting \(checkpoint cp-pipe\); Ctrl-C to stop$/);
    assert.equal(lines.length, 11, result.stderr);
    const batchLine = /^\[backlog-bar-test\] batch (\d+): 30000 rows in, 30000 out, \d+ ms \([\d.]+ rows\/s\)$/;
    assert.deepEqual(
      lines.slice(1).map((line) => Number(batchLine.exec(line)?.[1])),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    for (const drawing of ['\r', CLEAR_LINE, 'ETA', '█']) assert.ok(!result.stderr.includes(drawing), JSON.stringify(drawing));
  });

  it('barLine: the bar fills with done/total; ETA from the rate, ? without one, 0s when done', () => {
    assert.equal(
      barLine('big', { done: 1_500_000, total: 5_000_000, unit: 'rows' }, 250_000),
      '[big] [██████░░░░░░░░░░░░░░] 1,500,000/5,000,000 rows (30%)  250,000 rows/s  ETA 14s',
    );
    assert.equal(
      barLine('lake', { done: 3, total: 40, unit: 'files' }, 0),
      '[lake] [██░░░░░░░░░░░░░░░░░░] 3/40 files (7%)  0 files/s  ETA ?',
    );
    assert.equal(
      barLine('lake', { done: 40, total: 40, unit: 'files' }, 8),
      '[lake] [████████████████████] 40/40 files (100%)  8 files/s  ETA 0s',
    );
  });
});
