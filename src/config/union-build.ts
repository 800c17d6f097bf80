import type { OperatorDefinition, SourceDefinition } from '../component/definition.js';
import type { ConfigProblem } from '../core/errors.js';
import type { BatchOperator } from '../core/operator.js';
import type { SourceIdentity } from '../core/checkpoint/checkpoint.js';
import { describeSchema, type Schema } from '../core/schema.js';
import type { Source } from '../core/source.js';
import { unionOperator, type UnionBranch } from '../core/execution/union-operator.js';
import type { ComponentConfig } from './load-job.js';
import type { UnionStepOptions } from './union-step.js';
import { dottedPath, type PathSegment } from './yaml-file.js';
import type { PlanStep } from './build-parts.js';

/** A union branch as the job builder built it: its source, operators, plan steps and the columns it ends with. */
export interface BuiltBranch {
  source?: Source;
  operators: BatchOperator[];
  /** Its plan steps (its source first), for explain. */
  plan: PlanStep[];
  /** Its output columns; undefined when a problem left them unknown. */
  schema?: Schema;
}

/** A source of a union branch, with what its offsets mean (recorded in the checkpoint). */
export interface BuiltUnionSource {
  source: Source;
  identity: SourceIdentity;
}

/** What building a union step yields; `operator` is missing when a branch could not be built or does not match. */
export interface BuiltUnion {
  operator?: BatchOperator;
  sources: BuiltUnionSource[];
  branches: BuiltBranch[];
}

/**
 * Builds a union step: each branch (with `buildBranch`, the job builder's own building of a source and its
 * operators), then checks that each branch gives the columns of the stream before the union, and makes the union
 * operator. Its branches' sources get the next source indexes, from `firstSourceIndex` on.
 *
 * Columns: Spark's union resolves by position and takes the first input's names (and, for event time, its watermark
 * metadata). streamlab also wants the same names and types at each position: a pair of columns of one type written in
 * another order would otherwise mix silently. A `select` in the branch renames, reorders or casts.
 */
export function buildUnion(
  config: ComponentConfig<OperatorDefinition> & { options: UnionStepOptions },
  input: Schema,
  firstSourceIndex: number,
  buildBranch: (source: ComponentConfig<SourceDefinition>, operators: ComponentConfig<OperatorDefinition>[]) => BuiltBranch,
  problems: ConfigProblem[],
): BuiltUnion {
  const built = config.options.branches.map((branch) => buildBranch(branch.source, branch.operators));
  const sources: BuiltUnionSource[] = [];
  const branches: UnionBranch[] = [];
  let complete = true;
  config.options.branches.forEach((branch, i) => {
    const { source, schema, operators } = built[i];
    if (!source || !schema) {
      complete = false;
      return;
    }
    const stateful = operators.find((o) => o.stateful);
    if (stateful) {
      problems.push(
        branch.source.yaml.problem(
          branch.path,
          `a stateful operator (${stateful.stateful!.operatorName}) inside a union branch is not supported by streamlab: ` +
            'put the aggregation or deduplication after the union step, where it sees every branch',
        ),
      );
      complete = false;
    }
    const mismatch = columnMismatch(input, schema);
    if (mismatch) {
      problems.push(branch.source.yaml.problem(branch.path, unionColumnsMessage(branch.path, input, schema, mismatch)));
      complete = false;
    }
    const definition = branch.source.definition;
    const identity = { type: definition.type, options: definition.offsetIdentity?.(branch.source.options as never) ?? {} };
    sources.push({ source, identity });
    branches.push({ sourceIndex: firstSourceIndex + i, operators });
  });
  return { operator: complete ? unionOperator(branches) : undefined, sources, branches: built };
}

/** The first position where `branch` differs from `main` (count, name or type), described; undefined when they match. */
function columnMismatch(main: Schema, branch: Schema): string | undefined {
  if (main.length !== branch.length) {
    return `it has ${branch.length} columns, the stream before the union ${main.length} (Spark: a union needs the same number of columns)`;
  }
  for (const [i, column] of main.entries()) {
    const other = branch[i];
    if (other.name !== column.name) return `column ${i + 1} is '${other.name}' in the branch, '${column.name}' before the union`;
    if (other.type !== column.type) {
      return `column ${i + 1} '${column.name}' is ${other.type} in the branch, ${column.type} before the union`;
    }
  }
  return undefined;
}

function unionColumnsMessage(path: readonly PathSegment[], main: Schema, branch: Schema, why: string): string {
  return (
    `union branch ${dottedPath(path)} does not give the columns of the stream before the union: ${why}. ` +
    `Before the union: ${describeSchema(main)}; branch: ${describeSchema(branch)}. A union matches columns by position; ` +
    'give the branch a select that renames, reorders or casts them to match'
  );
}
