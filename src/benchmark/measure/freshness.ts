/**
 * Freshness: how long after a batch's write started a reader sees all its rows. After a chosen batch's write returned,
 * `destination.count()` is polled until it reaches the rows written so far (warm-up included); the sample is the time
 * from the start of that batch's write to the poll that saw them. The writer is not held up: polls run beside the
 * next batches, at most one at a time (a chosen batch that ends while a poll runs hands its turn to the next batch).
 * The answer is timed when this process sees it: a writer that keeps this process busy (the in-process memory sink,
 * row generation) delays it too, by up to a few batches' worth of CPU work.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Destination } from '../target.js';

const POLL_MS = 5;
/** A count that never gets there (a lossy sink) gives no sample rather than a hung bench. */
const GIVE_UP_MS = 30_000;

/** `samples` measured batches (ids 1..measured) spread evenly over the run. */
export function freshnessBatches(measuredBatches: number, samples: number): Set<number> {
  const chosen = new Set<number>();
  const n = Math.min(samples, measuredBatches);
  for (let i = 0; i < n; i++) chosen.add(1 + Math.floor(((i + 0.5) * measuredBatches) / n));
  return chosen;
}

export class FreshnessProbe {
  readonly samplesMs: number[] = [];
  private polling: Promise<void> | undefined;
  private owed = 0;
  private stopped = false;
  /** The first failed count(), for the run's notes: a sample lost, not a run failed. */
  failure: string | undefined;

  constructor(
    private readonly destination: Destination,
    private readonly chosen: Set<number>,
  ) {}

  /** Called once batch `batchId`'s write returned; `startedAt` is performance.now() when it began. */
  batchWritten(batchId: number, rowsThrough: number, startedAt: number): void {
    if (this.chosen.has(batchId)) this.owed++;
    if (this.owed === 0 || this.polling || this.stopped) return;
    this.owed--;
    this.polling = this.poll(rowsThrough, startedAt)
      .catch((error: unknown) => {
        this.failure ??= error instanceof Error ? error.message : String(error);
      })
      .finally(() => {
        this.polling = undefined;
      });
  }

  private async poll(rowsThrough: number, startedAt: number): Promise<void> {
    const deadline = performance.now() + GIVE_UP_MS;
    while (!this.stopped && performance.now() < deadline) {
      if ((await this.destination.count()) >= rowsThrough) {
        this.samplesMs.push(performance.now() - startedAt);
        return;
      }
      await sleep(POLL_MS);
    }
  }

  /** Waits for the poll in flight (its rows are written by now), then takes no more. */
  async finish(): Promise<number[]> {
    await this.polling;
    this.stopped = true;
    return this.samplesMs;
  }

  /** Aborted or failed runs: stop polling at once; the samples taken so far. */
  async abandon(): Promise<number[]> {
    this.stopped = true;
    await this.polling;
    return this.samplesMs;
  }
}
