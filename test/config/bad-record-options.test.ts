import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import { buildJob } from '../../src/config/build-job.js';
import { loadJob } from '../../src/config/load-job.js';
import { ConfigError, formatProblem } from '../../src/core/errors.js';

function workspace(job: string): string {
  const cwd = makeTempDir('streamlab-badrec-config-');
  mkdirSync(join(cwd, 'jobs'));
  writeFileSync(join(cwd, 'jobs', 'j.yaml'), `name: j\nsource: { type: rate, rowsPerSecond: 5 }\nsink: { type: console }\n${job}`);
  return cwd;
}

describe('onBadRecord in a job file', () => {
  it('defaults to fail; deadLetter and deadLetterPath reach the query', () => {
    assert.equal(buildJob(loadJob('j', { cwd: workspace(''), env: {} })).query.onBadRecord, 'fail');
    const { query } = buildJob(loadJob('j', { cwd: workspace('onBadRecord: deadLetter\ndeadLetterPath: out/bad\n'), env: {} }));
    assert.equal(query.onBadRecord, 'deadLetter');
    assert.equal(query.deadLetterPath, 'out/bad');
  });

  it('an unknown policy is a config error naming the key and the choices', () => {
    const cwd = workspace('onBadRecord: drop\n');
    assert.throws(
      () => loadJob('j', { cwd, env: {} }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const [problem] = error.problems.map(formatProblem);
        assert.match(problem, /onBadRecord/);
        assert.match(problem, /fail/);
        assert.match(problem, /deadLetter/);
        return true;
      },
    );
  });
});
