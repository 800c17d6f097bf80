/** What examples/rate-even-triangle.ts prints, checked: shared by the README test and the examples test. */
import assert from 'node:assert/strict';

/** An independent reference for `triangle(value, 0, 30, 10)` (the course's wave; value >= 0 here). */
export const triangle = (x: number) => 10 / 2 - (10 / 15) * Math.abs((x % 30) - 15);

/**
 * Checks what the example prints: batches `firstBatch`..`firstBatch + 2`, together the even values from `firstValue`
 * on with none missing or repeated (rate's values are 0, 1, 2, ...), each with its triangle wave. Returns the next value.
 */
export function assertBatches(stdout: string, firstBatch: number, firstValue: number): number {
  const lines = stdout.trimEnd().split('\n');
  assert.deepEqual(
    lines.map((line) => line.match(/^batch (\d+): /)?.[1]),
    [0, 1, 2].map((i) => String(firstBatch + i)),
    stdout,
  );
  const pairs = lines.flatMap((line) =>
    line
      .replace(/^batch \d+: /, '')
      .split(' ')
      .map((pair) => pair.split(':').map(Number)),
  );
  assert.deepEqual(
    pairs.map(([value]) => value),
    pairs.map((_, i) => firstValue + 2 * i),
    stdout,
  );
  for (const [value, tr] of pairs) assert.ok(Math.abs(tr - triangle(value)) < 1e-9, `tr of ${value}: ${tr}`);
  return firstValue + 2 * pairs.length;
}
