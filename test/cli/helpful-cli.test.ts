/**
 * Issue 13 item 7, through the built CLI: did-you-mean for flags and commands, the one line a job with nothing new
 * to do prints, `streamlab reset`, `list` wrapped to 80 columns off a terminal, and `explain`'s column types and options.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { resetCommand } from '../../src/cli/reset.js';
import { cliPath, exited, repoRoot, startCli } from '../support/cli.js';

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-helpful-cli-'));
  temps.push(dir);
  return dir;
};

function streamlab(args: string[], cwd = repoRoot) {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A project folder of its own holding people-file-console and its data, so that its checkpoint is ours alone. */
function peopleProject(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'jobs'));
  mkdirSync(join(dir, 'data'));
  copyFileSync(join(repoRoot, 'jobs/people-file-console.yaml'), join(dir, 'jobs/people-file-console.yaml'));
  copyFileSync(join(repoRoot, 'data/people.json'), join(dir, 'data/people.json'));
  return dir;
}

describe('unknown flags and commands: did you mean, and where the options are', () => {
  it('run --max-batch: the option it resembles, the usage line and --help, not node parser text', () => {
    const { code, stdout, stderr } = streamlab(['run', 'rate-console', '--max-batch', '3']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(
      stderr,
      "unknown option '--max-batch'; did you mean --max-batches?\n" +
        'Usage: streamlab run <job name | path.yaml> [options]\n' +
        "Run 'streamlab run --help' for its options.\n",
    );
  });

  it('every command: validate, explain, bench, bench compare, reset', () => {
    const cases: Array<[string[], string, string]> = [
      [['validate', '--conect'], "unknown option '--conect'; did you mean --connect?", 'streamlab validate'],
      [['explain', 'rate-console', '--hlep'], "unknown option '--hlep'; did you mean --help?", 'streamlab explain'],
      [['bench', '--row', '5'], "unknown option '--row'; did you mean --rows?", 'streamlab bench'],
      [['bench', 'compare', 'a.json', 'b.json', '--hepl'], "unknown option '--hepl'; did you mean --help?", 'streamlab bench compare'],
      [['reset', 'rate-console', '--yse'], "unknown option '--yse'; did you mean --yes?", 'streamlab reset'],
    ];
    for (const [args, first, command] of cases) {
      const { code, stderr } = streamlab(args);
      assert.equal(code, 2, args.join(' '));
      const lines = stderr.trimEnd().split('\n');
      assert.equal(lines[0], first);
      assert.match(lines[1], new RegExp(`^Usage: ${command} `));
      assert.equal(lines[2], `Run '${command} --help' for its options.`);
      assert.equal(lines.length, 3, stderr);
    }
  });

  it('a flag like none of the options gets no guess', () => {
    const { code, stderr } = streamlab(['run', 'rate-console', '--zzz']);
    assert.equal(code, 2);
    assert.equal(stderr.split('\n')[0], "unknown option '--zzz'");
  });

  it('unknown commands: rnu -> run, a word like none of them gets the list alone', () => {
    const typo = streamlab(['rnu']);
    assert.equal(typo.code, 2);
    assert.equal(
      typo.stderr,
      "unknown command 'rnu'; did you mean run?\n" +
        "Commands: run, serve, list, validate, explain, reset, bench, help. Run 'streamlab --help' for what each does.\n",
    );
    assert.equal(streamlab(['frobnicate']).stderr.split('\n')[0], "unknown command 'frobnicate'");
  });
});

describe('a second run with nothing new, and streamlab reset', () => {
  it('people-file-console run twice: the second says in one line that there is nothing new, then reset starts over', () => {
    const project = peopleProject();
    const first = streamlab(['run', 'people-file-console'], project);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Batch: 0$/m);
    assert.doesNotMatch(first.stderr, /nothing new/);

    const second = streamlab(['run', 'people-file-console'], project);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, '', 'no batch ran');
    assert.equal(
      second.stderr,
      '[people-file-console] starting (checkpoint .checkpoints/people-file-console); Ctrl-C to stop\n' +
        '[people-file-console] nothing new since batch 0: the checkpoint at .checkpoints/people-file-console has ' +
        'processed everything available (streamlab reset people-file-console to start over)\n',
    );

    // Not at a terminal (stdin is a pipe here): nothing is deleted without --yes.
    const unconfirmed = streamlab(['reset', 'people-file-console'], project);
    assert.equal(unconfirmed.code, 2);
    assert.match(
      unconfirmed.stdout,
      /^This deletes people-file-console's checkpoint \.checkpoints\/people-file-console \(3 files, \d+ B; batches up to 0 committed\)\.\n/,
    );
    assert.equal(unconfirmed.stderr, 'not deleted: give --yes to delete without a terminal to confirm on\n');
    assert.deepEqual(readdirSync(join(project, '.checkpoints/people-file-console')).sort(), ['commits', 'metadata', 'offsets']);

    const reset = streamlab(['reset', 'people-file-console', '--yes'], project);
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /\ndeleted \.checkpoints\/people-file-console\n$/);
    assert.equal(existsSync(join(project, '.checkpoints/people-file-console')), false);
    assert.ok(existsSync(join(project, 'data/people.json')), 'only the checkpoint is deleted');

    const again = streamlab(['run', 'people-file-console'], project);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^Batch: 0$/m);
    assert.match(again.stdout, /\|\s*Andy\|\s*30\|\s*true\|/);

    const noCheckpoint = streamlab(['reset', 'people-file-console', '--yes'], tempCopyWithoutCheckpoint(project));
    assert.equal(noCheckpoint.code, 0);
    assert.equal(
      noCheckpoint.stdout,
      'people-file-console has no checkpoint at .checkpoints/people-file-console: nothing to reset (its next run starts from batch 0)\n',
    );
  });

  it('reset refuses a checkpointLocation outside the project folder, and a folder that is not a checkpoint', () => {
    const project = peopleProject();
    const outside = join(tempDir(), 'elsewhere');
    const job = readFileSync(join(project, 'jobs/people-file-console.yaml'), 'utf8');
    writeFileSync(
      join(project, 'jobs/outside.yaml'),
      job.replace('name: people-file-console', `name: outside\ncheckpointLocation: ${outside}`),
    );
    writeFileSync(
      join(project, 'jobs/data-dir.yaml'),
      job.replace('name: people-file-console', 'name: data-dir\ncheckpointLocation: data'),
    );
    assert.equal(streamlab(['run', 'outside'], project).code, 0);
    assert.ok(existsSync(join(outside, 'metadata')));

    const refused = streamlab(['reset', 'outside', '--yes'], project);
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr,
      `not deleting ${outside}: it is outside the job's project folder ${project}; delete it yourself if you mean to\n`,
    );
    assert.ok(existsSync(join(outside, 'metadata')));

    const notCheckpoint = streamlab(['reset', 'data-dir', '--yes'], project);
    assert.equal(notCheckpoint.code, 2);
    assert.equal(notCheckpoint.stderr, 'not deleting data: it is not a streamlab checkpoint (it has no metadata file)\n');
    assert.ok(existsSync(join(project, 'data/people.json')));
  });

  it('reset refuses the checkpoint of a job that is running', async () => {
    const project = tempDir();
    mkdirSync(join(project, 'jobs'));
    writeFileSync(join(project, 'jobs/ticking.yaml'), 'name: ticking\nsource: { type: rate, rowsPerSecond: 1 }\nsink: { type: console }\n');
    const running = await startCli(['run', 'ticking'], project, /batch 0:/);
    try {
      const refused = streamlab(['reset', 'ticking', '--yes'], project);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /checkpoint .*\.checkpoints\/ticking is in use by another running query \(pid \d+\); stop it first/);
      assert.ok(existsSync(join(project, '.checkpoints/ticking/metadata')));
    } finally {
      running.child.kill('SIGINT');
      await exited(running.child);
    }
  });

  it('reset asks on a terminal: no keeps the checkpoint, yes deletes it', async () => {
    const project = peopleProject();
    const jobFile = join(project, 'jobs/people-file-console.yaml');
    assert.equal(streamlab(['run', 'people-file-console'], project).code, 0);
    const checkpoint = join(project, '.checkpoints/people-file-console');
    const cwd = process.cwd();
    process.chdir(project); // the CLI resolves the shown checkpoint path from its working directory
    try {
      const questions: string[] = [];
      let out = '';
      const io = (answer: boolean) => ({
        out: (t: string) => {
          out += t;
        },
        confirm: async (q: string) => {
          questions.push(q);
          return answer;
        },
      });
      assert.equal(await resetCommand([jobFile], io(false)), 1);
      assert.match(out, /not deleted\n$/);
      assert.ok(existsSync(join(checkpoint, 'metadata')));
      assert.equal(await resetCommand([jobFile], io(true)), 0);
      assert.equal(existsSync(checkpoint), false);
      assert.deepEqual(questions, ['Delete it? [y/N] ', 'Delete it? [y/N] ']);
    } finally {
      process.chdir(cwd);
    }
  });
});

/** The same job and data in a fresh folder: a job that never ran there has no checkpoint. */
function tempCopyWithoutCheckpoint(project: string): string {
  const copy = tempDir();
  mkdirSync(join(copy, 'jobs'));
  copyFileSync(join(project, 'jobs/people-file-console.yaml'), join(copy, 'jobs/people-file-console.yaml'));
  return copy;
}

describe('list and explain', () => {
  it('list off a terminal: 80 columns, each description whole and indented under its name', () => {
    const { code, stdout } = streamlab(['list']);
    assert.equal(code, 0);
    const lines = stdout.trimEnd().split('\n');
    for (const line of lines) assert.ok(line.length <= 80, `${line.length} > 80: ${line}`);
    const shown = new Map<string, string[]>();
    let current = '';
    for (const line of lines) {
      if (line.startsWith('    ')) shown.get(current)!.push(line.trim());
      else shown.set((current = line), []);
    }
    const jobs = readdirSync(join(repoRoot, 'jobs')).filter((f) => f.endsWith('.yaml'));
    assert.deepEqual([...shown.keys()], jobs.map((f) => f.replace(/\.yaml$/, '')).sort());
    for (const file of jobs) {
      const { description } = parse(readFileSync(join(repoRoot, 'jobs', file), 'utf8')) as { description: string };
      assert.equal(shown.get(file.replace(/\.yaml$/, ''))!.join(' '), description.replace(/\s+/g, ' ').trim(), file);
    }
  });

  it('explain: explode(split(...)) gives string, and the rate source names rampUpTime once, as written', () => {
    const words = streamlab(['explain', 'socket-words-console']);
    assert.equal(words.code, 0);
    assert.match(words.stdout, /Step 1: Generate explode\(split\(value, ' '\)\) AS word\n.*\n {5}columns: word: string\n/);
    assert.match(words.stdout, /Step 2: Filter word != ''\n {5}columns: word: string\n/);

    const project = tempDir();
    mkdirSync(join(project, 'jobs'));
    writeFileSync(
      join(project, 'jobs/ramp.yaml'),
      'name: ramp\nsource: { type: rate, rowsPerSecond: 5, rampUpTime: 5s }\nsink: { type: console }\n',
    );
    const ramp = streamlab(['explain', 'ramp'], project);
    assert.equal(ramp.code, 0, ramp.stderr);
    assert.match(ramp.stdout, /Input: RateStream\(rowsPerSecond=5, rampUpTime=5s\)\n {5}options: rowsPerSecond=5, rampUpTime=5s\n/);
    assert.doesNotMatch(ramp.stdout, /rampUpTimeSeconds/);
  });
});
