import type { Tally } from './job-process.js';

export interface Column<R> {
  header: string;
  cell(result: R): string;
}

/** The counts every scenario shares, after its own columns. */
export const TALLY_COLUMNS: Column<Tally>[] = [
  { header: 'rows expected', cell: (r) => String(r.expected) },
  { header: 'found', cell: (r) => String(r.found) },
  { header: 'duplicates', cell: (r) => String(r.duplicates) },
  { header: 'missing', cell: (r) => String(r.missing) },
  { header: 'restarts failed', cell: (r) => String(r.restartsFailed) },
  { header: 'result', cell: (r) => (r.failures.length === 0 ? 'ok' : 'FAILED') },
];

/** A scenario's summary, one row per sink, as a Markdown table (pasted as is into closing notes and docs). */
export function printTable<R extends Tally>(title: string, results: readonly R[], columns: readonly Column<R>[]): void {
  const all = [{ header: 'sink', cell: (r: R) => r.target }, ...columns, ...TALLY_COLUMNS];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |\n`;
  process.stdout.write(`\n${title}\n\n${line(all.map((c) => c.header))}${line(all.map(() => '---'))}`);
  for (const r of results) process.stdout.write(line(all.map((c) => c.cell(r))));
}
