import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Spark's name for a null or empty partition value (`ExternalCatalogUtils.DEFAULT_PARTITION_NAME`). */
export const DEFAULT_PARTITION_NAME = '__HIVE_DEFAULT_PARTITION__';

/** One data file of the table: its path relative to the table folder (POSIX separators) and its modification time. */
export interface ListedFile {
  path: string;
  mtimeMs: number;
}

/** A partition folder's name and its value as text (null for the default partition), both unescaped. */
export interface PartitionValue {
  name: string;
  text: string | null;
}

/** Decides whether a `name=value` folder can hold rows the query wants; folders it refuses are not even listed. */
export type FolderFilter = (value: PartitionValue) => boolean;

/**
 * Spark's `InMemoryFileIndex.shouldFilterOutPathName`: names starting with `_` (unless they hold `=`, a partition
 * folder such as `_c=1`) or `.`, and names ending with `._COPYING_` (a copy in progress) are not data. Spark keeps
 * `_metadata` and `_common_metadata` in the listing only to drop them again in the Parquet reader: here they are
 * left out at once.
 */
export function isHiddenName(name: string): boolean {
  return (name.startsWith('_') && !name.includes('=')) || name.startsWith('.') || name.endsWith('._COPYING_');
}

/** Spark's `unescapePathName`: `%XX` (two hex digits) back to the character; anything else as is. */
export function unescapePathName(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** `year=2026` -> { name: 'year', text: '2026' }; a folder name without `=` is not a partition folder. */
export function parsePartitionFolder(folder: string): PartitionValue | undefined {
  const at = folder.indexOf('=');
  if (at <= 0) return undefined;
  const raw = folder.slice(at + 1);
  return { name: unescapePathName(folder.slice(0, at)), text: raw === DEFAULT_PARTITION_NAME || raw === '' ? null : unescapePathName(raw) };
}

/** The partition values of a file from its relative path: one per `name=value` folder, outermost first. */
export function partitionValuesOf(relativePath: string): PartitionValue[] {
  const folders = relativePath.split('/').slice(0, -1);
  return folders.map((f) => parsePartitionFolder(f)).filter((v): v is PartitionValue => v !== undefined);
}

/**
 * Every data file under `root`, walking only into the partition folders `keep` accepts (partition pruning: a pruned
 * hour's files are never listed, let alone opened). Sorted by modification time, then path, as Spark's file source
 * orders new files (`fetchAllFiles` sorts by modification time).
 */
export async function listDataFiles(root: string, keep: FolderFilter): Promise<ListedFile[]> {
  const found: ListedFile[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      // A folder removed while listing (a sink cleaning an empty partition) holds nothing to read.
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    for (const entry of entries) {
      if (isHiddenName(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        const partition = parsePartitionFolder(entry.name);
        if (partition && !keep(partition)) continue;
        await walk(path, `${prefix}${entry.name}/`);
      } else if (entry.isFile()) {
        const info = await stat(path).catch(() => undefined);
        if (info) found.push({ path: `${prefix}${entry.name}`, mtimeMs: Math.floor(info.mtimeMs) });
      }
    }
  };
  await walk(root, '');
  return found.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Spark's check that every file sits below the same partition columns (`PartitioningUtils.resolvePartitions`:
 * "Conflicting directory structures detected"): a file directly in `year=2026/` next to files in
 * `year=2026/month=11/` would give rows without a month. Returns a message naming two such files, or undefined.
 */
export function conflictingLayouts(files: readonly ListedFile[]): string | undefined {
  let first: { path: string; names: string } | undefined;
  for (const file of files) {
    const names = partitionValuesOf(file.path)
      .map((v) => v.name)
      .join('/');
    if (!first) first = { path: file.path, names };
    else if (names !== first.names) {
      return `conflicting directory structures (as Spark says): ${first.path} is below the partition folders [${first.names}], ${file.path} below [${names}]; every file of a table must sit below the same partition columns`;
    }
  }
  return undefined;
}
