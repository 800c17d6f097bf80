import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { ConfigLocation } from '../../component/definition.js';
import { ConfigError } from '../../core/errors.js';

/** A `setupSql` file, read while the job is built: a missing file is a config error (exit 2), not a failed start. */
export interface SetupSql {
  /** The path as written in the job. */
  path: string;
  text: string;
}

/**
 * The project folder, as the checkpoint's location has it (config/checkpoint-location.ts, which a sink cannot
 * import): the folder holding the job file's `jobs/` folder, or the job file's own folder, or the working directory
 * for a job without a file (the API).
 */
function projectFolder(location: ConfigLocation): string {
  if (!location.file) return process.cwd();
  const folder = dirname(resolve(location.file));
  return basename(folder) === 'jobs' ? dirname(folder) : folder;
}

export function readSetupSql(path: string, location: ConfigLocation): SetupSql {
  const absolute = resolve(projectFolder(location), path);
  try {
    return { path, text: readFileSync(absolute, 'utf8') };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw ConfigError.single({ file: location.file, path: `${location.path}.setupSql`, message: `cannot read ${absolute}: ${reason}` });
  }
}

/** `line 3` of the file for a server error at character `position` (1-based, as PostgreSQL reports it). */
export function lineAt(text: string, position: string | number | undefined): string {
  const at = Number(position);
  if (!Number.isInteger(at) || at < 1) return '';
  return ` at line ${text.slice(0, at - 1).split('\n').length}`;
}
