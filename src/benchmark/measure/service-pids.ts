/**
 * Which server processes a target's run is charged with: `--server-pid` when given, else the PID that
 * `npm run services` recorded for the target's service in `<services dir>/<service>/process.json` (services dir:
 * STREAMLAB_SERVICES_DIR, else `.services` under the bench's working directory). A recorded PID that no longer
 * runs, or now belongs to another process (its start time differs), is no PID: the server's figures become null.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function servicesDir(cwd: string, env: Record<string, string | undefined> = process.env): string {
  return env.STREAMLAB_SERVICES_DIR ?? join(cwd, '.services');
}

export function serverPidsFor(service: string | undefined, dir: string, override?: number[]): number[] {
  if (override && override.length > 0) return override;
  if (!service) return [];
  const file = join(dir, service, 'process.json');
  if (!existsSync(file)) return [];
  try {
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as { pid?: number; startTicks?: string };
    if (typeof recorded.pid !== 'number') return [];
    const ticks = startTicksOf(recorded.pid);
    if (ticks === undefined) return [];
    if (recorded.startTicks !== undefined && recorded.startTicks !== ticks) return [];
    return [recorded.pid];
  } catch {
    return [];
  }
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks after boot), or undefined when the process is gone. */
export function startTicksOf(pid: number): string | undefined {
  const fields = procStatFields(pid);
  return fields?.[19];
}

/**
 * /proc/<pid>/stat after the command name (which may hold spaces and parentheses): fields 3 onwards, so index 0 is
 * the state, 1 the parent PID, 11/12 utime/stime, 19 the start time.
 */
export function procStatFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}
