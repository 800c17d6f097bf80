/**
 * Running install-time commands (apt-get, mvn, go) synchronously with their output appended to the install log,
 * so that a failure can show its tail instead of flooding the terminal on success.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { accessSync, appendFileSync, constants, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SetupError } from './errors.js';
import { tailLines } from './logs.js';
import { installLog } from './paths.js';
import { steps } from './step.js';

/** True when `command` is found on PATH (or is an executable path). */
export function hasCommand(command: string): boolean {
  if (command.includes('/')) {
    try {
      accessSync(command, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }
  return spawnSync('/bin/sh', ['-c', `command -v "$1" >/dev/null 2>&1`, 'sh', command]).status === 0;
}

/**
 * Runs a command to completion as a step of `up` (a line saying `what` and `why`, the seconds counting on a terminal),
 * logging its output to the install log; throws a SetupError with the log tail on failure.
 */
export function runLogged(what: string, command: string, args: string[], options: SpawnSyncOptions & { why?: string } = {}): void {
  const { why, ...spawnOptions } = options;
  mkdirSync(dirname(installLog), { recursive: true });
  appendFileSync(installLog, `\n--- ${new Date().toISOString()} ${what}: ${command} ${args.join(' ')}\n`);
  const result = steps.run(what, why, () => spawnSync(command, args, { ...spawnOptions, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
  appendFileSync(installLog, `${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : `exit code ${result.status}`;
    throw new SetupError(
      `${what} failed (${why}). Last lines of ${installLog}:\n${tailLines(installLog, 30)}`,
      `fix the cause above and run the same command again; finished steps are cached`,
    );
  }
}

/** Output of a short query command (`java -version`, `dpkg-query`), or undefined when it cannot run. */
export function capture(
  command: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
): { status: number | null; stdout: string; text: string } | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8', env: env ?? process.env });
  if (result.error) return undefined;
  return { status: result.status, stdout: result.stdout, text: `${result.stdout}${result.stderr}` };
}
