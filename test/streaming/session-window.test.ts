/**
 * Scenarios of Spark's StreamingSessionWindowSuite: Spark's StructuredSessionization example, words as session ids.
 *
 *   events = input.select($"_1".as("value"), $"_2".as("timestamp")).withColumn("eventTime", $"timestamp".cast("timestamp"))
 *     .withWatermark("eventTime", "30 seconds").selectExpr("explode(split(value, ' ')) AS sessionId", "eventTime")
 *   events.groupBy(session_window($"eventTime", "10 seconds") as "session", $"sessionId").agg(count("*").as("numEvents"))
 *
 * Rows are shown as (sessionId, start s, end s, duration s, numEvents), sorted (Spark's CheckNewAnswer ignores order).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import type { Row } from '../../src/core/row.js';
import type { OutputMode } from '../../src/core/sink.js';
import { buildTestJob, StreamHarness, windowEnd, windowStart } from './harness.js';

const sessionQuery = (keys = ['session', 'sessionId']) => [
  { withColumn: { name: 'eventTime', expr: 'timestamp_millis(_2 * 1000)' } },
  { withWatermark: { column: 'eventTime', delay: '30 seconds' } },
  { explode: { expr: "split(_1, ' ')", as: 'sessionId', keep: ['eventTime'] } },
  { sessionWindow: { column: 'eventTime', gap: '10 seconds', as: 'session' } },
  { groupBy: { keys, agg: { numEvents: 'count()' } } },
];
const line = ([text, t]: [string, number]) => ({ _1: text, _2: t });
const session = (r: Row) => [
  r.sessionId,
  windowStart(r, 'session'),
  windowEnd(r, 'session'),
  windowEnd(r, 'session') - windowStart(r, 'session'),
  r.numEvents,
];
const sorted = (rows: unknown[][]) => [...rows].sort((a, b) => String(a).localeCompare(String(b), 'en', { numeric: true }));

let harness: StreamHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("Spark's StreamingSessionWindowSuite, ported", () => {
  it('complete mode: sessions merge, also with sessions placed before and between earlier ones', async () => {
    harness = new StreamHarness({
      schema: { _1: 'string', _2: 'long' },
      toRow: line,
      operators: sessionQuery(),
      outputMode: 'complete',
    }).start();
    const t = harness;
    await t.addData(['hello world spark streaming', 40], ['world hello structured streaming', 41]);
    assert.deepEqual(
      sorted(t.lastBatch(session)),
      sorted([
        ['hello', 40, 51, 11, 2],
        ['world', 40, 51, 11, 2],
        ['streaming', 40, 51, 11, 2],
        ['spark', 40, 50, 10, 1],
        ['structured', 41, 51, 10, 1],
      ]),
    );
    await t.addData(['spark streaming', 25]); // placing new sessions "before" previous sessions
    assert.deepEqual(
      sorted(t.lastBatch(session)),
      sorted([
        ['spark', 25, 35, 10, 1],
        ['streaming', 25, 35, 10, 1],
        ['hello', 40, 51, 11, 2],
        ['world', 40, 51, 11, 2],
        ['streaming', 40, 51, 11, 2],
        ['spark', 40, 50, 10, 1],
        ['structured', 41, 51, 10, 1],
      ]),
    );
    await t.addData(['spark streaming', 30]); // concatenating multiple previous sessions into one
    assert.deepEqual(
      sorted(t.lastBatch(session)),
      sorted([
        ['spark', 25, 50, 25, 3],
        ['streaming', 25, 51, 26, 4],
        ['hello', 40, 51, 11, 2],
        ['world', 40, 51, 11, 2],
        ['structured', 41, 51, 10, 1],
      ]),
    );
    await t.addData(['hello apache spark', 60]); // placing new sessions after previous sessions
    assert.deepEqual(
      sorted(t.lastBatch(session)),
      sorted([
        ['spark', 25, 50, 25, 3],
        ['streaming', 25, 51, 26, 4],
        ['hello', 40, 51, 11, 2],
        ['world', 40, 51, 11, 2],
        ['structured', 41, 51, 10, 1],
        ['hello', 60, 70, 10, 1],
        ['apache', 60, 70, 10, 1],
        ['spark', 60, 70, 10, 1],
      ]),
    );
    await t.addData(['structured streaming', 90]);
    assert.deepEqual(
      sorted(t.lastBatch(session)),
      sorted([
        ['spark', 25, 50, 25, 3],
        ['streaming', 25, 51, 26, 4],
        ['hello', 40, 51, 11, 2],
        ['world', 40, 51, 11, 2],
        ['structured', 41, 51, 10, 1],
        ['hello', 60, 70, 10, 1],
        ['apache', 60, 70, 10, 1],
        ['spark', 60, 70, 10, 1],
        ['structured', 90, 100, 10, 1],
        ['streaming', 90, 100, 10, 1],
      ]),
    );
  });

  it('append mode: a session is emitted once the watermark passes its end; late rows dropped', async () => {
    harness = new StreamHarness({ schema: { _1: 'string', _2: 'long' }, toRow: line, operators: sessionQuery() }).start();
    const t = harness;
    await t.addData(['hello world spark streaming', 40], ['world hello structured streaming', 41]); // watermark: 11
    assert.deepEqual(t.newAnswer(session), []);
    await t.addData(['spark streaming', 25]);
    assert.deepEqual(t.newAnswer(session), []);
    await t.addData(['spark streaming', 0]); // late: its session's end 10 is before the watermark 11
    assert.deepEqual(t.newAnswer(session), []);
    assert.equal(t.progress.filter((p) => p.numInputRows > 0).at(-1)!.stateOperators[0].numRowsDroppedByWatermark, 2);
    await t.addData(['spark streaming', 30]); // concatenating multiple previous sessions into one
    assert.deepEqual(t.newAnswer(session), []);
    await t.addData(['hello apache spark', 60]); // watermark: 30
    assert.deepEqual(t.newAnswer(session), []);
    await t.addData(['structured streaming', 90]); // watermark: 60
    assert.deepEqual(
      sorted(t.newAnswer(session)),
      sorted([
        ['spark', 25, 50, 25, 3],
        ['streaming', 25, 51, 26, 4],
        ['hello', 40, 51, 11, 2],
        ['world', 40, 51, 11, 2],
        ['structured', 41, 51, 10, 1],
      ]),
    );
    assert.equal(t.progress.at(-1)!.stateOperators[0].operatorName, 'sessionWindowStateStoreSave');
    assert.equal(
      t.progress.at(-1)!.stateOperators[0].numRowsTotal,
      5,
      'sessions left: hello/apache/spark at 60, structured/streaming at 90',
    );
  });

  describe('refused before the query runs', () => {
    const refuse = (keys: string[], mode: OutputMode, pattern: RegExp) => {
      const dir = mkdtempSync(join(tmpdir(), 'streamlab-build-'));
      try {
        assert.throws(
          () => buildTestJob(dir, { schema: { _1: 'string', _2: 'long' }, operators: sessionQuery(keys), outputMode: mode }),
          (error) => {
            assert.ok(error instanceof ConfigError);
            assert.match(error.message, pattern);
            return true;
          },
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    it('update mode with a session window', () =>
      refuse(
        ['session', 'sessionId'],
        'update',
        /Update output mode not supported for session window on streaming DataFrames\/DataSets.*Valid output modes for this job: append, complete/s,
      ));
    it('a session window without another key (global aggregation)', () =>
      refuse(['session'], 'append', /Global aggregation with session window in streaming query is not supported/));
  });
});
