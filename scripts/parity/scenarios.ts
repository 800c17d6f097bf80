import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface Scenario {
  name: string;
  /** The scenario's folder in the repository (job.yaml, input/, maybe static/). */
  source: string;
  /** Its copy, where both engines run (fresh checkpoints, the exported program.py). */
  dir: string;
}

/** The scenarios under `root` (folders with a job.yaml), copied into `work`, optionally only those named. */
export function prepareScenarios(root: string, work: string, only: string[] | undefined): Scenario[] {
  const names = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, e.name, 'job.yaml')))
    .map((e) => e.name)
    .sort();
  const unknown = (only ?? []).filter((n) => !names.includes(n));
  if (unknown.length > 0) throw new Error(`no parity scenario ${unknown.join(', ')} in ${root} (scenarios: ${names.join(', ')})`);
  return names
    .filter((n) => !only || only.includes(n))
    .map((name) => {
      const dir = join(work, name);
      mkdirSync(dir, { recursive: true });
      cpSync(join(root, name), dir, { recursive: true });
      // input/ feeds the job's source; input-<x>/ the sources of its union branches.
      for (const folder of readdirSync(dir).filter((n) => n === 'input' || n.startsWith('input-')))
        orderByModificationTime(join(dir, folder));
      return { name, source: join(root, name), dir };
    });
}

/**
 * Spark's file source takes new files in modification-time order, streamlab's in name order: the copies get
 * modification times one second apart in name order, so both read batch 1 first. (A fresh copy has near-equal
 * times, and Spark's order among equal times is not the name order.)
 */
function orderByModificationTime(input: string): void {
  if (!existsSync(input)) return;
  const base = Date.UTC(2026, 0, 1) / 1000;
  const files = readdirSync(input).sort();
  for (const [i, file] of files.entries()) utimesSync(join(input, file), base + i, base + i);
}

/** test/parity/known-differences.yaml: scenario -> why streamlab differs from Spark there. */
export function knownDifferences(file: string): Map<string, string> {
  if (!existsSync(file)) return new Map();
  const value = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, string>;
  return new Map(Object.entries(value));
}
