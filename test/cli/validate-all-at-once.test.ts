import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cliPath } from '../support/cli.js';

/**
 * Issue 13, item 2: a job with mistakes of every kind (top-level shape, component options, expressions) gets them all
 * reported in one run of the real CLI, in the order of the file, by validate, run and explain alike.
 */

const folders: string[] = [];
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A working directory with jobs/<name>.yaml. */
function project(name: string, text: string): string {
  const cwd = mkdtempSync(join(tmpdir(), 'streamlab-validate-'));
  folders.push(cwd);
  mkdirSync(join(cwd, 'jobs'));
  writeFileSync(join(cwd, 'jobs', `${name}.yaml`), text);
  return cwd;
}

function streamlab(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The first line of each problem (`jobs/x.yaml:L:C path: message`), in the order printed. */
const problemLines = (output: string, job: string) =>
  output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith(`jobs/${job}.yaml:`));

const seven = `name: seven
descripton: seven mistakes at once
source: { type: rate, rowsPerSecnd: 5 }
operators:
  - filter: "vlaue % 2 == 0"
  - withColumn: { name: doubled, expr: "value * 2", colour: red }
  - withColumn: { name: label, expr: "doubled + 'x'" }
sink: { type: console, numRows: many }
trigger: { processingTime: soon }
`;

const sevenProblems = [
  "jobs/seven.yaml:2:13 descripton: unknown key 'descripton' (allowed: name, description, source, operators, sink, trigger, batch, outputMode, checkpointLocation, maxRowsPerBatch, cores, onBadRecord, multipleWatermarkPolicy, deadLetterPath)",
  "jobs/seven.yaml:3:37 source.rowsPerSecnd: unknown key 'rowsPerSecnd' (allowed: rowsPerSecond, rampUpTime)",
  "jobs/seven.yaml:5:14 operators[0].filter: unknown column 'vlaue' (columns: timestamp, value) at position 1",
  "jobs/seven.yaml:6:61 operators[1].withColumn.colour: unknown key 'colour' (allowed: name, expr)",
  "jobs/seven.yaml:7:47 operators[2].withColumn.expr: '+' does not join strings: use concat(a, b) at position 9",
  'jobs/seven.yaml:8:33 sink.numRows: Invalid input: expected number, received string',
  'jobs/seven.yaml:9:28 trigger.processingTime: expected a duration such as 500ms, 1s, 10 seconds, 5m, 1 hour',
];

describe('validation reports everything at once (issue 13, item 2)', () => {
  it('validate: seven mistakes of three kinds, all in one run, sorted by line, each expression with its caret', () => {
    const cwd = project('seven', seven);
    const { code, stdout, stderr } = streamlab(['validate', 'seven'], cwd);
    assert.equal(code, 2, stderr);
    assert.deepEqual(problemLines(stdout, 'seven'), sevenProblems);
    assert.match(stdout, /at position 1\n {4}vlaue % 2 == 0\n {4}\^{5}\n/);
    assert.match(stdout, /at position 9\n {4}doubled \+ 'x'\n {12}\^\n/);
    assert.doesNotMatch(stdout, /note:/, 'the operators after the broken ones were all checked against their columns');
  });

  it('run and explain: the same seven problems under the "7 problems:" header, exit 2, no stack trace', () => {
    const cwd = project('seven', seven);
    for (const command of ['run', 'explain']) {
      const { code, stdout, stderr } = streamlab([command, 'seven'], cwd);
      assert.equal(code, 2, `${command}: ${stdout}${stderr}`);
      assert.match(stderr, /^7 problems:\n/, command);
      assert.deepEqual(problemLines(stderr, 'seven'), sevenProblems, command);
      assert.doesNotMatch(stderr, /\n\s+at /, `${command}: no stack trace`);
    }
  });

  it('operators whose input columns are not known get their syntax checked and one note, not guessed errors', () => {
    const cwd = project(
      'unknown',
      `name: unknown
source: { type: rate }
operators:
  - filter: "value > 1"
  - frobnicate: { x: 1 }
  - filter: "nosuch > 3"
  - select: ["value %% 2 as v", "timestamp"]
  - withColumn: { name: x, expr: "value +" }
sink: { type: console }
`,
    );
    const { code, stdout } = streamlab(['validate', 'unknown'], cwd);
    assert.equal(code, 2, stdout);
    const lines = problemLines(stdout, 'unknown');
    assert.equal(lines.length, 3, stdout);
    assert.match(lines[0], /^jobs\/unknown\.yaml:5:5 operators\[1\]: unknown operator type 'frobnicate' /);
    assert.equal(lines[1], "jobs/unknown.yaml:7:22 operators[3].select[0]: expected an expression but found '%' at position 8");
    assert.equal(
      lines[2],
      'jobs/unknown.yaml:8:42 operators[4].withColumn.expr: expected an expression but found the end of the expression at position 8',
    );
    assert.doesNotMatch(stdout, /nosuch/, 'a column cannot be called unknown when the columns are not known');
    const notes = stdout.split('\n').filter((line) => line.trim().startsWith('note:'));
    assert.deepEqual(
      notes.map((n) => n.trim()),
      [
        'note: operators[2], operators[3], operators[4] and sink not checked against their input columns (only expression syntax): they depend on operators[1], which has problems',
      ],
    );
  });

  it("every item of a select is compiled, whatever is wrong with the one before, and what follows a filter's bad expression is checked", () => {
    const cwd = project(
      'select',
      `name: select
source: { type: rate }
operators:
  - filter: "vlaue > 1"
  - filter: "value > 'a'"
  - select: ["vlaue", "value * 2", "upper(value, 1) as u"]
sink: { type: console }
`,
    );
    const { code, stdout } = streamlab(['validate', 'select'], cwd);
    assert.equal(code, 2, stdout);
    assert.deepEqual(problemLines(stdout, 'select'), [
      "jobs/select.yaml:4:14 operators[0].filter: unknown column 'vlaue' (columns: timestamp, value) at position 1",
      "jobs/select.yaml:5:20 operators[1].filter: cannot compare long with string using '>' at position 7",
      "jobs/select.yaml:6:15 operators[2].select[0]: unknown column 'vlaue' (columns: timestamp, value) at position 1",
      "jobs/select.yaml:6:23 operators[2].select[1]: 'value * 2' computes a value but has no name: write it as 'value * 2 as <name>'",
      'jobs/select.yaml:6:37 operators[2].select[2]: upper expects 1 argument, got 2 at position 1',
    ]);
    assert.match(stdout, /note: sink not checked against its input columns \(only expression syntax\): it depends on operators\[2\]/);
  });
});
