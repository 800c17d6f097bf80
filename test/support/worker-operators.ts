/**
 * Sliceable operators that misbehave only on a worker thread, for the parallel stage's failure tests: one ends its
 * thread (as a crash or running out of memory would), one throws. On the main thread both pass batches through.
 */
import { isMainThread } from 'node:worker_threads';
import { z } from 'zod';
import { defineOperator } from '../../src/component/definition.js';
import { mapBatch } from '../../src/core/columnar/micro-batch.js';

export const exitInWorkerOperator = defineOperator({
  type: 'exitInWorker',
  sliceable: import.meta.url,
  summary: 'Test only: ends its worker thread.',
  options: z.strictObject({}),
  examples: [{}],
  create: (_options, context) => ({
    operator: mapBatch(
      (rows) => rows,
      (columns) => {
        if (!isMainThread) process.exit(7);
        return columns;
      },
    ),
    schema: context.input,
    description: 'ExitInWorker',
  }),
});

export const throwInWorkerOperator = defineOperator({
  type: 'throwInWorker',
  sliceable: import.meta.url,
  summary: 'Test only: throws on a worker thread.',
  options: z.strictObject({}),
  examples: [{}],
  create: (_options, context) => ({
    operator: mapBatch(
      (rows) => rows,
      (columns) => {
        if (!isMainThread) throw new Error(`no rows today (a worker thread's slice of ${columns.capacity} positions)`);
        return columns;
      },
    ),
    schema: context.input,
    description: 'ThrowInWorker',
  }),
});
