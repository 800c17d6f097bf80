/** `streamlab bench report results.json`: the report drawn again from a results file, through the built CLI. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { benchResultsFixture } from '../benchmark/report-fixture.js';
import { cliPath } from '../support/cli.js';

describe('streamlab bench report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-bench-report-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) => spawnSync(process.execPath, [cliPath, 'bench', 'report', ...args], { cwd: dir, encoding: 'utf8' });

  it('draws report.html and the charts from a results.json into the folder given', () => {
    const results = benchResultsFixture();
    writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
    const done = cli('results.json', '--report', 'again');
    assert.equal(done.status, 0, done.stderr);
    for (const file of ['report.html', 'throughput.svg', 'latency.svg']) {
      assert.ok(existsSync(join(dir, 'again', file)), `${file} written`);
      assert.match(done.stdout, new RegExp(`again/${file.replace('.', '\\.')}`));
    }
    const html = readFileSync(join(dir, 'again', 'report.html'), 'utf8');
    for (const run of results.runs) assert.ok(html.includes(run.target), `report names ${run.target}`);
  });

  it('refuses a file that is not a results.json, naming it (exit 2)', () => {
    writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
    const done = cli('other.json');
    assert.equal(done.status, 2);
    assert.match(done.stderr, /other\.json.*not a results\.json/);
    assert.doesNotMatch(done.stderr, /\n\s+at /, 'no stack trace');
  });
});
