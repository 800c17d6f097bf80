/** The programming guide's late-data scenario (see windowed-word-count.test.ts), shared by the tests that use it. */
import type { Row } from '../../src/core/row.js';
import type { OutputMode } from '../../src/core/sink.js';
import { StreamHarness, type HarnessOptions } from './harness.js';

export const BATCHES: Array<Array<[string, string]>> = [
  [
    ['12:07', 'dog'],
    ['12:08', 'owl'],
  ],
  [
    ['12:14', 'dog'],
    ['12:09', 'cat'],
  ],
  [
    ['12:15', 'cat'],
    ['12:08', 'dog'],
    ['12:13', 'owl'],
    ['12:21', 'owl'],
  ],
  [
    ['12:04', 'donkey'],
    ['12:17', 'owl'],
  ],
  [['12:40', 'cat']],
];

export const WINDOWED_WORD_COUNT = [
  { withWatermark: { column: 'timestamp', delay: '10 minutes' } },
  { window: { column: 'timestamp', size: '10 minutes', slide: '5 minutes' } },
  { groupBy: { keys: ['window', 'word'], agg: { count: 'count()' } } },
];

const hhmm = (d: Date) => d.toISOString().slice(11, 16);
/** A result row as the guide's tables show it: window, word, count. */
export const shown = (r: Row) => {
  const w = r.window as { start: Date; end: Date };
  return `${hhmm(w.start)}-${hhmm(w.end)} ${r.word} ${r.count}`;
};
export const event = ([time, word]: [string, string]) => ({ timestamp: new Date(`2024-05-01T${time}:00Z`), word });

export function wordCount(outputMode: OutputMode, extra: Partial<HarnessOptions> = {}): StreamHarness {
  return new StreamHarness({
    schema: { timestamp: 'timestamp', word: 'string' },
    toRow: event,
    operators: WINDOWED_WORD_COUNT,
    outputMode,
    ...extra,
  }).start();
}
