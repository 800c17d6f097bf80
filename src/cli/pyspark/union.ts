import type { OperatorDefinition } from '../../component/definition.js';
import type { ComponentConfig } from '../../config/load-job.js';
import type { UnionStepOptions } from '../../config/union-step.js';
import type { Translation } from './context.js';
import { comment } from './python.js';
import { translateSource } from './sources.js';

type Operator = ComponentConfig<OperatorDefinition>;

/**
 * A union step as PySpark: each branch becomes two functions of the program, `read_stream_<n>(spark)` (its source) and
 * `transform_<n>(df)` (its operators), and the step one `df = df.union(...)` per branch, in the order written, so the
 * job's source is Spark's source 0 and the branches follow (the order of offsets/N's lines in both checkpoints).
 * `translateOperator` is passed in: operators.ts calls this file.
 */
export function translateUnion(op: Operator, t: Translation, translateOperator: (op: Operator, t: Translation) => string[]): string[] {
  const { branches } = op.options as UnionStepOptions;
  const lines = [...comment("Spark's union matches columns by position (streamlab checked that names and types match too)", '    ')];
  for (const branch of branches) {
    const n = ++t.unionBranches;
    const body = branch.operators.flatMap((branchOp) => translateOperator(branchOp, t));
    body.push(...t.flushWindows());
    t.helpers.push(
      `def read_stream_${n}(spark):`,
      ...comment(`union branch ${n}: its own source (Spark's source ${n})`, '    '),
      ...translateSource(branch.source, t),
      '',
      '',
      `def transform_${n}(df):`,
      ...comment(`union branch ${n}: its own operators, before the union`, '    '),
      ...body,
      '    return df',
      '',
      '',
    );
    lines.push(`    df = df.union(transform_${n}(read_stream_${n}(df.sparkSession)))`);
  }
  return lines;
}
