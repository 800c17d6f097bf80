/**
 * Destinations that are folders (the parquet and file targets): one fresh folder per run under a bench root, with a
 * marker file that says the bench made it, so a leftover of an interrupted run is removed and anybody else's folder
 * of that name is refused. Readers skip the marker (its name starts with a dot, as Spark and pyarrow skip them).
 */
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import type { SinkConnection } from '../target.js';
import { TargetError } from '../target.js';

export const BENCH_MARKER = '.streamlab-bench';

/** Where the run folders go: the connection's `path` (a folder for the bench's folders) or <tmp>/streamlab-bench. */
export function benchRoot(connection: SinkConnection): string {
  return resolve(typeof connection.path === 'string' && connection.path !== '' ? connection.path : join(tmpdir(), 'streamlab-bench'));
}

/** Creates `root/name` afresh, marked as the bench's; refuses a folder of that name the bench did not make. */
export async function freshFolder(root: string, name: string, sink: string): Promise<string> {
  const dir = join(root, name);
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new TargetError(`${sink}: cannot read ${dir}: ${error.message}`);
  });
  if (entries && !entries.includes(BENCH_MARKER)) {
    const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, and ${entries.length - 5} more` : '');
    throw new TargetError(
      `${sink}: ${dir} exists and was not made by streamlab bench (no ${BENCH_MARKER} file in it; it holds: ${shown || 'nothing'}). ` +
        'The bench does not delete it: move it away or give the bench another folder (the sink option path)',
    );
  }
  if (entries) await rm(dir, { recursive: true, force: true });
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, BENCH_MARKER), 'made by streamlab bench; removed with this folder\n');
  } catch (error) {
    throw new TargetError(`${sink}: cannot create ${dir}: ${(error as Error).message}`);
  }
  return dir;
}

/** The data files under `dir` (relative paths skipped when a part starts with `.` or `_`, as readers skip them). */
export async function dataFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter(
      (path) =>
        !relative(dir, path)
          .split(sep)
          .some((part) => part.startsWith('.') || part.startsWith('_')),
    )
    .sort();
}

/** Sum of the data files' sizes: what a reader reads (not the sink's _streamlab manifests nor temp files). */
export async function dataBytes(dir: string): Promise<number> {
  let bytes = 0;
  for (const file of await dataFiles(dir)) bytes += (await stat(file)).size;
  return bytes;
}

export async function removeFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
