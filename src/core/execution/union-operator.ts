import { concatMap, lastValueFrom, of } from 'rxjs';
import type { BatchOperator, MicroBatch } from '../operator.js';
import type { Row } from '../row.js';

/** One input of a union after the first: the rows of source `sourceIndex`, through the branch's own operators. */
export interface UnionBranch {
  /** The source's position in the query (0 is the job's `source`; branches count on from 1, in file order). */
  sourceIndex: number;
  operators: readonly BatchOperator[];
}

/** What the engine hands a union before each batch runs: the rows every source read for it, by source index. */
export interface UnionHook {
  readonly branches: readonly UnionBranch[];
  supply(rowsBySource: readonly Row[][]): void;
}

/** A union step: an operator over the main pipeline's batches, with the hook the engine feeds the other inputs through. */
export type UnionOperator = BatchOperator & { readonly union: UnionHook };

/**
 * Spark's `df.union(other, ...)` for streams: the batch's rows of the main pipeline, then those of each branch, each
 * branch's rows having gone through its own operators (its withWatermark, filters, selects) with the same batch id and
 * watermarks. The engine reads every source for the batch first (one offset per source in offsets/N) and supplies the
 * branches' rows before the pipeline runs; a branch without new rows in this batch contributes none.
 */
export function unionOperator(branches: readonly UnionBranch[]): UnionOperator {
  let supplied: readonly Row[][] = [];
  const runBranch = async (batch: MicroBatch, branch: UnionBranch): Promise<Row[]> => {
    const input: MicroBatch = { ...batch, rows: supplied[branch.sourceIndex] ?? [] };
    const pipeline = branch.operators.reduce((stream, operator) => operator(stream), of(input));
    return (await lastValueFrom(pipeline, { defaultValue: { ...input, rows: [] } })).rows;
  };
  const operator: BatchOperator = (batches) =>
    batches.pipe(
      concatMap(async (batch) => {
        let rows = batch.rows;
        for (const branch of branches) rows = rows.concat(await runBranch(batch, branch));
        return { ...batch, rows };
      }),
    );
  const hook: UnionHook = {
    branches,
    supply: (rowsBySource) => {
      supplied = rowsBySource;
    },
  };
  return Object.assign(operator, { union: hook });
}

/** The union hook of an operator, if it is a union step. */
export function unionHookOf(operator: BatchOperator): UnionHook | undefined {
  return (operator as Partial<UnionOperator>).union;
}

/**
 * Every operator of the query in plan order, a union's branch operators right after the union: where the engine finds
 * the withWatermark operators (one watermark per branch) and the stateful ones.
 */
export function allOperators(operators: readonly BatchOperator[]): BatchOperator[] {
  return operators.flatMap((operator) => {
    const hook = unionHookOf(operator);
    return hook ? [operator, ...hook.branches.flatMap((b) => allOperators(b.operators))] : [operator];
  });
}
