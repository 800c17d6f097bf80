import type {
  BuildContext,
  ColumnInfo,
  ColumnInfos,
  OperatorDefinition,
  SinkDefinition,
  SourceDefinition,
  StateInspector,
} from '../component/definition.js';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import type { BatchOperator } from '../core/operator.js';
import type { Schema } from '../core/schema.js';
import type { OutputMode, Sink } from '../core/sink.js';
import type { Source } from '../core/source.js';
import { checkOutputMode, type PlanOperator } from '../core/state/output-mode-check.js';
import { sources } from '../registry.js';
import { ExpressionCheck } from './expression-check.js';
import { FilterPushdown, type FilterSplit } from './filter-pushdown.js';
import type { ComponentConfig } from './load-job.js';
import { dottedPath, type YamlFile } from './yaml-file.js';
import { allOperators } from '../core/execution/union-operator.js';
import { buildUnion, type BuiltBranch, type BuiltUnionSource } from './union-build.js';
import { isUnionStep, type UnionStepOptions } from './union-step.js';

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
  /** A union step's other inputs: each branch's own steps, its source first. */
  branches?: PlanStep[][];
}

/** What of a job could be read: a part is missing where its own problems were found (a LoadedJob has them all). */
export interface JobParts {
  yaml: YamlFile;
  name: string;
  /** Missing when not readable: the output-mode rules are then not checked. */
  outputMode?: OutputMode;
  source?: ComponentConfig<SourceDefinition>;
  /** Missing when the list could not be read; an item is missing where that operator could not be. */
  operators?: (ComponentConfig<OperatorDefinition> | undefined)[];
  sink?: ComponentConfig<SinkDefinition>;
}

export interface BuiltParts {
  problems: ConfigProblem[];
  /** What could not be checked because of the problems (for ConfigError's notes). */
  notes: string[];
  source?: Source;
  operators: BatchOperator[];
  sink?: Sink;
  plan: PlanStep[];
  /** The sources of the union steps' branches, in file order: sources 1, 2, ... of the query. */
  unionSources: BuiltUnionSource[];
}

/**
 * Builds what could be read of a job in one pass, collecting every problem: each component's own checks and each of
 * its expressions (ExpressionCheck). Each operator is built against the columns of the one before; when those are not
 * known (a part before it could not be built, or a bad expression changed what it outputs), later operators only get
 * their expressions parsed, and one note says which were not checked against their columns rather than guessing.
 */
export function buildParts(parts: JobParts): BuiltParts {
  return new PartsBuilder(parts).build();
}

class PartsBuilder {
  private readonly problems: ConfigProblem[] = [];
  private readonly plan: PlanStep[] = [];
  private readonly operators: BatchOperator[] = [];
  private readonly planOperators: PlanOperator[] = [];
  /** Parts checked without their input columns, and the first part that left those columns unknown. */
  private readonly unchecked: string[] = [];
  private readonly notes: string[] = [];
  private unknownFrom: string | undefined;
  /** The columns the next part receives; undefined when not known. */
  private input: Schema | undefined;
  private columns: ColumnInfos = new Map();
  private readonly pushdown = new FilterPushdown();
  /** Why the source takes no stateful operator, when it takes none (Source.statelessOnly). */
  private statelessOnly: string | undefined;
  private readonly unionSources: BuiltUnionSource[] = [];

  constructor(private readonly parts: JobParts) {}

  build(): BuiltParts {
    const source = this.buildSource();
    if (this.parts.operators === undefined) this.lose('operators');
    for (const [index, config] of (this.parts.operators ?? []).entries()) {
      const where = `operators[${index}]`;
      if (config && this.input === undefined) this.parseOnly(config, where);
      else if (config && isUnionStep(config)) this.buildUnionStep(config, where);
      else if (config) this.buildOperator(config, where);
      else this.lose(where);
    }
    this.checkOutputModes();
    const sink = this.buildSink();
    if (this.unchecked.length > 0) this.notes.push(uncheckedNote(this.unchecked, this.unknownFrom!));
    const { problems, notes, operators, plan, unionSources } = this;
    return { problems, notes, source, operators, sink, plan, unionSources };
  }

  /** Spark's `df.union(other, ...)`: see union-build.ts. After it, the columns keep the facts of the stream before it. */
  private buildUnionStep(config: ComponentConfig<OperatorDefinition> & { options: UnionStepOptions }, where: string): void {
    const input = this.input!;
    const build = (source: ComponentConfig<SourceDefinition>, operators: ComponentConfig<OperatorDefinition>[]) =>
      this.buildBranch(source, operators);
    const union = buildUnion(config, input, 1 + this.unionSources.length, build, this.problems);
    this.unionSources.push(...union.sources);
    this.planOperators.push({ path: dottedPath(config.path) });
    const count = union.branches.length + 1;
    this.plan.push({
      ...step('operator', config, `Union[${count} streams, columns by position]`, input),
      options: undefined,
      notes: ["the stream above, then each branch below; the query's watermark comes from every branch's withWatermark"],
      branches: union.branches.map((b) => b.plan),
    });
    this.pushdown.track('union', undefined, this.operators.length, input);
    if (!union.operator) {
      this.lose(where);
      return;
    }
    this.operators.push(union.operator);
  }

  /** A union branch: its source and operators, built as a job's own, its problems and notes reported with the job's. */
  private buildBranch(source: ComponentConfig<SourceDefinition>, operators: ComponentConfig<OperatorDefinition>[]): BuiltBranch {
    const nested = new PartsBuilder({ yaml: this.parts.yaml, name: this.parts.name, source, operators });
    const built = nested.build();
    this.problems.push(...built.problems);
    this.notes.push(...built.notes);
    return { source: built.source, operators: built.operators, plan: built.plan, schema: nested.input };
  }

  private buildSource(): Source | undefined {
    const config = this.parts.source;
    if (!config) return this.lose('source');
    const source = this.attempt(() => config.definition.create(config.options as never, this.context(config, true)));
    if (!source) return this.lose('source');
    this.input = source.schema;
    this.statelessOnly = source.statelessOnly;
    this.plan.push(step('source', config, source.description, source.schema));
    return source;
  }

  private buildOperator(config: ComponentConfig<OperatorDefinition>, where: string): void {
    const input = this.input!;
    const check = new ExpressionCheck(config, this.problems, true);
    const built = this.attempt(
      () => config.definition.create(config.options as never, { ...this.context(config, check), input, columns: this.columns }),
      (problem) => !check.nearFailed(problem),
    );
    if (!built) {
      this.lose(where);
      return;
    }
    if (built.operator.stateful && this.statelessOnly) {
      this.problems.push(
        this.parts.yaml.problem(config.path, `${config.definition.type} keeps state between batches: ${this.statelessOnly}`),
      );
    }
    const split =
      check.failedPaths.length === 0 && config.definition.type === 'filter' ? this.pushdown.split(config.options as string) : undefined;
    if (split) {
      this.pushBelowWatermark(config, split, input);
      this.planOperators.push({ facts: built.facts, path: dottedPath(config.path) }); // one per written operator: output-mode checks
      return;
    }
    this.pushdown.track(config.definition.type, config.options, this.operators.length, input);
    this.operators.push(built.operator);
    this.plan.push({ ...step('operator', config, built.description, built.schema), ...(built.notes ? { notes: built.notes } : {}) });
    this.planOperators.push({ facts: built.facts, path: dottedPath(config.path) });
    // A bad expression stood in as `any`: the output is known only when it does not depend on it (filter).
    if (check.failedPaths.length > 0 && !sameColumns(input, built.schema)) {
      this.lose(where);
      return;
    }
    this.input = built.schema;
    this.columns = built.columns ?? keepPresent(this.columns, built.schema);
  }

  /**
   * Spark's filter pushdown below withWatermark (see FilterPushdown): builds the moved conjuncts as a filter right
   * before the withWatermark, and the rest (if any) where the filter was written.
   */
  private pushBelowWatermark(config: ComponentConfig<OperatorDefinition>, split: FilterSplit, input: Schema): void {
    const path = dottedPath(config.path);
    const build = (condition: string, schema: Schema) =>
      config.definition.create(condition as never, { ...this.context(config, true), input: schema, columns: this.columns });
    const pushed = build(split.pushed, split.input);
    const note =
      `moved here from ${path} (Spark's PushPredicateThroughNonJoin): it does not read the event-time column ` +
      `${split.eventTime}, so the rows it removes never move the watermark`;
    this.operators.splice(split.at, 0, pushed.operator);
    this.plan.splice(split.at + 1, 0, {
      ...step('operator', config, pushed.description, pushed.schema),
      options: split.pushed,
      notes: [note],
    });
    this.pushdown.inserted();
    if (split.stayed === undefined) return;
    const stayed = build(split.stayed, input);
    this.operators.push(stayed.operator);
    this.plan.push({
      ...step('operator', config, stayed.description, stayed.schema),
      options: split.stayed,
      notes: [`${split.pushed} moved below withWatermark (it does not read ${split.eventTime}); this part reads it, so it stays`],
    });
  }

  /** Input columns unknown: parse its expressions; what else it finds is measured against no columns, so dropped. */
  private parseOnly(config: ComponentConfig<OperatorDefinition>, where: string): void {
    const check = new ExpressionCheck(config, this.problems, false);
    try {
      config.definition.create(config.options as never, { ...this.context(config, check), input: [], columns: new Map() });
    } catch {
      // Checks against an empty input fail for reasons that are not this operator's; its parse errors are recorded.
    }
    this.unchecked.push(where);
  }

  private checkOutputModes(): void {
    const operators = this.parts.operators;
    if (this.parts.outputMode === undefined || !operators || this.planOperators.length !== operators.length) return;
    for (const problem of checkOutputMode(this.planOperators, this.parts.outputMode)) {
      const at =
        problem.path === undefined ? ['outputMode'] : operators[this.planOperators.findIndex((o) => o.path === problem.path)]!.path;
      this.problems.push(this.parts.yaml.problem(at, problem.message));
    }
  }

  private buildSink(): Sink | undefined {
    const config = this.parts.sink;
    if (!config) return undefined;
    const input = this.input;
    if (input === undefined) {
      this.unchecked.push('sink');
      return undefined;
    }
    const operators = allOperators(this.operators);
    const state: StateInspector = {
      stateful: operators.flatMap((o) => (o.stateful ? [o.stateful] : [])),
      watermarks: operators.flatMap((o) => (o.watermark ? [o.watermark] : [])),
    };
    const aggregation = this.planOperators.map((o) => o.facts).find((f) => f?.kind === 'aggregation');
    const groupingKeys = aggregation?.kind === 'aggregation' ? aggregation.keys : undefined;
    const outputMode = this.parts.outputMode;
    const sink = this.attempt(() =>
      config.definition.create(config.options as never, { ...this.context(config, true), input, state, outputMode, groupingKeys }),
    );
    if (sink) this.plan.push(step('sink', config, sink.description, input));
    return sink;
  }

  /** Runs a factory; a ConfigError it throws becomes problems (those `keep` accepts) and the result undefined. */
  private attempt<T>(create: () => T, keep: (problem: ConfigProblem) => boolean = () => true): T | undefined {
    try {
      return create();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.problems.push(...error.problems.filter(keep));
      return undefined;
    }
  }

  /** The columns after this point are not known; `where` is named in the note when it is the first such part. */
  private lose(where: string): undefined {
    this.input = undefined;
    this.unknownFrom ??= where;
    return undefined;
  }

  private context(config: ComponentConfig, check: ExpressionCheck | true): BuildContext {
    const expressions = check === true ? new ExpressionCheck(config, this.problems, true) : check;
    return {
      location: { file: config.yaml.file, path: dottedPath(config.path) },
      queryName: this.parts.name,
      sources,
      compile: (source, schema, subPath) => expressions.compile(source, schema, subPath),
    };
  }
}

/** `operators[2], operators[3] and sink not checked against their input columns (...): they depend on operators[1], ...`. */
function uncheckedNote(unchecked: string[], cause: string): string {
  const many = unchecked.length > 1;
  const list = many ? `${unchecked.slice(0, -1).join(', ')} and ${unchecked.at(-1)}` : unchecked[0];
  return (
    `${list} not checked against ${many ? 'their' : 'its'} input columns (only expression syntax): ` +
    `${many ? 'they depend' : 'it depends'} on ${cause}, which has problems`
  );
}

function sameColumns(a: Schema, b: Schema): boolean {
  return a.length === b.length && a.every((column, i) => column.name === b[i].name && column.type === b[i].type);
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
