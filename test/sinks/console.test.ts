import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConsoleSink } from '../../src/sinks/console/index.js';
import { formatTable } from '../../src/sinks/console/format.js';

const schema = [
  { name: 'timestamp', type: 'timestamp' as const },
  { name: 'value', type: 'long' as const },
  { name: 'tr', type: 'double' as const },
];

describe("console sink (Spark's format)", () => {
  it('prints Batch: N between dashed lines, then a right-aligned table', async () => {
    let out = '';
    const sink = new ConsoleSink(schema, 20, true, (t) => (out += t));
    await sink.foreachBatch(
      [
        { timestamp: new Date(2026, 10, 23, 9, 5, 7, 120), value: 0, tr: 5 },
        { timestamp: new Date(2026, 10, 23, 9, 5, 8, 0), value: 1, tr: 4.333333333333334 },
      ],
      7,
    );
    assert.equal(
      out,
      [
        '-------------------------------------------',
        'Batch: 7',
        '-------------------------------------------',
        '+--------------------+-----+-----------------+',
        '|           timestamp|value|               tr|',
        '+--------------------+-----+-----------------+',
        '|2026-11-23 09:05:...|    0|              5.0|',
        '|2026-11-23 09:05:08 |    1|4.333333333333334|',
        '+--------------------+-----+-----------------+',
        '',
        '',
      ]
        .join('\n')
        .replace('|2026-11-23 09:05:08 |', '| 2026-11-23 09:05:08|'),
    );
  });

  it("without truncate, shows whole cells left-aligned; caps rows at numRows with Spark's note", () => {
    const rows = [{ value: 'a rather long line of text here' }, { value: 'b' }, { value: null }];
    assert.equal(
      formatTable(rows, [{ name: 'value', type: 'string' }], 2, false),
      [
        '+-------------------------------+',
        '|value                          |',
        '+-------------------------------+',
        '|a rather long line of text here|',
        '|b                              |',
        '+-------------------------------+',
        'only showing top 2 rows',
        '',
      ].join('\n'),
    );
  });

  it('an empty batch prints the header only', () => {
    assert.equal(formatTable([], [{ name: 'word', type: 'string' }], 20, true), '+----+\n|word|\n+----+\n+----+\n');
  });
});
