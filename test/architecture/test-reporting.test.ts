import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/cli.js';
import { makeTempDir } from '../support/temp-dir.js';

/**
 * `npm test` tells the truth (scripts/run-tests.ts with scripts/skipped-suites-reporter.ts): node's summary counts
 * every skipped suite, the footer lists exactly as many with what each needed, and a test that leaves a temporary
 * folder fails the run. Each case runs the project's test runner on a small fixture file in a temp folder of its own.
 */

const supportUrl = (file: string) => pathToFileURL(join(repoRoot, 'dist/test/support', file)).href;

interface Run {
  code: number | null;
  out: string;
  /** The folder the fixture's tests saw as os.tmpdir() (the runner's own temp folder is made inside it). */
  tmp: string;
}

/** Writes `source` as a test file and runs `node dist/scripts/run-tests.js <it>` with a TMPDIR of its own. */
function runFixture(source: string): Run {
  const dir = makeTempDir('streamlab-fixture-');
  const tmp = makeTempDir('streamlab-fixture-tmp-');
  const file = join(dir, 'fixture.test.mjs');
  writeFileSync(file, source);
  // Without NODE_TEST_CONTEXT, or node's runner takes the nested run for a recursive call and runs nothing.
  const { NODE_TEST_CONTEXT: _, ...outside } = process.env;
  const env = { ...outside, TMPDIR: tmp, TMP: tmp, TEMP: tmp };
  const result = spawnSync(process.execPath, [join(repoRoot, 'dist/scripts/run-tests.js'), file], { cwd: repoRoot, env, encoding: 'utf8' });
  return { code: result.status, out: `${result.stdout}${result.stderr}`, tmp };
}

function summarySkipped(out: string): number {
  const match = /^ℹ skipped (\d+)$/m.exec(out);
  assert.ok(match, `no "skipped N" in node's summary:\n${out}`);
  return Number(match[1]);
}

const SKIPS = `
import { describe, it } from 'node:test';
import { describeOrSkip } from '${supportUrl('describe-or-skip.js')}';
describeOrSkip('mysql sink against MariaDB', { skip: 'mariadb is not running' }, () => {
  it('writes every row', () => {});
  it('survives a replayed batch', () => {});
});
describeOrSkip('a suite whose server is up', { skip: false }, () => {
  it('runs', () => {});
  it('a property this sink does not promise', { skip: 'not promised: no transactions' }, () => {});
});
describe('parquet read-back', () => {
  it('with pyarrow', (t) => t.skip('python3 with pyarrow is not installed'));
});
`;

describe('npm test reports skips truthfully', () => {
  it("node's summary counts a skipped suite, and the footer lists as many as the summary, each with its reason", () => {
    const { code, out } = runFixture(SKIPS);
    assert.equal(code, 0, out);
    const footer = /^!! (\d+) SKIPPED \(node's "skipped (\d+)" above\)/m.exec(out);
    assert.ok(footer, `no skipped footer:\n${out}`);
    const listed = out.split('\n').filter((l) => l.startsWith('!!   - '));
    assert.equal(summarySkipped(out), 3, out);
    assert.deepEqual([Number(footer[1]), Number(footer[2]), listed.length], [3, 3, 3], out);
    assert.deepEqual(listed, [
      '!!   - mysql sink against MariaDB: mariadb is not running',
      '!!   - a property this sink does not promise: not promised: no transactions',
      '!!   - with pyarrow: python3 with pyarrow is not installed',
    ]);
  });

  it('a suite skipped with a plain describe (node counts none of it) fails the run, naming the suite', () => {
    const source =
      "import { describe, it } from 'node:test';\ndescribe('cassandra smoke', { skip: 'no cassandra' }, () => { it('x', () => {}); });\n";
    const { code, out } = runFixture(source);
    assert.equal(summarySkipped(out), 0, 'node does not count it: the reason for the failure');
    assert.equal(code, 1, out);
    assert.match(out, /^!! 1 SUITE\(S\) SKIPPED WITH describe\(name, \{ skip \}\)/m);
    assert.match(out, /^!! {3}- cassandra smoke \(.*fixture\.test\.mjs\): no cassandra$/m);
  });
});

describe('npm test fails a run whose tests leave temporary folders', () => {
  it('a test that leaves a folder in os.tmpdir() fails the run, which names it; the run removes its temp folder', () => {
    const source = `
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
it('forgets its folder', () => { mkdtempSync(join(tmpdir(), 'streamlab-forgotten-')); });
`;
    const { code, out, tmp } = runFixture(source);
    assert.match(out, /^ℹ pass 1$/m, 'the test itself passes');
    assert.equal(code, 1, out);
    assert.match(out, /^!! 1 TEMPORARY FILE\(S\) OR FOLDER\(S\) LEFT BY THE TESTS/m);
    assert.match(out, /^!! {3}- streamlab-forgotten-\w{6}$/m);
    assert.deepEqual(readdirSync(tmp), [], "the runner's own temp folder is removed, leftovers and all");
  });

  it('a test that removes what it made (makeTempDir) passes and leaves nothing', () => {
    const source = `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { makeTempDir } from '${supportUrl('temp-dir.js')}';
it('uses a folder', () => { writeFileSync(join(makeTempDir('streamlab-tidy-'), 'f'), 'x'); });
`;
    const { code, out, tmp } = runFixture(source);
    assert.equal(code, 0, out);
    assert.doesNotMatch(out, /LEFT BY THE TESTS/);
    assert.deepEqual(readdirSync(tmp), []);
  });
});
