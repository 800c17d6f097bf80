/**
 * The server's CPU seconds and peak RSS during a run, from /proc, for the recorded PIDs and all their descendants
 * (PostgreSQL forks a process per connection, Cassandra's JVM has none, but a wrapper script may). CPU is the sum of
 * utime + stime over the processes at the end minus at the start (a process that ends during the run takes its share
 * with it); RSS is the largest sum of VmRSS seen, sampled every ~100 ms on an unref'd timer. Linux only: elsewhere,
 * and without PIDs, the figures are null.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { BenchRun } from '../results.js';
import { SAMPLE_MS } from './client-resources.js';
import { procStatFields } from './service-pids.js';

/** USER_HZ: 100 on every Linux that Node runs on (sysconf(_SC_CLK_TCK) is not reachable from Node). */
const TICKS_PER_SECOND = 100;

export class ServerSampler {
  private readonly ticksAtStart: Map<number, number>;
  private peakRss = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly roots: number[]) {
    this.ticksAtStart = cpuTicks(this.processes());
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS).unref();
  }

  private known: number[] = [];
  private samples = 0;

  /** The process tree is scanned once a second (every /proc entry: not free on a busy machine), RSS every sample. */
  private processes(): number[] {
    if (this.samples++ % 10 === 0) this.known = withDescendants(this.roots);
    return this.known;
  }

  private sample(): void {
    let rss = 0;
    for (const pid of this.processes()) rss += rssBytes(pid);
    this.peakRss = Math.max(this.peakRss, rss);
  }

  stop(): BenchRun['server'] {
    clearInterval(this.timer);
    this.samples = 0;
    this.sample();
    const pids = this.known;
    let ticks = 0;
    for (const [pid, now] of cpuTicks(pids)) ticks += now - (this.ticksAtStart.get(pid) ?? 0);
    return { cpuSeconds: ticks / TICKS_PER_SECOND, peakRssBytes: this.peakRss, pids };
  }
}

/** null without PIDs: the run's `server` is then unknown rather than zero. */
export function startServerSampler(pids: number[]): ServerSampler | undefined {
  return pids.length > 0 ? new ServerSampler(pids) : undefined;
}

function cpuTicks(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const fields = procStatFields(pid);
    if (fields) out.set(pid, Number(fields[11]) + Number(fields[12]));
  }
  return out;
}

function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The roots that still run, and every process whose chain of parents leads to one of them. */
export function withDescendants(roots: number[]): number[] {
  const parentOf = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = procStatFields(Number(entry));
    if (fields) parentOf.set(Number(entry), Number(fields[1]));
  }
  const found = new Set(roots.filter((pid) => parentOf.has(pid)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parentOf) {
      if (!found.has(pid) && found.has(parent)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return [...found].sort((a, b) => a - b);
}
