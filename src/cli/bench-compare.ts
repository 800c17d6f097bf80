/**
 * `streamlab bench compare a.json b.json`: the same configurations (target, writer, batch size, guarantee) of two
 * results.json side by side, each metric's change in %, marked `*` when larger than the runs' spread: the
 * [min, max] of that metric over the repeats of one file does not overlap the other's. One run has no spread, so a
 * configuration measured once is never marked (every difference may be noise), and the output says so.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/errors.js';
import { dottedPath, type PathSegment } from '../config/yaml-file.js';
import { type BenchResults, type BenchRun, type BenchSummary, resultsSchema } from '../benchmark/results.js';
import { bytes, percentile, short, table } from './bench-format.js';

type Range = { value: number; min: number; max: number };

/** What is compared; each metric's spread comes from the runs of the configuration in that file. */
const METRICS: { name: string; of: (s: BenchSummary, runs: BenchRun[]) => Range | undefined; format?: (n: number) => string }[] = [
  { name: 'rows/s', of: (s) => ({ value: s.rowsPerSecond.median, min: s.rowsPerSecond.min, max: s.rowsPerSecond.max }) },
  { name: 'MB/s', of: (s) => ({ value: s.mbPerSecond.median, min: s.mbPerSecond.min, max: s.mbPerSecond.max }) },
  {
    name: 'p50 ms',
    of: (s, runs) =>
      spread(
        s.latencyMs.p50,
        runs.map((r) => percentile(r.batchLatencyMs, 50)),
      ),
  },
  {
    name: 'p99 ms',
    of: (s, runs) =>
      spread(
        s.latencyMs.p99,
        runs.map((r) => percentile(r.batchLatencyMs, 99)),
      ),
  },
  {
    name: 'disk',
    of: (s, runs) =>
      s.diskBytes === null
        ? undefined
        : spread(
            s.diskBytes,
            runs.flatMap((r) => (r.diskBytes === null ? [] : [r.diskBytes])),
          ),
    format: bytes,
  },
];

/** `path`'s results, checked against results.json's schema; messages name it as `file`. */
export function readResults(path: string, file = path): BenchResults {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw ConfigError.single({ file, message: `not a results.json of streamlab bench: ${(error as Error).message}` });
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== 1) {
    const found = version === undefined ? 'it has no schemaVersion' : `its schemaVersion is ${JSON.stringify(version)}`;
    throw ConfigError.single({ file, message: `not a results.json (version 1) of streamlab bench: ${found}` });
  }
  const parsed = resultsSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((i) => ({ file, path: dottedPath(i.path as PathSegment[]) || undefined, message: i.message }));
  issues[0].message = `a damaged results.json: ${issues[0].message}`;
  throw new ConfigError(issues);
}

const keyOf = (s: { target: string; writer: string; batchSize: number; guarantee: string }) =>
  `${s.target} | ${s.writer} | batch ${s.batchSize} | ${s.guarantee}`;

export function compareResults(a: BenchResults, b: BenchResults, names: [string, string]): string {
  const inB = new Map(b.summary.map((s) => [keyOf(s), s]));
  const inA = new Set(a.summary.map(keyOf));
  const rows: string[][] = [];
  for (const before of a.summary) {
    const after = inB.get(keyOf(before));
    if (!after) continue;
    for (const metric of METRICS) {
      const x = metric.of(before, runsOf(a, before));
      const y = metric.of(after, runsOf(b, after));
      if (!x || !y) continue;
      const change = x.value === 0 ? (y.value === 0 ? 0 : Number.POSITIVE_INFINITY) : ((y.value - x.value) / x.value) * 100;
      // One run has no spread: a point range would make every difference look significant.
      const significant = before.runs > 1 && after.runs > 1 && (x.max < y.min || y.max < x.min);
      const format = metric.format ?? short;
      rows.push([
        keyOf(before),
        metric.name,
        format(x.value),
        format(y.value),
        `${change >= 0 ? '+' : ''}${short(change)}%`,
        significant ? '*' : '',
      ]);
    }
  }
  const out = [`Comparing ${names[0]} (a) with ${names[1]} (b); * = outside the runs' spread ([min, max] of a and b do not overlap)`];
  out.push(
    rows.length > 0
      ? table(['configuration', 'metric', 'a', 'b', 'change', ''], rows, [false, false, true, true, true, false])
      : 'No configuration is in both files.',
  );
  const onlyA = a.summary.filter((s) => !inB.has(keyOf(s))).map(keyOf);
  const onlyB = b.summary.filter((s) => !inA.has(keyOf(s))).map(keyOf);
  if (onlyA.length > 0) out.push(`Only in ${names[0]}:`, ...onlyA.map((k) => `  ${k}`));
  if (onlyB.length > 0) out.push(`Only in ${names[1]}:`, ...onlyB.map((k) => `  ${k}`));
  if (a.config.repeat < 2 || b.config.repeat < 2) {
    out.push('Note: a configuration with one run has no spread and is never marked; run with --repeat 3 to tell a change from noise.');
  }
  return `${out.join('\n')}\n`;
}

function runsOf(results: BenchResults, s: BenchSummary): BenchRun[] {
  return results.runs.filter((r) => keyOf(r) === keyOf(s) && r.error === undefined);
}

function spread(value: number, values: number[]): Range {
  return values.length === 0 ? { value, min: value, max: value } : { value, min: Math.min(...values), max: Math.max(...values) };
}
