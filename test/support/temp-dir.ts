/**
 * A fresh folder under os.tmpdir() for a test, removed when the test file's process exits.
 *
 * node's runner gives every test file a process of its own, so the folders a file made are gone when it ends, even
 * when a test failed before its own cleanup, and a folder stays usable by every test and hook of the file (a
 * workload's files, a CLI's working directory). `npm test` fails a run that leaves anything in its temp folder
 * (scripts/run-tests.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

function removeAll(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** `mkdtempSync(join(tmpdir(), prefix))`, removed at exit. */
export function makeTempDir(prefix: string): string {
  if (made.length === 0) process.once('exit', removeAll);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
