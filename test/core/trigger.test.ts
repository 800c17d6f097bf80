import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asyncScheduler, map, NEVER, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { nextBatchTime, triggerLoop, type TriggerOutcome } from '../../src/core/trigger.js';

// Inside `run()`, asyncScheduler (its timers and its now()) runs in the TestScheduler's virtual time.
const newScheduler = () => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));

describe('nextBatchTime (Spark ProcessingTimeExecutor)', () => {
  it('is the first interval boundary after the start', () => {
    assert.equal(nextBatchTime(0, 1000), 1000);
    assert.equal(nextBatchTime(999, 1000), 1000);
    assert.equal(nextBatchTime(1000, 1000), 2000);
    assert.equal(nextBatchTime(1500, 1000), 2000);
  });
});

describe('triggerLoop in virtual time', () => {
  it('processingTime: batches start on interval boundaries', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      // each batch takes 3 frames (ms) and ends with an outcome
      const batch = () => cold<TriggerOutcome>('---(b|)', { b: { ranBatch: true } });
      const ticks = triggerLoop({ kind: 'processingTime', intervalMs: 10 }, batch, asyncScheduler, NEVER).pipe(map(() => 'b'));
      expectObservable(ticks, '^ 35ms !').toBe('---b 9ms b 9ms b 9ms b', { b: 'b' });
    });
  });

  it('processingTime: an overrunning batch is followed at once by the next, with no catch-up', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      // 15 ms batches with a 10 ms interval: start at 0, 15, 30, 45 (not 0, 10, 20, ...)
      const batch = () => cold<TriggerOutcome>('15ms (b|)', { b: { ranBatch: true } });
      const ticks = triggerLoop({ kind: 'processingTime', intervalMs: 10 }, batch, asyncScheduler, NEVER).pipe(map(() => 'b'));
      expectObservable(ticks, '^ 62ms !').toBe('15ms b 14ms b 14ms b 14ms b', { b: 'b' });
    });
  });

  it('default trigger: the next batch starts at once after data, after pollMs when idle', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const outcomes = [true, false, true];
      let n = 0;
      const batch = (): Observable<TriggerOutcome> => {
        const ran = outcomes[n++] ?? false;
        return cold<TriggerOutcome>('--(o|)', { o: { ranBatch: ran } });
      };
      const ticks = triggerLoop({ kind: 'default' }, batch, asyncScheduler, NEVER, 5).pipe(map((o) => (o.ranBatch ? 'd' : 'i')));
      // data at 2; idle at 4; waits 5 -> next starts 9, data at 11; then idle at 13
      expectObservable(ticks, '^ 14ms !').toBe('--d-i------d-i', { d: 'd', i: 'i' });
    });
  });

  it('availableNow: runs until the source is exhausted, then completes', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const outcomes: TriggerOutcome[] = [
        { ranBatch: true, exhausted: false },
        { ranBatch: true, exhausted: false },
        { ranBatch: false, exhausted: true },
      ];
      let n = 0;
      const batch = () => cold<TriggerOutcome>('-(o|)', { o: outcomes[n++] });
      const ticks = triggerLoop({ kind: 'availableNow' }, batch, asyncScheduler, NEVER).pipe(map((o) => (o.ranBatch ? 'b' : 'x')));
      expectObservable(ticks).toBe('-bb(x|)', { b: 'b', x: 'x' });
    });
  });

  it('stop: the batch in flight finishes, no new batch starts, the loop completes', () => {
    newScheduler().run(({ cold, hot, expectObservable }) => {
      const batch = () => cold<TriggerOutcome>('----(b|)', { b: { ranBatch: true } });
      const stop$ = hot('--s');
      const ticks = triggerLoop({ kind: 'processingTime', intervalMs: 10 }, batch, asyncScheduler, stop$).pipe(map(() => 'b'));
      expectObservable(ticks).toBe('----(b|)', { b: 'b' });
    });
  });

  it('stop while waiting for the next interval ends the wait at once', () => {
    newScheduler().run(({ cold, hot, expectObservable }) => {
      const batch = () => cold<TriggerOutcome>('-(b|)', { b: { ranBatch: true } });
      const stop$ = hot('-----s');
      const ticks = triggerLoop({ kind: 'processingTime', intervalMs: 100 }, batch, asyncScheduler, stop$).pipe(map(() => 'b'));
      expectObservable(ticks).toBe('-b---|', { b: 'b' });
    });
  });
});
