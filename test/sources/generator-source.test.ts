import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VirtualTimeScheduler } from 'rxjs';
import { paceOf } from '../../src/component/generator-options.js';
import { GeneratorSource, type GeneratorPace } from '../../src/core/generator-source.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';

/** A virtual clock: `advance(ms)` moves time forward; sources read it through `scheduler.now()`. */
function virtualClock() {
  const scheduler = new VirtualTimeScheduler();
  return {
    scheduler,
    advance(ms: number) {
      scheduler.schedule(() => {}, ms);
      scheduler.flush();
    },
  };
}

const numbers = (from: number, to: number): Row[] => Array.from({ length: to - from }, (_, n) => ({ value: from + n }));

async function opened(pace: GeneratorPace, clock = virtualClock(), extra: { maxRowsPerBatch?: number; metadata?: never } = {}) {
  const source = new GeneratorSource('numbers', [{ name: 'value', type: 'long' }], numbers, pace);
  const result = await source.open({ scheduler: clock.scheduler, logger: silentLogger, ...extra });
  return { source, clock, metadata: (result as { metadata?: unknown } | undefined)?.metadata };
}

describe('GeneratorSource', () => {
  it('paceOf: rows alone is bounded, rowsPerSecond paces (capped by rows), neither is one tick per interval', () => {
    assert.deepEqual(paceOf({ rows: 10 }, 4, 10_000), { kind: 'all', rows: 10 });
    assert.deepEqual(paceOf({ rows: 10, rowsPerSecond: 2 }, 4, 10_000), { kind: 'rate', rowsPerSecond: 2, rows: 10 });
    assert.deepEqual(paceOf({}, 4, 10_000), { kind: 'ticks', rowsPerTick: 4, intervalMs: 10_000 });
  });

  it('bounded: every row at once, no clock and nothing kept in the checkpoint', async () => {
    const { source, metadata } = await opened({ kind: 'all', rows: 7 });
    assert.equal(metadata, undefined);
    assert.equal(source.latestOffset(null), 7);
    assert.equal(source.latestOffset(7), 7, 'nothing new after the last row');
    assert.deepEqual(source.getBatch(3, 7), numbers(3, 7));
  });

  it('rate: rowsPerSecond rows per second of virtual time, null before the first, capped by rows', async () => {
    const { source, clock } = await opened({ kind: 'rate', rowsPerSecond: 4, rows: 10 });
    assert.equal(source.latestOffset(null), null, 'no row is due at the start');
    clock.advance(250);
    assert.equal(source.latestOffset(null), 1);
    clock.advance(1250);
    assert.equal(source.latestOffset(null), 6);
    clock.advance(10_000);
    assert.equal(source.latestOffset(6), 10);
  });

  it('ticks: rowsPerTick rows at the start, then as many every interval', async () => {
    const { source, clock } = await opened({ kind: 'ticks', rowsPerTick: 3, intervalMs: 10_000 });
    assert.equal(source.latestOffset(null), 3);
    clock.advance(9_999);
    assert.equal(source.latestOffset(null), 3);
    clock.advance(1);
    assert.equal(source.latestOffset(null), 6);
  });

  it('a paced source keeps its start time in the checkpoint: a restart goes on at the same pace', async () => {
    const clock = virtualClock();
    clock.advance(5_000);
    const first = await opened({ kind: 'rate', rowsPerSecond: 2 }, clock);
    assert.deepEqual(first.metadata, { startTimeMs: 5_000 });
    clock.advance(3_000);
    const restarted = await opened({ kind: 'rate', rowsPerSecond: 2 }, clock, { metadata: first.metadata as never });
    assert.equal(restarted.source.latestOffset(null), 6);
  });

  it('maxRowsPerBatch bounds every batch exactly', async () => {
    const { source } = await opened({ kind: 'all', rows: 10 }, virtualClock(), { maxRowsPerBatch: 4 });
    assert.deepEqual(
      [null, 4, 8, 10].map((start) => source.latestOffset(start)),
      [4, 8, 10, 10],
    );
  });

  it('availableNow: a paced source stops at what was due when the query started', async () => {
    const { source, clock } = await opened({ kind: 'rate', rowsPerSecond: 10 }, virtualClock(), { maxRowsPerBatch: 4 });
    clock.advance(1_000);
    source.prepareForTriggerAvailableNow();
    clock.advance(60_000);
    assert.deepEqual(
      [null, 4, 8, 10].map((start) => source.latestOffset(start)),
      [4, 8, 10, 10],
    );
  });

  it('availableNow backlog: rows committed of the rows due at the start', async () => {
    const { source, clock } = await opened({ kind: 'rate', rowsPerSecond: 10 }, virtualClock(), { maxRowsPerBatch: 4 });
    clock.advance(1_000);
    assert.equal(source.backlog(null), undefined, 'no target before prepareForTriggerAvailableNow');
    source.prepareForTriggerAvailableNow();
    clock.advance(60_000);
    assert.deepEqual(
      [null, 4, 8, 10].map((committed) => source.backlog(committed)),
      [0, 4, 8, 10].map((done) => ({ done, total: 10, unit: 'rows' })),
    );
  });
});
