/**
 * `npm test` after the build: node's runner over the test files, in a temp directory of their own.
 *
 *   node dist/scripts/run-tests.js                      every dist/test/**\/*.test.js (helpers are not test files)
 *   node dist/scripts/run-tests.js dist/test/sinks/x.test.js [--test-name-pattern=...]
 *
 * The runner prints node's `spec` output and the skipped-suites footer (scripts/skipped-suites-reporter.ts). Its
 * tests see TMPDIR set to a fresh folder; a test that leaves a temporary folder behind fails the run, naming what it
 * left (every test removes what it creates, or a developer's /tmp fills up run after run). The folder is removed
 * either way. Exit code: node's, or 1 when something was left.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const distRoot = join(fileURLToPath(import.meta.url), '..', '..');
const reporter = join(distRoot, 'scripts', 'skipped-suites-reporter.js');

/** Every `*.test.js` under dist/test, sorted, as paths relative to the working directory. */
function allTestFiles(): string[] {
  const root = join(distRoot, 'test');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.js'));
  return files
    .map((f) => relative(process.cwd(), join(root, f)))
    .sort((a, b) => a.split(sep).join('/').localeCompare(b.split(sep).join('/')));
}

function runNodeTest(args: string[], privateTmp: string): Promise<number> {
  const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout'];
  reporters.push(`--test-reporter=${reporter}`, '--test-reporter-destination=stdout');
  const env = { ...process.env, TMPDIR: privateTmp, TMP: privateTmp, TEMP: privateTmp };
  const child = spawn(process.execPath, ['--test', ...reporters, ...args], { stdio: 'inherit', env });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

/** Names of what the tests left in their temp folder; prints them loudly. */
function reportLeftovers(privateTmp: string): string[] {
  const left = readdirSync(privateTmp).sort();
  if (left.length > 0) {
    const lines = left.map((name) => `!!   - ${name}`);
    const head = `!! ${left.length} TEMPORARY FILE(S) OR FOLDER(S) LEFT BY THE TESTS (remove them in after() / t.after()):`;
    process.stdout.write(`\n${head}\n${lines.join('\n')}\n\n`);
  }
  return left;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const files = args.some((a) => !a.startsWith('-')) ? [] : allTestFiles();
  const privateTmp = mkdtempSync(join(tmpdir(), 'streamlab-test-run-'));
  // Ctrl-C reaches node's runner too (same process group): wait for it to stop, then remove the folder.
  process.on('SIGINT', () => undefined);
  try {
    const code = await runNodeTest([...args, ...files], privateTmp);
    const left = reportLeftovers(privateTmp);
    process.exitCode = code !== 0 ? code : left.length > 0 ? 1 : 0;
  } finally {
    rmSync(privateTmp, { recursive: true, force: true });
  }
}

await main();
