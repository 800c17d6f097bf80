/** The last lines of a server's log, shown when it fails to start so the cause is on screen. */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';

/** The line `up` writes before each start: a tail shows only the latest start, not an older run's shutdown. */
export const START_MARKER = '--- streamlab services: starting';

/** Reads only the end of the file: server logs grow for as long as a server lives. */
export function tailLines(file: string, count = 30): string {
  if (!existsSync(file)) return `  | (no log at ${file})`;
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 256 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').trimEnd().split('\n');
    const start = lines.map((line) => line.startsWith(START_MARKER)).lastIndexOf(true);
    return (
      lines
        .slice(Math.max(start, 0))
        .slice(-count)
        // Cut very long lines (Cassandra logs its whole configuration on one line) so 30 lines stay readable.
        .map((line) => `  | ${line.length > 500 ? `${line.slice(0, 500)} [...]` : line}`)
        .join('\n')
    );
  } finally {
    closeSync(fd);
  }
}
