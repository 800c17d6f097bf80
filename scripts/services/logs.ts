/** The last lines of a server's log, shown when it fails to start so the cause is on screen. */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';

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
    return lines
      .slice(-count)
      .map((line) => `  | ${line}`)
      .join('\n');
  } finally {
    closeSync(fd);
  }
}
