/**
 * Bytes a bench table holds on disk, after a flush, for a server on this machine.
 *
 * Flush without nodetool: the server of `npm run services` runs without JMX, and CQL has no FLUSH. Setting the
 * table's `memtable_flush_period_in_ms` makes Cassandra schedule a flush of that table at once (a schema change
 * reloads the table, which schedules its periodic flush); it is set back to 0 when the flush is done. Done means:
 * a new SSTable (`*-Data.db`) is there and no transaction log (`*_txn_*.log`: a flush or a compaction still
 * writing) is left. A memtable that was already clean flushes nothing: after QUIET_MS without any of that, there
 * was nothing to flush.
 *
 * Where the files are: the server says (`system_views.settings`, data_file_directories); the table's folder is
 * `<dir>/<keyspace>/<table>-<table id>`. The id is unique, so finding that folder here proves the server's disk is
 * this machine's; otherwise (a remote server) the size is unknowable from here: undefined.
 *
 * DROP TABLE keeps a snapshot of the table (auto_snapshot, on by default): a 1M-row bench table left as hard links
 * after every run would fill the disk. After the bench drops its own table, removeDroppedSnapshots deletes that
 * snapshot, as `nodetool clearsnapshot` would, when the folder is here.
 */
import { existsSync, readdirSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type cassandra from 'cassandra-driver';
import { qualified } from '../../../connectors/cassandra/identifiers.js';
import type { BenchTable } from './table.js';

const POLL_MS = 100;
const QUIET_MS = 3000;
const MAX_WAIT_MS = 120_000;

/** The table's folders on this machine (one per data directory that has it), or [] for a server elsewhere. */
export async function localTableDirs(client: cassandra.Client, t: BenchTable): Promise<string[]> {
  const table = await client.execute('SELECT id FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?', [
    t.keyspace,
    t.table,
  ]);
  const id = table.first()?.get('id');
  if (!id) return [];
  const setting = await client
    .execute("SELECT value FROM system_views.settings WHERE name = 'data_file_directories'")
    .catch(() => undefined);
  const value = String(setting?.first()?.get('value') ?? '');
  const roots = value
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((dir) => dir.trim())
    .filter((dir) => dir.length > 0);
  const folder = `${t.table}-${String(id).replaceAll('-', '')}`;
  return roots.map((root) => join(root, t.keyspace, folder)).filter((dir) => existsSync(dir));
}

function filesIn(dirs: readonly string[]): Array<{ name: string; bytes: number }> {
  const files: Array<{ name: string; bytes: number }> = [];
  for (const dir of dirs) {
    for (const name of readdirSync(dir)) {
      const stat = statSync(join(dir, name), { throwIfNoEntry: false });
      if (stat?.isFile()) files.push({ name: join(dir, name), bytes: stat.size });
    }
  }
  return files;
}

/** Bytes of the table's SSTables (every file of its folders; snapshots/ and backups/ are folders and not counted). */
export function sstableBytes(dirs: readonly string[]): number {
  return filesIn(dirs).reduce((sum, file) => sum + file.bytes, 0);
}

/** Flushes the table's memtable to SSTables and waits until no flush or compaction of it is writing. */
export async function flushTable(client: cassandra.Client, t: BenchTable, dirs: readonly string[]): Promise<void> {
  const isData = (name: string) => name.endsWith('-Data.db');
  const before = new Set(
    filesIn(dirs)
      .map((f) => f.name)
      .filter(isData),
  );
  const alter = (ms: number) => client.execute(`ALTER TABLE ${qualified(t.keyspace, t.table)} WITH memtable_flush_period_in_ms = ${ms}`);
  await alter(POLL_MS);
  try {
    for (let waited = 0; waited < MAX_WAIT_MS; waited += POLL_MS) {
      await sleep(POLL_MS);
      const names = filesIn(dirs).map((f) => f.name);
      const writing = names.some((name) => /_txn_.*\.log$/.test(name));
      const flushed = names.some((name) => isData(name) && !before.has(name));
      if (!writing && (flushed || waited >= QUIET_MS)) return;
    }
  } finally {
    await alter(0);
  }
}

/** Deletes the `dropped-*` snapshot DROP TABLE left in the table's folders, then the folders if nothing else is left. */
export function removeDroppedSnapshots(dirs: readonly string[]): void {
  for (const dir of dirs) {
    const snapshots = join(dir, 'snapshots');
    if (!existsSync(snapshots)) continue;
    for (const name of readdirSync(snapshots)) {
      if (name.startsWith('dropped-')) rmSync(join(snapshots, name), { recursive: true, force: true });
    }
    for (const empty of [snapshots, dir]) {
      try {
        rmdirSync(empty);
      } catch {
        // not empty (a snapshot someone took by hand, files of a table re-created under the same id): left alone
      }
    }
  }
}
