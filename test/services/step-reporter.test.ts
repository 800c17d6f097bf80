import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CLEAR_LINE, StepReporter, type StartTicker } from '../../scripts/services/step.js';

const WHAT = 'building InfluxDB 1.8.10 from the Go module proxy';
const WHY = 'first time only, ~1 min';
const LINE = `  ${WHAT} (${WHY})…`;

/** A fake terminal or log, a clock the step body moves, and a ticker that records what it was asked to do. */
function harness(isTTY: boolean, columns?: number) {
  const events: string[] = [];
  let now = 1_000;
  const startTicker: StartTicker = (data) => {
    events.push(`ticker ${JSON.stringify(data)}`);
    return { stop: () => void events.push('ticker stopped') };
  };
  const reporter = new StepReporter({ write: (text) => void events.push(text), isTTY, fd: 99, columns }, () => now, startTicker);
  return { events, reporter, advance: (ms: number) => void (now += ms) };
}

describe('services up: the step reporter', () => {
  it('not on a terminal: a line when the step starts and one when it is done, no ticker, no carriage return', () => {
    const { events, reporter, advance } = harness(false);
    const result = reporter.run(WHAT, WHY, () => {
      advance(52_000);
      return 'built';
    });
    assert.equal(result, 'built');
    assert.deepEqual(events, [`${LINE}\n`, `  ${WHAT}: done in 52s\n`]);
  });

  it('on a terminal: one line, the seconds counted by a ticker, stopped before the line ends with its time', () => {
    const { events, reporter, advance } = harness(true);
    reporter.run(WHAT, WHY, () => advance(52_000));
    assert.deepEqual(events, [
      LINE,
      `ticker ${JSON.stringify({ fd: 99, line: LINE, startMs: 1_000, intervalMs: 1000 })}`,
      'ticker stopped',
      `${CLEAR_LINE}${LINE} done in 52s\n`,
    ]);
  });

  it('a failed step says so with its time, stops the ticker and throws the error on', () => {
    const { events, reporter, advance } = harness(true);
    assert.throws(
      () =>
        reporter.run('initialising the PostgreSQL data directory', undefined, () => {
          advance(3_000);
          throw new Error('initdb: exit code 1');
        }),
      /initdb: exit code 1/,
    );
    assert.deepEqual(events.slice(-2), ['ticker stopped', `${CLEAR_LINE}  initialising the PostgreSQL data directory… failed after 3s\n`]);
  });

  it('on a narrow terminal the line is cut to fit with its time', () => {
    const { events, reporter } = harness(true, 50);
    reporter.run(WHAT, WHY, () => undefined);
    const last = events.at(-1) as string;
    assert.ok(last.length - CLEAR_LINE.length - 1 < 50, JSON.stringify(last));
    assert.ok(last.startsWith(`${CLEAR_LINE}  building InfluxDB`), JSON.stringify(last));
    assert.match(last, /… done in 0s\n$/);
  });
});

describe('services up: the real ticker (a worker thread) while the main thread is blocked in spawnSync', () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-step-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('redraws the line with the seconds during the step, and never after its last line', () => {
    const file = join(dir, 'terminal');
    const fd = openSync(file, 'w');
    const reporter = new StepReporter({ write: (text) => void writeSync(fd, text), isTTY: true, fd }, Date.now, undefined, 100);
    reporter.run('sleeping', 'a blocked step', () => spawnSync('sleep', ['1.5']));
    spawnSync('sleep', ['0.3']); // a ticker that was not stopped would write again in this time
    closeSync(fd);
    const written = readFileSync(file, 'utf8');
    const line = '  sleeping (a blocked step)…';
    const redraws = written.split(`${CLEAR_LINE}${line} `).slice(1);
    assert.ok(redraws.length >= 5, `expected a redraw every 100 ms for 1.5 s, found ${redraws.length}: ${JSON.stringify(written)}`);
    assert.ok(
      redraws.slice(0, -1).every((r) => /^\d+s$/.test(r)),
      JSON.stringify(redraws),
    );
    assert.ok(redraws.includes('1s'), 'the seconds move on');
    assert.match(redraws.at(-1) as string, /^done in \d+s\n$/, 'the last line is the step done, nothing after it');
  });
});
