import type { BatchOperator } from '../../operator.js';
import { parallelStage } from './stage.js';

/**
 * Rows a columnar batch needs before a stage splits it across threads: a first guess, not a measured crossover. On
 * the 2-core machines measured so far (bench/engine.ts `cores` mode, docs/parallel.md) the split was slower than one
 * thread at every size, which is why `cores` defaults to 1.
 */
export const PARALLEL_MIN_ROWS = 100_000;

/**
 * The operators with every run of consecutive sliceable operators (BatchOperator.slice) made one parallel stage, when
 * the query has more than one core; otherwise the operators unchanged. Spark's local[N] for stateless work.
 */
export function planParallelStages(operators: readonly BatchOperator[], cores: number, minRows = PARALLEL_MIN_ROWS): BatchOperator[] {
  if (cores <= 1) return [...operators];
  const planned: BatchOperator[] = [];
  let stage: BatchOperator[] = [];
  const endStage = () => {
    if (stage.length > 0) planned.push(parallelStage(stage, cores, minRows));
    stage = [];
  };
  for (const operator of operators) {
    if (operator.slice) stage.push(operator);
    else {
      endStage();
      planned.push(operator);
    }
  }
  endStage();
  return planned;
}

/** The stages planParallelStages makes, as runs of operator indexes (for `explain`). */
export function parallelStageRuns(operators: readonly BatchOperator[]): number[][] {
  const runs: number[][] = [];
  for (const [i, operator] of operators.entries()) {
    if (!operator.slice) continue;
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === i - 1) last.push(i);
    else runs.push([i]);
  }
  return runs;
}
