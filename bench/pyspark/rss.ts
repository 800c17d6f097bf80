import { readdirSync, readFileSync } from 'node:fs';

/** Resident set size of a process and all its descendants, bytes (Linux /proc; 0 for a process gone meanwhile). */
export function treeRss(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid)!.push(Number(entry));
  }
  let total = 0;
  const pending = [root];
  while (pending.length) {
    const pid = pending.pop()!;
    const kb = /VmRSS:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`))?.[1];
    total += Number(kb ?? 0) * 1024;
    pending.push(...(children.get(pid) ?? []));
  }
  return total;
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Awaits `work` while sampling treeRss(pid) every 100 ms; returns its value and the highest sample. */
export async function peakRssWhile<T>(pid: number, work: Promise<T>): Promise<{ value: T; peak: number }> {
  let peak = treeRss(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRss(pid));
  }, 100);
  try {
    const value = await work;
    return { value, peak: Math.max(peak, treeRss(pid)) };
  } finally {
    clearInterval(timer);
  }
}
