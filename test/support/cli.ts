/** Running the built `streamlab` CLI from tests: in the background until its output says it is ready. */
import { spawn, type ChildProcess } from 'node:child_process';
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

/** Resolves with the exit code once the child has exited (at once if it already has). */
export const exited = (child: ChildProcess) =>
  new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code))));
