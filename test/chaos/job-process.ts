/**
 * What the chaos scenarios share: a chaos job (the rate source into one sink) written into a workspace, the CLI
 * running it as a child process, waiting on the checkpoint's logs, and the comparison of the values read back with
 * what the committed offsets say was produced.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { valueAtSecond } from '../../src/sources/rate.js';
import { cliPath, exited } from '../support/cli.js';

/** What every scenario reports per sink: the rows the commits promise and what the server holds. */
export interface Tally {
  target: string;
  restartsFailed: number;
  expected: number;
  found: number;
  duplicates: number;
  missing: number;
  unexpected: number;
  failures: string[];
}

export const emptyTally = (target: string): Tally => ({
  target,
  restartsFailed: 0,
  expected: 0,
  found: 0,
  duplicates: 0,
  missing: 0,
  unexpected: 0,
  failures: [],
});

/** Writes jobs/<id>.yaml (JSON is YAML) and returns the job's checkpoint folder. */
export function writeChaosJob(cwd: string, id: string, sink: Record<string, unknown>, rowsPerSecond = DEFAULT_ROWS_PER_SECOND): string {
  mkdirSync(join(cwd, 'jobs'), { recursive: true });
  const job = { name: id, source: { type: 'rate', rowsPerSecond }, sink };
  writeFileSync(join(cwd, 'jobs', `${id}.yaml`), JSON.stringify(job, null, 2));
  return join(cwd, '.checkpoints', id);
}

/** Rows per second of the chaos jobs' rate source, unless a target asks for another rate. */
export const DEFAULT_ROWS_PER_SECOND = 500;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function batchIds(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^\d+$/.test(f))
    .map(Number)
    .sort((a, b) => a - b);
}

export const lastOf = (ids: number[]) => (ids.length > 0 ? ids[ids.length - 1] : -1);

export function start(cwd: string, job: string): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [cliPath, 'run', job], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

/** The exit code once the child exits after a Ctrl-C; a child still running after `ms` is killed: 'hung'. */
export async function stoppedWithin(child: ChildProcess, ms: number): Promise<number | null | 'hung'> {
  child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), ms)));
  const outcome = await Promise.race([exited(child), hung]);
  clearTimeout(timer);
  if (outcome === 'hung') {
    child.kill('SIGKILL');
    await exited(child);
  }
  return outcome;
}

/** Resolves when `dir` holds a batch id above `above`, or false when the child exits first or `timeoutMs` passes. */
export async function waitForBatch(dir: string, above: number, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (lastOf(batchIds(dir)) > above) return true;
    if (child.exitCode !== null) return false;
    await sleep(2);
  }
  return false;
}

/** Waits `ms`; true when the child still runs then. */
export async function aliveAfter(child: ChildProcess, ms: number): Promise<boolean> {
  await sleep(ms);
  return child.exitCode === null;
}

/** Rows the committed offsets say were produced: the rate source's end offset (seconds) of the last commit. */
export function committedRows(checkpoint: string, rowsPerSecond = DEFAULT_ROWS_PER_SECOND): number {
  const last = lastOf(batchIds(join(checkpoint, 'commits')));
  if (last < 0) return 0;
  const lines = readFileSync(join(checkpoint, 'offsets', String(last)), 'utf8')
    .trim()
    .split('\n');
  return valueAtSecond(Number(JSON.parse(lines[2])), rowsPerSecond, 0);
}

/** Runs until two more batches committed, then Ctrl-C: the job must finish its batch and exit 0. */
export async function finalRun(cwd: string, id: string, checkpoint: string, result: Tally): Promise<void> {
  const run = start(cwd, id);
  const committed = lastOf(batchIds(join(checkpoint, 'commits')));
  const progressed = await waitForBatch(join(checkpoint, 'commits'), committed + 1, run.child, 60_000);
  const code = await stoppedWithin(run.child, 60_000);
  if (!progressed || code !== 0) {
    result.restartsFailed++;
    result.failures.push(`final run: ${progressed ? '' : 'no new commit; '}exit ${code}:\n${run.output().slice(-2000)}`);
  }
}

export function compare(values: number[], result: Tally): void {
  const seen = new Map<number, number>();
  for (const v of values) seen.set(v, (seen.get(v) ?? 0) + 1);
  result.found = values.length;
  for (const [value, n] of seen) {
    if (n > 1) result.duplicates += n - 1;
    if (value < 0 || value >= result.expected || !Number.isInteger(value)) result.unexpected += n;
  }
  for (let v = 0; v < result.expected; v++) if (!seen.has(v)) result.missing++;
  if (result.expected === 0) result.failures.push('nothing was committed');
  if (result.duplicates > 0) result.failures.push(`${result.duplicates} values written more than once`);
  if (result.missing > 0) result.failures.push(`${result.missing} committed values missing`);
  if (result.unexpected > 0) result.failures.push(`${result.unexpected} values beyond the committed offsets`);
}
