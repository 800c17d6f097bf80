import { concatMap, from, lastValueFrom, of } from 'rxjs';
import { withHooks, type BatchOperator, type MicroBatch } from '../../operator.js';
import type { ColumnBatch } from '../column-batch.js';
import { columnarBatch, columnsOf } from '../micro-batch.js';
import type { Vector } from '../vector.js';
import { mergeSlices, type SliceOutput } from './merge.js';
import type { SliceJob, SliceReply } from './messages.js';
import { StagePool, StageWorkerError } from './pool.js';
import { selectionIn, sliceRanges, sliceVector, type SliceRange } from './slices.js';

/** A worker's slice, cut and ready to post: its job, the buffers it hands over, its range. */
interface Cut {
  job: Omit<SliceJob, 'id'>;
  transfer: ArrayBuffer[];
  range: SliceRange;
}

/** What a stage did so far: batches split across threads, and batches it ran on one thread after all (see parallelStage). */
export interface StageCounts {
  sliced: number;
  fellBack: number;
}

/** A parallel stage's operator, with its counts (tests and benchmarks check the threads were really used). */
export type ParallelStageOperator = BatchOperator & { readonly counts: StageCounts };

/**
 * A stateless stage (consecutive operators that each map a row to at most one row from that row alone) run over
 * slices of a big columnar batch: the main thread runs the first slice through the stage's own operators while each
 * of `cores - 1` worker threads runs one through the same operators built again from their specs; the outputs are
 * put back together in position order (mergeSlices), so the batch's rows and their order are those of one thread.
 * A batch below `minRows` rows, given as rows, or holding values that cannot cross threads unchanged runs on the
 * main thread alone, as does one whose worker outputs cannot be merged (the same rows, computed again).
 */
export function parallelStage(operators: readonly BatchOperator[], cores: number, minRows: number): ParallelStageOperator {
  const counts: StageCounts = { sliced: 0, fellBack: 0 };
  const name = operators.map((o) => `${o.slice!.location.path}`).join(', ');
  const pool = new StagePool(
    cores - 1,
    operators.map((o) => o.slice!),
    name,
  );
  const local = (batch: MicroBatch) => lastValueFrom(operators.reduce((stream, operator) => operator(stream), of(batch)));

  const run = async (batch: MicroBatch): Promise<MicroBatch> => {
    const columns = columnsOf(batch);
    if (!columns || columns.length < minRows) return local(batch);
    const ranges = sliceRanges(columns, cores);
    if (ranges.length < 2) return local(batch);
    try {
      await pool.ready();
    } catch (error) {
      throw stageFailure(error, batch.batchId);
    }
    const cuts = ranges.slice(1).map((range) => cut(batch, columns, range));
    if (cuts.some((c) => c === undefined)) return fallBack(batch); // a column of objects: not sent to a worker
    const replies = (cuts as Cut[]).map((c, j) => pool.run(j, c.job, c.transfer));
    const mainPart = { range: ranges[0], selection: selectionIn(columns, ranges[0]) ?? positions(ranges[0]) };
    const [main, ...settled] = await Promise.allSettled([local(columnarBatch(batch, columns.select(mainPart.selection))), ...replies]);
    const outputs: SliceOutput[] = [];
    for (const [j, result] of settled.entries()) {
      const reply = unwrap(result as PromiseSettledResult<SliceReply>, batch.batchId);
      if (!reply.ok && 'fallback' in reply) return fallBack(batch);
      if (!reply.ok) throw new Error(reply.error.message); // an operator's own error, as on the main thread
      outputs.push({ range: (cuts[j] as Cut).range, names: reply.names, columns: reply.columns, selection: reply.selection });
    }
    if (main.status === 'rejected') throw main.reason;
    const mainColumns = columnsOf(main.value);
    const merged = mainColumns && mergeSlices(columns, mainPart, mainColumns, outputs);
    if (!merged) return fallBack(batch);
    counts.sliced++;
    return columnarBatch(batch, merged);
  };
  const fallBack = (batch: MicroBatch) => {
    counts.fellBack++;
    return local(batch);
  };

  const operator = (input: Parameters<BatchOperator>[0]) => input.pipe(concatMap((batch) => from(run(batch))));
  return Object.assign(withHooks(operator, { close: () => pool.stop() }), { counts });
}

/** The slice of the batch at `range` for a worker, or undefined when a column cannot cross (see sliceVector). */
function cut(batch: MicroBatch, columns: ColumnBatch, range: SliceRange): Cut | undefined {
  const transfer: ArrayBuffer[] = [];
  const vectors: Vector[] = [];
  for (const vector of columns.vectors) {
    const sliced = sliceVector(vector, range, transfer);
    if (!sliced) return undefined;
    vectors.push(sliced);
  }
  const rows = selectionIn(columns, range);
  let selection: Int32Array | undefined;
  if (rows) {
    selection = new Int32Array(rows.length);
    for (let k = 0; k < rows.length; k++) selection[k] = rows[k] - range.from;
    transfer.push(selection.buffer as ArrayBuffer);
  }
  const meta = metaOf(batch);
  return { job: { meta, names: columns.names, vectors, capacity: range.to - range.from, selection }, transfer, range };
}

/** The batch's fields other than its rows (numbers: they cross by structured clone). */
function metaOf(batch: MicroBatch): Omit<MicroBatch, 'rows'> {
  const meta: Record<string, unknown> = {};
  for (const key of Object.keys(batch)) if (key !== 'rows') meta[key] = batch[key as keyof MicroBatch];
  return meta as Omit<MicroBatch, 'rows'>;
}

/** Every position of a range, as a selection. */
function positions(range: SliceRange): Int32Array {
  const selection = new Int32Array(range.to - range.from);
  for (let k = 0; k < selection.length; k++) selection[k] = range.from + k;
  return selection;
}

function unwrap(result: PromiseSettledResult<SliceReply>, batchId: number): SliceReply {
  if (result.status === 'fulfilled') return result.value;
  throw stageFailure(result.reason, batchId);
}

/** A dead or unstartable worker's error, naming the batch and what becomes of it. */
function stageFailure(error: unknown, batchId: number): unknown {
  if (!(error instanceof StageWorkerError)) return error;
  return new StageWorkerError(`batch ${batchId}: ${error.message} (the batch is not committed: it runs again when the query restarts)`);
}
