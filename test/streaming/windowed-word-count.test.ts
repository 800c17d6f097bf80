/**
 * The windowed word count with late data of Spark's Structured Streaming Programming Guide ("Handling Late Data and
 * Watermarking", the figures for update and append mode): 10-minute windows sliding every 5 minutes, a 10-minute
 * watermark, and these events arriving in four triggers (12:10, 12:15, 12:20, 12:25 in the figure):
 *
 *   batch 0: (12:07 dog) (12:08 owl)
 *   batch 1: (12:14 dog) (12:09 cat)                      -> watermark for the next batch: 12:14 - 10 min = 12:04
 *   batch 2: (12:15 cat) (12:08 dog) (12:13 owl) (12:21 owl)  12:08 is late but ahead of 12:04: counted
 *                                                         -> watermark 12:21 - 10 min = 12:11
 *   batch 3: (12:04 donkey) (12:17 owl)                   12:04 is behind 12:11: too late, ignored
 *   batch 4: (12:40 cat)                                  (not in the guide: moves the watermark to 12:30 to flush)
 *
 * As in Spark since 2.4, a batch that moves the watermark is followed by a no-data batch, so in append mode the final
 * counts of 12:00-12:10 come out right after batch 2 rather than with batch 3 as drawn in the guide (Spark 2.1).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { BATCHES, shown, wordCount } from './guide-scenario.js';
import type { StreamHarness } from './harness.js';

let harness: StreamHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("the programming guide's windowed word count with late data", () => {
  it('update mode: the counts that changed in each trigger; donkey at 12:04 is ignored', async () => {
    harness = wordCount('update');
    const t = harness;
    const expected = [
      ['12:00-12:10 dog 1', '12:00-12:10 owl 1', '12:05-12:15 dog 1', '12:05-12:15 owl 1'],
      ['12:00-12:10 cat 1', '12:05-12:15 cat 1', '12:05-12:15 dog 2', '12:10-12:20 dog 1'],
      [
        '12:00-12:10 dog 2',
        '12:05-12:15 dog 3',
        '12:05-12:15 owl 2',
        '12:10-12:20 cat 1',
        '12:10-12:20 owl 1',
        '12:15-12:25 cat 1',
        '12:15-12:25 owl 1',
        '12:20-12:30 owl 1',
      ],
      ['12:10-12:20 owl 2', '12:15-12:25 owl 2'],
      ['12:35-12:45 cat 1', '12:40-12:50 cat 1'],
    ];
    for (const [i, batch] of BATCHES.entries()) {
      await t.addData(...batch);
      assert.deepEqual(t.newAnswer(shown), expected[i], `after batch ${i}`);
      if (i === 3) {
        const withData = t.progress.filter((p) => p.numInputRows > 0).at(-1)!;
        assert.equal(withData.eventTime!.watermark, '2024-05-01T12:11:00.000Z');
        assert.equal(withData.stateOperators[0].numRowsDroppedByWatermark, 2, 'donkey, in both of its windows');
      }
    }
  });

  it('append mode: each window once, with its final counts, when the watermark passes its end', async () => {
    harness = wordCount('append');
    const t = harness;
    const expected = [
      [],
      [],
      ['12:00-12:10 cat 1', '12:00-12:10 dog 2', '12:00-12:10 owl 1'],
      [],
      [
        '12:05-12:15 cat 1',
        '12:05-12:15 dog 3',
        '12:05-12:15 owl 2',
        '12:10-12:20 cat 1',
        '12:10-12:20 dog 1',
        '12:10-12:20 owl 2',
        '12:15-12:25 cat 1',
        '12:15-12:25 owl 2',
        '12:20-12:30 owl 1',
      ],
    ];
    for (const [i, batch] of BATCHES.entries()) {
      await t.addData(...batch);
      assert.deepEqual(t.newAnswer(shown), expected[i], `after batch ${i}`);
    }
  });

  it('complete mode: the whole table every trigger; nothing is too late, so donkey is counted', async () => {
    harness = wordCount('complete');
    const t = harness;
    for (const batch of BATCHES.slice(0, 4)) await t.addData(...batch);
    assert.deepEqual(t.lastBatch(shown), [
      '11:55-12:05 donkey 1',
      '12:00-12:10 cat 1',
      '12:00-12:10 dog 2',
      '12:00-12:10 donkey 1',
      '12:00-12:10 owl 1',
      '12:05-12:15 cat 1',
      '12:05-12:15 dog 3',
      '12:05-12:15 owl 2',
      '12:10-12:20 cat 1',
      '12:10-12:20 dog 1',
      '12:10-12:20 owl 2',
      '12:15-12:25 cat 1',
      '12:15-12:25 owl 2',
      '12:20-12:30 owl 1',
    ]);
    assert.equal(t.progress.at(-1)!.stateOperators[0].numRowsTotal, 14);
  });
});
