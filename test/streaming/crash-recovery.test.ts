/**
 * Exactly-once for stateful queries: a crash in the middle of the guide's windowed word count, between the offsets
 * entry and the commit entry of a batch, then a restart on the same checkpoint, must give the same final output as
 * a run without the crash. Two places to crash:
 *   - after the sink wrote batch N, before any state of N was committed;
 *   - after the state store committed version N, before commits/N (the replay must start again from version N-1,
 *     not count batch N twice).
 * The output is read as an idempotent sink would keep it: the last write of each batchId.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { map } from 'rxjs';
import { describe, it } from 'node:test';
import { withHooks, type StatefulOperator } from '../../src/core/operator.js';
import type { Row } from '../../src/core/row.js';
import type { OutputMode } from '../../src/core/sink.js';
import { BATCHES, shown, wordCount } from './guide-scenario.js';
import type { HarnessOptions, RecordingSink, StreamHarness } from './harness.js';

/** What an idempotent sink ends up holding: per batchId the rows of its last write, in batch order. */
function finalOutput(sink: RecordingSink): string[] {
  const byBatch = new Map<number, Row[]>();
  for (const b of sink.batches) byBatch.set(b.batchId, b.rows);
  return [...byBatch.keys()].sort((a, b) => a - b).flatMap((id) => byBatch.get(id)!.map(shown));
}

/** A stateful hook after groupBy whose commit of `version` fails once: groupBy (operator 0) has committed by then. */
function failingCommitAt(version: number): { operator: HarnessOptions['after']; failed: () => boolean } {
  let failed = false;
  const hook: StatefulOperator = {
    operatorName: 'crashAfterStateCommit',
    open: async () => {},
    restore: async () => {},
    commit: async (v) => {
      if (v === version && !failed) {
        failed = true;
        throw new Error(`simulated crash after state version ${v} was written, before commits/${v}`);
      }
    },
    shouldRunAnotherBatch: () => false,
    metrics: () => ({
      operatorName: 'crashAfterStateCommit',
      numRowsTotal: 0,
      numRowsUpdated: 0,
      numRowsRemoved: 0,
      numRowsDroppedByWatermark: 0,
      memoryUsedBytes: 0,
    }),
    stateRows: () => ({ schema: [], rows: [] }),
    close: async () => {},
  };
  return {
    operator: withHooks(
      map((b) => b),
      { stateful: hook },
    ),
    failed: () => failed,
  };
}

async function runAll(t: StreamHarness, onCrash?: (error: unknown) => void): Promise<void> {
  for (const batch of BATCHES) {
    try {
      await t.addData(...batch);
    } catch (error) {
      onCrash?.(error);
      t.start();
      await t.processAllAvailable();
    }
  }
}

for (const mode of ['update', 'append'] as OutputMode[]) {
  describe(`a crash in the middle of the windowed word count (${mode} mode)`, () => {
    it('after the sink wrote batch N: the restart replays N and the final output is the same as without the crash', async () => {
      const clean = wordCount(mode);
      await runAll(clean);
      const expected = finalOutput(clean.sink);
      await clean.close();
      assert.ok(expected.length > 5);

      for (const crashAt of [2, 4, 5]) {
        const t = wordCount(mode);
        try {
          t.sink.crashAfterBatch = crashAt;
          let crashes = 0;
          await runAll(t, (error) => {
            crashes++;
            assert.match(String(error), new RegExp(`simulated crash after the sink wrote batch ${crashAt}`));
          });
          assert.equal(crashes, 1);
          assert.deepEqual(finalOutput(t.sink), expected, `crash after batch ${crashAt}`);
          assert.equal(t.progress.find((p) => p.recovered)?.batchId, crashAt, 'the restart replayed the crashed batch');
        } finally {
          await t.close();
        }
      }
    });

    it('after state version N was written but before commits/N: the replay restarts from version N-1', async () => {
      const clean = wordCount(mode);
      await runAll(clean);
      const expected = finalOutput(clean.sink);
      await clean.close();

      const crashAt = 4; // the data batch of the third trigger
      const failing = failingCommitAt(crashAt);
      const t = wordCount(mode, { after: failing.operator });
      try {
        let sawCrash = false;
        await runAll(t, (error) => {
          sawCrash = true;
          assert.match(String(error), /simulated crash after state version 4 was written/);
          const checkpoint = join(t.dir, 'checkpoint');
          assert.ok(existsSync(join(checkpoint, 'state/0/4.delta')), 'groupBy committed state version 4');
          assert.ok(!existsSync(join(checkpoint, 'commits/4')), 'commits/4 was not written');
          assert.ok(existsSync(join(checkpoint, 'offsets/4')));
        });
        assert.ok(sawCrash && failing.failed());
        assert.deepEqual(finalOutput(t.sink), expected);
      } finally {
        await t.close();
      }
    });
  });
}

describe('state files in the checkpoint', () => {
  it("state/<operatorId>/<batchId>.delta holds the batch's changes; the watermark is in commits/N and offsets/N+1", async () => {
    const t = wordCount('update');
    try {
      await runAll(t);
      const checkpoint = join(t.dir, 'checkpoint');
      const delta = readFileSync(join(checkpoint, 'state/0/0.delta'), 'utf8').trim().split('\n');
      assert.equal(delta[0], 'v1');
      // The group (window 12:00-12:10, word dog) is the key; the value is its aggregation buffer (the count).
      assert.deepEqual(JSON.parse(delta[1]), { key: 'w1714564800000:1714565400000|s3:dog', value: [1] });
      assert.equal(delta.length, 5, 'batch 0 wrote four groups');
      // batch 4 (third trigger) used watermark 12:04; it moved the watermark to 12:11.
      const commit4 = JSON.parse(readFileSync(join(checkpoint, 'commits/4'), 'utf8').split('\n')[1]);
      const offsets5 = JSON.parse(readFileSync(join(checkpoint, 'offsets/5'), 'utf8').split('\n')[1]);
      assert.equal(commit4.nextBatchWatermarkMs, Date.parse('2024-05-01T12:11:00Z'));
      assert.equal(offsets5.batchWatermarkMs, Date.parse('2024-05-01T12:11:00Z'));
      // The no-data batch 5 evicted the windows that ended by 12:11: removals in its delta.
      const removed = readFileSync(join(checkpoint, 'state/0/5.delta'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => JSON.parse(l));
      assert.deepEqual(
        removed.map((r) => r.removed),
        [true, true, true],
      );
    } finally {
      await t.close();
    }
  });
});
