import { readFileSync, statSync } from 'node:fs';

/**
 * When a process started, from Linux's /proc, to tell the process that wrote a lock from a later one that got the same
 * PID (as `scripts/services` tells its servers apart). undefined where /proc is not there (macOS, Windows): callers
 * then trust the PID alone.
 */

/** Field 22 of /proc/<pid>/stat: clock ticks since boot. The command name (field 2) may hold spaces and parentheses. */
export function startTicksOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Start time of `pid` in ms since the epoch: boot time (btime in /proc/stat) + start ticks / USER_HZ (100 on Linux). */
export function startTimeMsOf(pid: number): number | undefined {
  const ticks = startTicksOf(pid);
  if (ticks === undefined) return undefined;
  try {
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    return btime ? Number(btime[1]) * 1000 + Number(ticks) * 10 : undefined;
  } catch {
    return undefined;
  }
}

/** mtime of a file in ms, or undefined. */
export function modifiedMsOf(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}
