/** Bad options of the generator sources (tsbs-cpu, wide, bounded sensor), as a job file's author sees them. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseRfc3339 } from '../../src/component/generator-options.js';
import { loadJob } from '../../src/config/load-job.js';
import { ConfigError, formatProblem } from '../../src/core/errors.js';

/** The problems loadJob reports for a job with this `source:` line. */
function problems(source: string): string[] {
  const cwd = mkdtempSync(join(tmpdir(), 'streamlab-generator-options-'));
  try {
    mkdirSync(join(cwd, 'jobs'));
    writeFileSync(join(cwd, 'jobs', 'g.yaml'), `name: g\nsource: ${source}\nsink: { type: console }\n`);
    loadJob('g', { cwd, env: {} });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems.map((p) => formatProblem(p).replace(cwd, '<cwd>'));
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  assert.fail('expected the job to be rejected');
}

describe('generator source options', () => {
  it('name the file, the dotted path and what was expected', () => {
    const [start] = problems('{ type: tsbs-cpu, rows: 10, start: "yesterday" }');
    assert.match(start, /jobs\/g\.yaml/);
    assert.match(start, /source\.start/);
    assert.match(start, /expected an RFC 3339 time such as 2016-01-01T00:00:00Z/);
    assert.match(problems('{ type: tsbs-cpu, rows: 10, start: "2016-02-30T00:00:00Z" }')[0], /source\.start: expected an RFC 3339 time/);
    assert.match(problems('{ type: tsbs-cpu, scale: 0 }')[0], /source\.scale.*>=1/);
    assert.match(problems('{ type: wide, rows: 2.5 }')[0], /source\.rows: Invalid input: expected int/);
    assert.match(problems('{ type: wide, rowsPerSecond: 0 }')[0], /source\.rowsPerSecond.*>0/);
    assert.match(problems('{ type: tsbs-cpu, interval: 0s }')[0], /source\.interval: expected a positive duration/);
    assert.match(problems('{ type: tsbs-cpu, hosts: 3 }')[0], /source.*hosts/);
  });

  it('refuse sensor start without rows, saying why', () => {
    assert.match(
      problems('{ type: sensor, start: "2024-01-01T00:00:00Z" }')[0],
      /source\.start: start applies only with rows \(the bounded mode\); without rows the readings start at the wall clock/,
    );
  });

  it('take an unquoted RFC 3339 time in YAML, with a zone offset', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'streamlab-generator-options-'));
    try {
      mkdirSync(join(cwd, 'jobs'));
      writeFileSync(
        join(cwd, 'jobs', 'g.yaml'),
        'name: g\nsource: { type: tsbs-cpu, rows: 5, start: 2016-01-01T01:00:00+01:00 }\nsink: { type: console }\n',
      );
      assert.equal((loadJob('g', { cwd, env: {} }).source.options as { start: number }).start, Date.parse('2016-01-01T00:00:00Z'));
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('parseRfc3339 takes what TSBS takes and nothing Date.parse would guess at', () => {
    assert.equal(parseRfc3339('2016-01-01T00:00:00Z'), 1451606400000);
    assert.equal(parseRfc3339('2016-01-01T00:00:00.5-02:00'), 1451606400000 + 2 * 3_600_000 + 500);
    for (const bad of [
      '2016-01-01',
      '2016-01-01 00:00:00Z',
      '2016-01-01T00:00:00',
      'March 7',
      '2016-13-01T00:00:00Z',
      '2016-02-30T00:00:00Z',
    ]) {
      assert.equal(parseRfc3339(bad), undefined, bad);
    }
  });
});
