import { compileExpression, ExpressionError, type CompiledExpression } from '../core/expr/index.js';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import type { BatchOperator } from '../core/operator.js';
import type { QueryDefinition } from '../core/query.js';
import type { Schema } from '../core/schema.js';
import { checkOutputMode, type PlanOperator } from '../core/state/output-mode-check.js';
import { sources } from '../registry.js';
import type { BuildContext, ColumnInfo, ColumnInfos, StateInspector } from '../component/definition.js';
import type { ComponentConfig, LoadedJob } from './load-job.js';
import { dottedPath, type PathSegment } from './yaml-file.js';

/** One step of the plan, for `explain` and progress: what it is and the columns it produces. */
export interface PlanStep {
  kind: 'source' | 'operator' | 'sink';
  type: string;
  description: string;
  schema: Schema;
  options: unknown;
  profile?: string;
  /** Extra lines for `explain` (watermark, windows, state). */
  notes?: string[];
}

export interface BuiltJob {
  job: LoadedJob;
  query: QueryDefinition;
  plan: PlanStep[];
}

/**
 * Builds the components of a checked job: compiles expressions, derives each operator's schema from the one before,
 * creates the source and sink objects. No I/O: connections are made by `open()` when the query starts.
 *
 * Event-time facts (which column carries the watermark, which is a window) are handed from operator to operator like
 * the schema, and the output-mode rules (Spark's UnsupportedOperationChecker) are checked once all operators are
 * built: an invalid combination is a ConfigError, so `validate` and `run` both refuse it.
 */
export function buildJob(job: LoadedJob): BuiltJob {
  const problems: ConfigProblem[] = [];
  const context = (config: ComponentConfig): BuildContext => buildContext(job, config, problems);

  const source = job.source.definition.create(job.source.options as never, context(job.source));
  const plan: PlanStep[] = [step('source', job.source, source.description, source.schema)];
  let schema = source.schema;
  let columns: ColumnInfos = new Map();
  const operators: BatchOperator[] = [];
  const planOperators: PlanOperator[] = [];
  for (const config of job.operators) {
    try {
      const built = config.definition.create(config.options as never, { ...context(config), input: schema, columns });
      operators.push(built.operator);
      schema = built.schema;
      columns = built.columns ?? keepPresent(columns, schema);
      plan.push({ ...step('operator', config, built.description, schema), ...(built.notes ? { notes: built.notes } : {}) });
      planOperators.push({ facts: built.facts, path: dottedPath(config.path) });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      break; // later operators would be checked against a schema we could not derive
    }
  }
  if (problems.length === 0) {
    for (const problem of checkOutputMode(planOperators, job.outputMode)) {
      const at = problem.path === undefined ? ['outputMode'] : job.operators[planOperators.findIndex((o) => o.path === problem.path)].path;
      problems.push(job.yaml.problem(at, problem.message));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const state: StateInspector = {
    stateful: operators.flatMap((o) => (o.stateful ? [o.stateful] : [])),
    watermarks: operators.flatMap((o) => (o.watermark ? [o.watermark] : [])),
  };
  const sink = job.sink.definition.create(job.sink.options as never, { ...context(job.sink), input: schema, state });
  plan.push(step('sink', job.sink, sink.description, schema));

  return {
    job,
    plan,
    query: {
      name: job.name,
      source,
      operators,
      sink,
      trigger: job.trigger,
      outputMode: job.outputMode,
      checkpointLocation: job.checkpointLocation,
      sourceIdentity: {
        type: job.source.definition.type,
        options: job.source.definition.offsetIdentity?.(job.source.options as never) ?? {},
      },
      maxRowsPerBatch: job.maxRowsPerBatch,
      onBadRecord: job.onBadRecord,
      deadLetterPath: job.deadLetterPath,
    },
  };
}

/** Event-time facts of the columns that are still there (a stateless operator keeps them with their columns). */
function keepPresent(columns: ColumnInfos, schema: Schema): ColumnInfos {
  const kept = new Map<string, ColumnInfo>();
  for (const column of schema) {
    const info = columns.get(column.name);
    if (info) kept.set(column.name, info);
  }
  return kept;
}

function step(kind: PlanStep['kind'], config: ComponentConfig, description: string, schema: Schema): PlanStep {
  return { kind, type: config.definition.type, description, schema, options: config.options, profile: config.profile };
}

function buildContext(job: LoadedJob, config: ComponentConfig, problems: ConfigProblem[]): BuildContext {
  return {
    location: { file: config.yaml.file, path: dottedPath(config.path) },
    queryName: job.name,
    sources,
    compile(source: string, schema: Schema, subPath?: string): CompiledExpression {
      try {
        return compileExpression(source, schema);
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        const path: PathSegment[] = subPath === undefined ? config.path : [...config.path, ...subPathSegments(subPath)];
        const where = config.yaml.locateInString(path, error.position);
        const problem: ConfigProblem = {
          file: config.yaml.file,
          path: dottedPath(path),
          ...where,
          // The caret line shows learners exactly where: `vlaue % 2 == 0` / `^^^^^`.
          message: `${error.message} at position ${error.position + 1}\n    ${error.pointer(source).replace('\n', '\n    ')}`,
        };
        throw new ConfigError([...problems, problem]);
      }
    },
  };
}

/** `expr` -> ['expr'], `0` -> [0] (select's list items). */
function subPathSegments(subPath: string): PathSegment[] {
  return subPath.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
