import { mkdir, open, readFile, rename, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Durable file operations: a file appears under its final name only complete and on disk (written to a temp name in
 * the same directory, fsync'ed, renamed, then the directory fsync'ed so the rename itself survives a power cut).
 *
 * Temp names start with a dot: Spark, Hadoop and pyarrow skip files whose names start with `.` or `_`, so a crash
 * that leaves one behind never shows up in a read. The temp name is a function of the final name, so the replay of
 * a batch reuses (and so removes) what a crashed attempt left.
 */

export const tempName = (finalPath: string): string => join(dirname(finalPath), `.${basename(finalPath)}.tmp`);

/** fsync on a directory: makes the names created, renamed or removed in it durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some platforms and file systems cannot fsync a directory; the rename is then as durable as they make it.
    if (!isCode(error, 'EISDIR', 'EINVAL', 'EPERM', 'EBADF')) throw error;
  } finally {
    await handle.close();
  }
}

/** `mkdir -p`, with the parents of every directory it created fsync'ed, so the new directories survive a crash. */
export async function ensureDirectory(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  for (let d = dir; ; d = dirname(d)) {
    await syncDirectory(dirname(d));
    if (d === first || dirname(d) === d) break;
  }
}

/** Writes `bytes` (or text, as UTF-8) to `finalPath` atomically and durably; on failure the final name keeps what it had before. */
export async function writeFileAtomic(finalPath: string, bytes: Uint8Array | string): Promise<void> {
  const tmp = tempName(finalPath);
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, finalPath);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(finalPath));
}

/** Removes a file if it is there; true when it was. */
export async function removeFile(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return false;
    throw error;
  }
}

/** Removes `dir` and then its parents up to (not including) `root`, while they are empty. */
export async function removeEmptyDirectories(dir: string, root: string): Promise<void> {
  for (let d = dir; d !== root && d.startsWith(root) && dirname(d) !== d; d = dirname(d)) {
    try {
      await rmdir(d);
    } catch (error) {
      if (isCode(error, 'ENOENT')) continue;
      return; // ENOTEMPTY and anything else: stop climbing
    }
    await syncDirectory(dirname(d));
  }
}

/** Reads a JSON file, or undefined when it does not exist. */
export async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

export function isCode(error: unknown, ...codes: string[]): boolean {
  return typeof error === 'object' && error !== null && codes.includes((error as { code?: string }).code ?? '');
}
