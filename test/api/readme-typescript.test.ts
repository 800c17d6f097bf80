/**
 * The README's "TypeScript jobs" section, as written: its job.ts and tsconfig.json blocks are compiled with the
 * project's tsc and run with node, inside this checkout (the package imports itself by name through its `exports`)
 * and in another project that has the packed package installed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../support/cli.js';
import { markdownSection, onlyCodeBlock } from '../support/markdown.js';
import { assertBatches } from './rate-even-output.js';

const section = markdownSection(readFileSync(join(repoRoot, 'README.md'), 'utf8'), 'TypeScript jobs');
const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
const folders: string[] = [];
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** Runs a command to its end (killed after `timeoutMs`), with its exit code and output. */
function run(command: string, args: string[], cwd: string, timeoutMs = 30_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A folder holding the README's job.ts and tsconfig.json, exactly as written. */
function jobFolder(folder: string): string {
  folders.push(folder);
  writeFileSync(join(folder, 'job.ts'), onlyCodeBlock(section, 'ts'));
  writeFileSync(join(folder, 'tsconfig.json'), onlyCodeBlock(section, 'json'));
  return folder;
}

/** Compiles the job folder with tsc and runs dist/job.js there (so its checkpoint is there too). */
async function compileAndRun(folder: string) {
  const compiled = await run(process.execPath, [tsc, '-p', folder], folder);
  assert.equal(compiled.code, 0, `tsc:\n${compiled.stdout}${compiled.stderr}`);
  const ran = await run(process.execPath, [join(folder, 'dist/job.js')], folder);
  assert.equal(ran.code, 0, ran.stderr);
  return ran.stdout;
}

/** Does in `project` what `npm install streamlab-0.1.0.tgz` does for streamlab itself, with the checkout's dependencies. */
async function installPacked(project: string) {
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], repoRoot, 60_000);
  assert.equal(packed.code, 0, packed.stderr);
  const tarball = join(project, (JSON.parse(packed.stdout) as { filename: string }[])[0].filename);
  const target = join(project, 'node_modules/streamlab');
  mkdirSync(target, { recursive: true });
  const extracted = await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], project);
  assert.equal(extracted.code, 0, extracted.stderr);
  // No registry in a test: the dependencies the package declares, and the README's typescript and @types/node,
  // are linked from the checkout's node_modules where npm would have installed them.
  const declared = Object.keys((JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as { dependencies: object }).dependencies);
  for (const name of [...declared, 'typescript', '@types/node']) {
    mkdirSync(dirname(join(project, 'node_modules', name)), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules', name), join(project, 'node_modules', name), 'dir');
  }
}

describe("the README's TypeScript job, as written", { concurrency: true }, () => {
  it('is examples/rate-even-triangle.ts, character for character (which examples.test.ts runs too)', () => {
    assert.equal(onlyCodeBlock(section, 'ts'), readFileSync(join(repoRoot, 'examples/rate-even-triangle.ts'), 'utf8'));
  });

  it('says how to compile and run it on Node 20 and on Node 22.6+', () => {
    assert.match(section, /npx tsc && node dist\/job\.js/);
    assert.match(section, /node --experimental-strip-types job\.ts/);
  });

  it('compiles and runs inside the checkout, importing streamlab by name; a second run goes on from the checkpoint', async () => {
    // dist/ is in the package's scope (the nearest package.json is streamlab's) and ignored by git.
    const folder = jobFolder(mkdtempSync(join(repoRoot, 'dist', 'readme-typescript-')));
    const nextValue = assertBatches(await compileAndRun(folder), 0, 0);
    const again = await run(process.execPath, [join(folder, 'dist/job.js')], folder);
    assert.equal(again.code, 0, again.stderr);
    assertBatches(again.stdout, 3, nextValue);
  });

  it('compiles and runs in another project with the packed streamlab installed', async () => {
    const project = jobFolder(mkdtempSync(join(tmpdir(), 'streamlab-readme-typescript-')));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-jobs', private: true, type: 'module' }));
    await installPacked(project);
    assertBatches(await compileAndRun(project), 0, 0);
  });

  const [major, minor] = process.versions.node.split('.').map(Number);
  const strips = major > 22 || (major === 22 && minor >= 6);
  it('runs job.ts with Node 22.6+ type stripping', { skip: !strips && `needs Node 22.6+, this is ${process.version}` }, async () => {
    const folder = jobFolder(mkdtempSync(join(repoRoot, 'dist', 'readme-typescript-')));
    const ran = await run(process.execPath, ['--experimental-strip-types', 'job.ts'], folder);
    assert.equal(ran.code, 0, ran.stderr);
    assertBatches(ran.stdout, 0, 0);
  });
});
