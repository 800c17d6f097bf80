import type { ColumnBatch } from '../../core/columnar/column-batch.js';
import { valueAt, type Vector } from '../../core/columnar/vector.js';
import type { Row, Value } from '../../core/row.js';
import { deadlineOf, type EvictionKey } from './deadline.js';
import type { AggregateFunction, AggregationBuffer, ArgumentPlan } from './functions.js';

/** What folding rows into buffers needs: the functions, their buffer offsets, their arguments. */
export interface FoldPlan {
  functions: readonly AggregateFunction[];
  offsets: readonly number[];
  args: ArgumentPlan;
}

/**
 * One batch as a streaming aggregation reads it, the same way from rows and from a columnar batch: which positions
 * hold its rows, each key's values by position (`probes`, to find a row's group fast within the batch; `values`, for
 * the state and the output), each row's deadline, and how to fold the rows into their groups. The aggregation's
 * loops are then written once, over arrays rather than a closure call per row and key (see assign-groups.ts).
 */
export interface GroupReader {
  readonly size: number;
  /** The rows' positions, ascending; absent: 0 to size - 1. */
  readonly selection?: Int32Array;
  /**
   * Per key, its value at each position for the batch's lookup Maps: the value itself, or a primitive standing for it
   * (a window's start, a timestamp's ms), so a columnar batch finds its groups without a Date or a struct per row.
   */
  readonly probes: ReadonlyArray<ArrayLike<unknown>>;
  /** Key k's row value at a position: what the group's state entry keeps and the output shows. */
  readonly values: ReadonlyArray<(at: number) => Value>;
  /**
   * The deadline of each position's group (window end or event time, ms) is `deadlines[at] + deadlineOffset`; NaN for
   * none (a null time). Absent without a watermarked key.
   */
  readonly deadlines?: ArrayLike<number>;
  readonly deadlineOffset: number;
  /** Folds every row with a group (groupOf[r] >= 0) into its entry's buffer (the second pass, after assignGroups). */
  fold(groupOf: Int32Array, buffers: readonly AggregationBuffer[]): void;
  /** The row at a position, for the UI's trace (rows only). */
  row?(at: number): Row;
}

export function rowReader(rows: Row[], keys: readonly string[], eviction: EvictionKey | undefined, plan: FoldPlan): GroupReader {
  return {
    size: rows.length,
    probes: keys.map((key) => rows.map((row) => row[key])),
    values: keys.map((key) => (at: number) => rows[at][key]),
    deadlines: eviction ? rowDeadlines(rows, eviction) : undefined,
    deadlineOffset: 0,
    fold: (groupOf, buffers) => {
      const { args, functions, offsets } = plan;
      for (let r = 0; r < groupOf.length; r++) {
        if (groupOf[r] < 0) continue;
        args.evaluate(rows[r]);
        args.update(functions, offsets, buffers[groupOf[r]]);
      }
    },
    row: (at) => rows[at],
  };
}

function rowDeadlines(rows: Row[], { column, kind }: EvictionKey): Float64Array {
  const deadlines = new Float64Array(rows.length);
  let lastTime: Value = null;
  let lastDeadline = Number.NaN;
  for (let r = 0; r < rows.length; r++) {
    const time = rows[r][column];
    if (time !== lastTime) {
      lastTime = time; // rows of one window share its struct: compute its end once
      lastDeadline = deadlineOf(time, kind) ?? Number.NaN;
    }
    deadlines[r] = lastDeadline;
  }
  return deadlines;
}

/** A reader over a columnar batch's vectors; fold evaluates the aggregate arguments as vectors, once each. */
export function columnReader(batch: ColumnBatch, keys: readonly string[], eviction: EvictionKey | undefined, plan: FoldPlan): GroupReader {
  const vectors = keys.map((key) => batch.vector(key)!);
  const time = eviction ? batch.vector(eviction.column)! : undefined;
  const windowEnds = time?.kind === 'window' && eviction?.kind === 'window';
  return {
    size: batch.length,
    selection: batch.selection,
    probes: vectors.map((vector) => probes(vector, batch)),
    values: vectors.map((vector) => (at: number) => valueAt(vector, at)),
    deadlines: time && eviction ? deadlines(time, eviction.kind, batch) : undefined,
    deadlineOffset: windowEnds ? time.sizeMs : 0,
    fold: (groupOf, buffers) => plan.args.foldColumns(batch, plan.functions, plan.offsets, groupOf, buffers),
  };
}

/** The vector's own values when they can stand for its row values, else the row values at the batch's positions. */
function probes(vector: Vector, batch: ColumnBatch): ArrayLike<unknown> {
  if ((vector.kind === 'number' || vector.kind === 'timestamp') && !vector.valid) return vector.values;
  if (vector.kind === 'window' && !vector.valid) return vector.starts;
  return atPositions(batch, (at) => valueAt(vector, at));
}

/** Window starts (the caller adds the size) or event times, NaN where null. */
function deadlines(vector: Vector, kind: EvictionKey['kind'], batch: ColumnBatch): ArrayLike<number> {
  if (vector.kind === 'window' && kind === 'window' && !vector.valid) return vector.starts;
  if (vector.kind === 'timestamp' && kind === 'timestamp' && !vector.valid) return vector.values;
  return Float64Array.from(atPositions(batch, (at) => deadlineOf(valueAt(vector, at), kind) ?? Number.NaN));
}

/** f at each of the batch's positions, in an array indexed by position (capacity long). */
function atPositions<T>(batch: ColumnBatch, f: (at: number) => T): T[] {
  const out: T[] = new Array(batch.capacity);
  for (let k = 0; k < batch.length; k++) {
    const at = batch.position(k);
    out[at] = f(at);
  }
  return out;
}
