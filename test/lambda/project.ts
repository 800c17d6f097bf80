/**
 * The lambda project's jobs run for real by the built CLI in a throwaway project folder: the repository's own job
 * files, sql/ and config/ copied there, a few options changed for the test (each change named where it is made),
 * and environment variables pointing them at the test's Kafka topic, PostgreSQL database and lake.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { cliPath, exited, repoRoot } from '../support/cli.js';
import { makeTempDir } from '../support/temp-dir.js';

/** A job file as parsed: the parts a test changes. */
export interface JobFile {
  source: Record<string, unknown>;
  trigger?: unknown;
  maxRowsPerBatch?: number;
  [key: string]: unknown;
}

export interface LambdaProject {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function makeProject(env: NodeJS.ProcessEnv): LambdaProject {
  const cwd = makeTempDir('lambda-e2e-');
  mkdirSync(join(cwd, 'jobs'));
  cpSync(join(repoRoot, 'sql'), join(cwd, 'sql'), { recursive: true });
  cpSync(join(repoRoot, 'config'), join(cwd, 'config'), { recursive: true });
  return { cwd, env: { ...env, TZ: 'UTC' } };
}

/** Writes the repository's jobs/<name>.yaml into the project, after `change` (which edits the parsed job in place). */
export function writeJob(project: LambdaProject, name: string, change: (job: JobFile) => void = () => {}): void {
  const job = parse(readFileSync(join(repoRoot, 'jobs', `${name}.yaml`), 'utf8')) as JobFile;
  change(job);
  writeFileSync(join(project.cwd, 'jobs', `${name}.yaml`), stringify(job));
}

/** Runs the CLI to its end; resolves with its exit code and output. */
export function runCli(project: LambdaProject, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: project.cwd, env: { ...process.env, ...project.env } });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** Runs a job to its end and fails with its output when it does not exit 0. */
export async function runJob(project: LambdaProject, args: string[]): Promise<string> {
  const { code, output } = await runCli(project, ['run', ...args]);
  if (code !== 0) throw new Error(`streamlab run ${args.join(' ')} exited with ${code}:\n${output}`);
  return output;
}

/**
 * Starts a job and kills it with SIGKILL inside batch `batchId`: as soon as its checkpoint has offsets/<batchId> (the
 * batch is planned; reading, computing and writing it follow, commits/<batchId> comes last). Polls every 2 ms.
 */
export async function killInBatch(project: LambdaProject, job: string, batchId: number): Promise<void> {
  const planned = join(project.cwd, '.checkpoints', job, 'offsets', String(batchId));
  const child = spawn(process.execPath, [cliPath, 'run', job], { cwd: project.cwd, env: { ...process.env, ...project.env } });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 120_000;
  while (!existsSync(planned)) {
    if (child.exitCode !== null) throw new Error(`${job} exited with ${child.exitCode} before batch ${batchId}:\n${output}`);
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 2));
  }
  child.kill('SIGKILL');
  await exited(child);
  if (!existsSync(planned)) throw new Error(`${job} never planned batch ${batchId}:\n${output}`);
}
