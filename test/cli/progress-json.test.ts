/**
 * `--progress json` through the real CLI, read as a pipe would read it: every line of the JSON stream must parse
 * with JSON.parse, whichever sink the job has (issue 13, item 3).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cliPath, repoRoot } from '../support/cli.js';

const temp = mkdtempSync(join(tmpdir(), 'streamlab-progress-json-'));
after(() => rmSync(temp, { recursive: true, force: true }));

function streamlab(args: string[]) {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Parses every non-empty line (throwing on the first that is not JSON) and returns the progress objects. */
function progressObjects(stream: string, name: string): Array<{ batchId: number; name: string; numInputRows: number }> {
  const lines = stream.split('\n').filter((line) => line !== '');
  const parsed = lines.map((line, i) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return assert.fail(`${name} line ${i + 1} is not JSON: ${line}`);
    }
  });
  return parsed.filter((value) => 'batchId' in value) as never;
}

describe('--progress json gives the progress objects a stream that parses', () => {
  it('with the console sink (tables on stdout): stderr is JSON lines, with one progress object per batch', () => {
    const { code, stdout, stderr } = streamlab([
      'run',
      'rate-console',
      '--max-batches',
      '3',
      '--progress',
      'json',
      '--checkpoint',
      join(temp, 'cp-console'),
    ]);
    assert.equal(code, 0, stderr);
    const progress = progressObjects(stderr, 'stderr');
    assert.deepEqual(
      progress.map((p) => [p.name, p.batchId]),
      [
        ['rate-console', 0],
        ['rate-console', 1],
        ['rate-console', 2],
      ],
    );
    assert.match(stderr, /"level":"info","message":"progress: JSON lines on stderr/, 'the one-line note says where the JSON went');
    assert.deepEqual(
      [...stdout.matchAll(/^Batch: (\d+)$/gm)].map((m) => Number(m[1])),
      [0, 1, 2],
      'the tables stay on stdout',
    );
    assert.doesNotMatch(stdout, /^\{/m, 'no JSON among the tables');
  });

  it('with a sink that does not print (file): stdout holds the progress objects and nothing else', () => {
    const job = join(temp, 'rate-file.yaml');
    writeFileSync(
      job,
      `name: progress-json-file\nsource: { type: rate, rowsPerSecond: 100 }\nsink: { type: file, path: ${join(temp, 'out')} }\ntrigger: { processingTime: 200ms }\n`,
    );
    const { code, stdout, stderr } = streamlab([
      'run',
      job,
      '--max-batches',
      '3',
      '--progress',
      'json',
      '--checkpoint',
      join(temp, 'cp-file'),
    ]);
    assert.equal(code, 0, stderr);
    const progress = progressObjects(stdout, 'stdout');
    assert.deepEqual(
      progress.map((p) => [p.name, p.batchId]),
      [
        ['progress-json-file', 0],
        ['progress-json-file', 1],
        ['progress-json-file', 2],
      ],
    );
    assert.equal(stdout.split('\n').filter(Boolean).length, 3, 'stdout is the three objects alone');
    assert.match(stderr, /\[progress-json-file\] starting/, 'the log stays text on stderr');
  });

  it('json=FILE: the file holds one object per batch, the terminal keeps the text lines', () => {
    const file = join(temp, 'progress.jsonl');
    const { code, stdout, stderr } = streamlab([
      'run',
      'rate-console',
      '--max-batches',
      '3',
      '--progress',
      `json=${file}`,
      '--checkpoint',
      join(temp, 'cp-to-file'),
    ]);
    assert.equal(code, 0, stderr);
    const content = readFileSync(file, 'utf8');
    assert.deepEqual(
      progressObjects(content, file).map((p) => p.batchId),
      [0, 1, 2],
    );
    assert.equal(content.split('\n').filter(Boolean).length, 3, 'the file holds the three objects alone');
    assert.match(stderr, /\[rate-console\] batch 2: \d+ rows in/);
    assert.doesNotMatch(stdout + stderr, /^\{/m, 'no JSON on the terminal');
  });

  it('an unknown --progress value exits 2 naming the accepted ones', () => {
    const { code, stderr } = streamlab(['run', 'rate-console', '--progress', 'yaml']);
    assert.equal(code, 2);
    assert.match(stderr, /--progress: expected text, json or json=FILE, found 'yaml'/);
  });
});
