/** The table printed when the bench ends: one line per configuration of results.json's summary. */
import type { BenchResults, BenchSummary } from '../benchmark/results.js';
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
    writerOf(s, results),
    count(s.batchSize),
    s.guarantee,
    `${count(s.rowsPerSecond.median)} [${count(s.rowsPerSecond.min)}-${count(s.rowsPerSecond.max)}]`,
    short(s.mbPerSecond.median),
    `${short(s.latencyMs.p50)}/${short(s.latencyMs.p99)}`,
    s.ofBaseline === null ? '-' : `${Math.round(s.ofBaseline * 100)}%`,
    bytes(s.diskBytes),
    s.verified ? 'yes' : 'NO',
  ]);
  const title = `${results.partial ? 'PARTIAL results (not every run finished)' : 'Results'}: ${results.config.workload.name}, ${count(results.config.rows)} rows per run, ${results.config.repeat} repeat(s)`;
  return `${title}\n${table(HEADER, rows, RIGHT)}\n`;
}

/** `sink`, or the baseline's name (`baseline: LOAD DATA LOCAL INFILE`) taken from its runs. */
function writerOf(s: BenchSummary, results: BenchResults): string {
  if (s.writer === 'sink') return 'sink';
  const run = results.runs.find((r) => r.writer === 'baseline' && r.target === s.target && r.batchSize === s.batchSize);
  return run?.baseline ? `baseline: ${run.baseline}` : 'baseline';
}

/** One line per run that was not verified or failed (why the bench exits 1). */
export function failureLines(results: BenchResults): string[] {
  return results.runs.filter((r) => r.error !== undefined || !r.verification.ok).map((r) => finishedLine(r));
}
