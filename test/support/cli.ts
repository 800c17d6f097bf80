/** Running the built `streamlab` CLI from tests: in the background until its output says it is ready. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file runs as dist/test/support/cli.js). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const cliPath = join(repoRoot, 'dist/src/cli/main.js');

/** Starts the CLI in the background and resolves once its stdout+stderr match `ready`. */
export function startCli(
  args: string[],
  cwd: string,
  ready: RegExp,
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, ...env } });
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolvePromise({ child, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${output}`)));
  });
}

/** Resolves with the exit code (null when a signal ended it) once the child has exited, at once if it already has. */
export const exited = (child: ChildProcess) =>
  new Promise<number | null>((r) =>
    child.exitCode !== null || child.signalCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code)),
  );

/**
 * A real crash of a job run by the CLI: killed with SIGKILL once it has run batch 3 (wherever in its batch it is),
 * then restarted on the same checkpoint until it has run three more batches, and stopped with SIGINT (exit 0).
 * Returns the query id from the checkpoint.
 */
export async function killedAndRestarted(job: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const first = await startCli(['run', job], cwd, /batch 3:/, env);
  first.child.kill('SIGKILL');
  await exited(first.child);
  const second = await startCli(['run', job], cwd, /starting[\s\S]*batch \d+:[^\n]*\n[\s\S]*batch \d+:[^\n]*\n[\s\S]*batch \d+:/, env);
  second.child.kill('SIGINT');
  const code = await exited(second.child);
  if (code !== 0) throw new Error(`${job} exited with ${code} after SIGINT:\n${second.output()}`);
  return (JSON.parse(readFileSync(join(cwd, '.checkpoints', job, 'metadata'), 'utf8')) as { id: string }).id;
}
