/**
 * Starting a server as a detached process and finding it again later by the PID recorded at start.
 *
 * The record (`.services/<name>/process.json`) holds the PID together with the process start time from
 * /proc/<pid>/stat: a PID alone can be reused by an unrelated process after a crash or a reboot, and `down` must
 * never signal a process that is not ours. Processes are never looked up by name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Launch {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user (postgres refuses to run as root). Only used when we are root. */
  uid?: number;
  gid?: number;
}

export interface ProcessRecord {
  pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot): tells our process from a later one with the same PID. */
  startTicks: string;
  address: string;
  ports: Record<string, number>;
  startedAt: string;
  log: string;
}

const recordFile = (dir: string) => join(dir, 'process.json');

export function readRecord(dir: string): ProcessRecord | undefined {
  const file = recordFile(dir);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ProcessRecord;
  } catch {
    return undefined; // a torn write after a crash: treat as no record, the port check still protects us
  }
}

export function writeRecord(dir: string, record: ProcessRecord): void {
  writeFileSync(recordFile(dir), `${JSON.stringify(record, null, 2)}\n`);
}

export function removeRecord(dir: string): void {
  rmSync(recordFile(dir), { force: true });
}

/** Fields of /proc/<pid>/stat after the command name (which may itself contain spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** [state, ppid, pgrp, ...]: index = field number - 3. */
const STATE = 0;
const PGRP = 2;
const START_TICKS = 19;

export function startTicksOf(pid: number): string | undefined {
  return statFields(pid)?.[START_TICKS];
}

/** True while the recorded process still runs (a zombie counts as gone). */
export function isAlive(record: ProcessRecord): boolean {
  const fields = statFields(record.pid);
  return fields !== undefined && fields[START_TICKS] === record.startTicks && fields[STATE] !== 'Z';
}

/**
 * Starts the server in its own process group with stdout and stderr appended to its log, and lets this script
 * exit while it runs on. The ChildProcess is returned so `up` can notice an early exit at once.
 */
export function startDetached(launch: Launch, logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  try {
    const asUser = process.getuid?.() === 0 && launch.uid !== undefined;
    const child = spawn(launch.command, launch.args, {
      cwd: launch.cwd,
      env: launch.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
      ...(asUser ? { uid: launch.uid, gid: launch.gid } : {}),
    });
    child.unref();
    return child;
  } finally {
    closeSync(fd); // the child has its own copy
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Signals the recorded process, waits for it to exit, and kills it (and its process group, e.g. postgres
 * backends) if it has not exited within the timeout. Returns what happened.
 */
export async function stopProcess(
  record: ProcessRecord,
  signal: NodeJS.Signals,
  timeoutMs: number,
): Promise<'stopped' | 'killed' | 'gone'> {
  if (!isAlive(record)) return 'gone';
  try {
    process.kill(record.pid, signal);
  } catch {
    return 'gone'; // exited between the check and the signal
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(record)) return 'stopped';
    await sleep(200);
  }
  try {
    process.kill(-record.pid, 'SIGKILL'); // our own process group: the server was its leader
  } catch {
    process.kill(record.pid, 'SIGKILL');
  }
  while (isAlive(record)) await sleep(100);
  return 'killed';
}

/** Resident memory of the server's whole process group in bytes (postgres and its backends, or one JVM). */
export function groupRssBytes(pid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (!fields || Number(fields[PGRP]) !== pid) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const match = /VmRSS:\s+(\d+) kB/.exec(status);
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // exited while we looked
    }
  }
  return total;
}
