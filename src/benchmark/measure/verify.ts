/** Compares what was read back with what was written, and says in words what went wrong. */
import type { BenchRun } from '../results.js';
import type { ReadBack } from '../target.js';
import type { Expected } from './expected.js';

export type Verification = BenchRun['verification'];

export function verify(expected: Expected, read: ReadBack): Verification {
  const base = { expectedRows: expected.rows, expectedChecksum: expected.checksum, rows: read.rows, checksum: read.checksum };
  const problems: string[] = [];
  const missing = expected.rows - read.rows;
  if (missing > 0) problems.push(`lost ${missing} row${missing === 1 ? '' : 's'} of ${expected.rows}`);
  if (missing < 0) problems.push(`${-missing} row${missing === -1 ? '' : 's'} doubled (read back ${read.rows} of ${expected.rows})`);
  const difference = read.checksum - expected.checksum;
  if (difference !== 0) problems.push(`checksum differs by ${difference} (read back ${read.checksum}, expected ${expected.checksum})`);
  return problems.length === 0 ? { ...base, ok: true } : { ...base, ok: false, message: problems.join('; ') };
}

/** For a run that did not get as far as reading back. */
export function notVerified(expected: Expected, why: string): Verification {
  return {
    expectedRows: expected.rows,
    expectedChecksum: expected.checksum,
    rows: 0,
    checksum: 0,
    ok: false,
    message: `not verified: ${why}`,
  };
}
