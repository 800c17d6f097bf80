import type { KillRunResult } from './kill-run.js';
import type { ChaosTarget } from './targets.js';

/** The chaos suite's summary, one row per sink, as a Markdown table (pasted as is into closing notes and docs). */
export function printTable(results: readonly KillRunResult[], targets: readonly ChaosTarget[]): void {
  const header = ['sink', 'kills (after offsets)', 'rows expected', 'found', 'duplicates', 'missing', 'restarts failed', 'result'];
  const rows = results.map((r) => [
    r.target,
    `${r.kills} (${r.afterOffsets})`,
    String(r.expected),
    String(r.found),
    String(r.duplicates),
    String(r.missing),
    String(r.restartsFailed),
    r.failures.length === 0 ? 'ok' : 'FAILED',
  ]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |\n`;
  process.stdout.write(`\n${line(header)}${line(header.map(() => '---'))}${rows.map(line).join('')}`);
  for (const r of results) {
    const note = targets.find((t) => t.name === r.target)?.note;
    if (note) process.stdout.write(`- ${r.target}: ${note}\n`);
  }
}
