import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

/**
 * Where a job's checkpoint lives. A relative location (the default `.checkpoints/<name>` or one written in the job
 * file) is relative to the job's project folder, not to the working directory: the same job started from another
 * folder must find the same checkpoint, or it starts over and writes everything again.
 *
 * The project folder is the folder that holds the job file's `jobs/` folder (`proj/jobs/x.yaml` -> `proj`), or the
 * job file's own folder when it is not in a `jobs/` folder. The jobs that ship with streamlab, run by name from a
 * folder without its own `jobs/`, keep their checkpoints in the working directory: the installed package may be
 * read-only and is shared by every user of the machine. `--checkpoint DIR` on the command line is relative to the
 * working directory, as command-line paths are.
 */
export function checkpointLocationOf(
  jobFile: string,
  name: string,
  written: string | undefined,
  cwd: string,
  shipped: boolean,
): { location: string; movedFrom?: string } {
  const given = written ?? join('.checkpoints', name);
  const absolute = isAbsolute(given) ? given : resolve(shipped ? cwd : projectFolderOf(jobFile), given);
  const location = forDisplay(absolute);
  const before = resolve(cwd, given);
  return before !== absolute && !existsSync(absolute) && holdsCheckpointOf(before, name) ? { location, movedFrom: before } : { location };
}

export function projectFolderOf(jobFile: string): string {
  const folder = dirname(resolve(jobFile));
  return basename(folder) === 'jobs' ? dirname(folder) : folder;
}

/** Whether `dir` holds a checkpoint of query `name` (its metadata names it): a checkpoint an earlier streamlab left there. */
function holdsCheckpointOf(dir: string, name: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'metadata'), 'utf8')) as { name?: string }).name === name;
  } catch {
    return false;
  }
}

/**
 * Relative to the process's working directory when inside it (as before: `.checkpoints/<name>`), else absolute. Not
 * relative to the `cwd` the job was loaded with: the engine opens the path from the process's working directory.
 */
function forDisplay(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.length > 0 && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
