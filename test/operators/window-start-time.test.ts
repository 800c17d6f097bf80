/**
 * window's startTime (Spark's window(col, size, slide, startTime)): the expected windows are what PySpark 4.3.0 gave
 * for the same rows (groupBy(window("t", "10 seconds", "10 seconds", "3 seconds")) and size 10, slide 5, start 3).
 */
import assert from 'node:assert/strict';
import { lastValueFrom, of } from 'rxjs';
import { describe, it } from 'node:test';
import { codeContext } from '../../src/api/build.js';
import { ConfigError } from '../../src/core/errors.js';
import type { Row } from '../../src/core/row.js';
import { windowOperator } from '../../src/operators/window.js';

const context = { ...codeContext('test'), input: [{ name: 't', type: 'timestamp' as const }] };
const windows = async (options: Record<string, unknown>, seconds: number[]): Promise<string[]> => {
  const built = windowOperator.create(windowOperator.options.parse({ column: 't', ...options }), context);
  const rows: Row[] = seconds.map((s) => ({ t: new Date(s * 1000) }));
  const out = (await lastValueFrom(built.operator(of({ batchId: 0, rows, watermarkMs: 0, batchTimestampMs: 0 })))).rows;
  return out.map((r) => {
    const w = r.window as { start: Date; end: Date };
    return `${(r.t as Date).getTime() / 1000}:[${w.start.getTime() / 1000},${w.end.getTime() / 1000})`;
  });
};

describe('window startTime', () => {
  it('tumbling: windows start startTime past each multiple of the size', async () => {
    assert.deepEqual(await windows({ size: '10 seconds', startTime: '3 seconds' }, [2, 3, 12, 13]), [
      '2:[-7,3)',
      '3:[3,13)',
      '12:[3,13)',
      '13:[13,23)',
    ]);
  });

  it('sliding: every window of a row, shifted by startTime', async () => {
    assert.deepEqual(await windows({ size: '10 seconds', slide: '5 seconds', startTime: '3 seconds' }, [2, 7, 8]), [
      '2:[-7,3)',
      '2:[-2,8)',
      '7:[-2,8)',
      '7:[3,13)',
      '8:[3,13)',
      '8:[8,18)',
    ]);
  });

  it('refuses a startTime not less than the slide, as Spark', () => {
    assert.throws(
      () => windowOperator.create(windowOperator.options.parse({ column: 't', size: '10 seconds', startTime: '10 seconds' }), context),
      (error: unknown) => error instanceof ConfigError && /startTime \(10s\) must be less than the slide \(10s\)/.test(error.message),
    );
  });
});
