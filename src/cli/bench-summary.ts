/** The table printed when the bench ends: one line per configuration of results.json's summary. */
import type { BenchResults } from '../benchmark/results.js';
import { bytes, count, short, table } from './bench-format.js';
import { finishedLine } from './bench-progress.js';

const HEADER = [
  'target',
  'writer',
  'batch',
  'guarantee',
  'rows/s median [min-max]',
  'MB/s',
  'p50/p99 ms',
  '% of baseline',
  'disk',
  'verified',
];
const RIGHT = [false, false, true, false, true, true, true, true, true, false];

export function formatSummary(results: BenchResults): string {
  const rows = results.summary.map((s) => [
    s.target,
    s.writer,
    count(s.batchSize),
    s.guarantee,
    `${count(s.rowsPerSecond.median)} [${count(s.rowsPerSecond.min)}-${count(s.rowsPerSecond.max)}]`,
    short(s.mbPerSecond.median),
    `${short(s.latencyMs.p50)}/${short(s.latencyMs.p99)}`,
    s.ofBaseline === null ? '-' : `${Math.round(s.ofBaseline * 100)}%`,
    bytes(s.diskBytes),
    s.verified ? 'yes' : 'NO',
  ]);
  const baselines = baselineNames(results);
  const legend = baselines.length > 0 ? `baseline = the server's own bulk path:\n${baselines.map((b) => `  ${b}\n`).join('')}` : '';
  const none = rows.length === 0 ? 'No configuration finished a run.\n' : '';
  const title = `${results.partial ? 'PARTIAL results (not every run finished)' : 'Results'}: ${results.config.workload.name}, ${count(results.config.rows)} rows per run, ${results.config.repeat} repeat(s)`;
  return `${title}\n${table(HEADER, rows, RIGHT)}\n${none}${legend}`;
}

/** `mysql: LOAD DATA LOCAL INFILE`, once per target that has a baseline (the names are too long for a column). */
function baselineNames(results: BenchResults): string[] {
  const names = new Map<string, string>();
  for (const run of results.runs) if (run.writer === 'baseline' && run.baseline) names.set(run.target, run.baseline);
  return [...names].map(([target, name]) => `${target}: ${name}`);
}

/** One line per run that was not verified or failed (why the bench exits 1). */
export function failureLines(results: BenchResults): string[] {
  return results.runs.filter((r) => r.error !== undefined || !r.verification.ok).map((r) => finishedLine(r));
}
