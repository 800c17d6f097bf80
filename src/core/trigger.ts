import { concatMap, defer, EMPTY, expand, finalize, map, of, takeLast, takeUntil, timer, type Observable, type SchedulerLike } from 'rxjs';
import { formatDuration } from './duration.js';

/**
 * When the next micro-batch starts, as in Spark's `Trigger`:
 * - `default`: as soon as the previous batch committed and new data is there (polls every `pollMs` otherwise);
 * - `processingTime`: at interval boundaries; a batch that overruns its interval is followed at once by the next
 *   one, and missed boundaries are not caught up (Spark's ProcessingTimeExecutor);
 * - `availableNow`: everything available when the query starts, in bounded batches, then stop.
 */
export type Trigger = { kind: 'default' } | { kind: 'processingTime'; intervalMs: number } | { kind: 'availableNow' };

/** What one trigger execution reports back to the loop. */
export interface TriggerOutcome {
  /** A batch ran (there was new data). */
  ranBatch: boolean;
  /** availableNow: nothing is left up to the target offsets. */
  exhausted?: boolean;
}

export const DEFAULT_POLL_MS = 10;

export function describeTrigger(trigger: Trigger): string {
  switch (trigger.kind) {
    case 'default':
      return 'default (next batch as soon as the previous one committed and data is available)';
    case 'processingTime':
      return `processingTime ${formatDuration(trigger.intervalMs)}`;
    case 'availableNow':
      return 'availableNow (process what is available now, then stop)';
  }
}

/** Spark's `ProcessingTimeExecutor.nextBatchTime`: the first interval boundary after the batch started. */
export function nextBatchTime(startedAtMs: number, intervalMs: number): number {
  return Math.floor(startedAtMs / intervalMs) * intervalMs + intervalMs;
}

/**
 * Runs `runTrigger` again and again according to `trigger`, one at a time (a batch never starts before the
 * previous one finished), reading time only from `scheduler`. Completes when `stop$` emits (after the batch in
 * flight, never in the middle of one) or, for availableNow, when the source is exhausted.
 */
export function triggerLoop(
  trigger: Trigger,
  runTrigger: () => Observable<TriggerOutcome>,
  scheduler: SchedulerLike,
  stop$: Observable<unknown>,
  pollMs = DEFAULT_POLL_MS,
): Observable<TriggerOutcome> {
  let stopping = false;
  const step = () =>
    defer(() => {
      if (stopping) return EMPTY;
      const startedAt = scheduler.now();
      return runTrigger().pipe(
        takeLast(1),
        map((outcome) => ({ outcome, startedAt })),
      );
    });
  const stopWatch = stop$.subscribe(() => (stopping = true));

  return step().pipe(
    expand(({ outcome, startedAt }) => {
      if (stopping || (trigger.kind === 'availableNow' && outcome.exhausted)) return EMPTY;
      const delay = waitBeforeNext(trigger, outcome, startedAt, scheduler.now(), pollMs);
      const wait$ = delay > 0 ? timer(delay, scheduler).pipe(takeUntil(stop$)) : of(0);
      return wait$.pipe(concatMap(step));
    }),
    map(({ outcome }) => outcome),
    finalize(() => stopWatch.unsubscribe()),
  );
}

function waitBeforeNext(trigger: Trigger, outcome: TriggerOutcome, startedAt: number, now: number, pollMs: number): number {
  switch (trigger.kind) {
    case 'processingTime':
      return Math.max(0, nextBatchTime(startedAt, trigger.intervalMs) - now);
    case 'default':
      return outcome.ranBatch ? 0 : pollMs;
    case 'availableNow':
      return 0;
  }
}
