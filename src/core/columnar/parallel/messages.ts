/** What the main thread and a stage's worker threads say to each other (structured clone; arrays shared or transferred). */
import type { MicroBatch } from '../../operator.js';
import type { Vector } from '../vector.js';
import type { SliceSpec } from './slice-spec.js';

/** workerData of a stage worker: the stage's operators, to build once. */
export interface StageWorkerData {
  specs: SliceSpec[];
}

/** A slice to run: the batch's columns over positions [from, to), renumbered from 0, and the batch's other fields. */
export interface SliceJob {
  id: number;
  meta: Omit<MicroBatch, 'rows'>;
  names: readonly string[];
  vectors: Vector[];
  capacity: number;
  /** The batch's rows in the slice, renumbered; absent: every position of the slice. */
  selection?: Int32Array;
}

/** An output column: one of the slice's input vectors unchanged (shared, not sent back), or a vector the stage computed. */
export type SliceColumn = { input: number } | { vector: Vector };

export type SliceReply =
  | { id: number; ok: true; names: string[]; columns: SliceColumn[]; selection: Int32Array | 'input' }
  /** The output holds something that would not cross unchanged: the main thread runs the batch itself. */
  | { id: number; ok: false; fallback: string }
  /** An operator threw: the batch fails with this error, as it would on the main thread. */
  | { id: number; ok: false; error: { message: string; stack?: string } };

/** The first message of a worker: its operators are built (or could not be). */
export type WorkerHello = { ready: true } | { ready: false; error: string };
