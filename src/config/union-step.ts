import { z } from 'zod';
import { defineOperator, type OperatorDefinition, type SourceDefinition } from '../component/definition.js';
import type { ConfigProblem } from '../core/errors.js';
import type { ComponentConfig } from './load-job.js';
import { componentReference } from './job-schema.js';
import type { PathSegment, YamlFile } from './yaml-file.js';

/** One input of a union step after the stream before it: its own source and the operators its rows go through first. */
export interface UnionBranchConfig {
  source: ComponentConfig<SourceDefinition>;
  operators: ComponentConfig<OperatorDefinition>[];
  /** `['operators', 2, 'union', 0]`: where the branch is written. */
  path: PathSegment[];
}

/** A union step once checked: the job's operator item, with its branches. */
export interface UnionStepOptions {
  branches: UnionBranchConfig[];
}

const branchSchema = z.strictObject({
  source: componentReference.describe("The branch's own source (any source type, with its own options or profile)."),
  operators: z
    .array(z.record(z.string(), z.unknown()))
    .default([])
    .describe("Operators applied to this branch's rows before the union, e.g. its own withWatermark, filter or select."),
});

/**
 * `- union: [ { source, operators }, ... ]`: Spark's `df.union(other1).union(other2)` for streams. Not a component of
 * the registry: its branches hold a source and operators, which the job loader checks and builds as it checks and
 * builds the job's own (profiles, expressions, columns), so it lives here, beside the loader. This definition gives it
 * a schema (for the JSON Schema and the docs) and a name in operator lists; its `create` is never called.
 */
export const unionStep: OperatorDefinition = defineOperator({
  type: 'union',
  summary:
    "Spark's union of streams: the rows of the stream so far, then those of each branch (its own source and operators), columns matched by position; several withWatermark combine by multipleWatermarkPolicy",
  options: z
    .array(branchSchema)
    .min(1)
    .describe(
      'The other streams, each a source with its own operators; their columns must match the stream before the union by position, name and type.',
    ),
  examples: [[{ source: { type: 'file', path: 'data/b', schema: { ts: 'timestamp', word: 'string' } }, operators: [] }]],
  create() {
    throw new Error('the union step is built by the job builder (config/union-build.ts), not by a factory');
  },
});

export function isUnionStep(config: ComponentConfig<OperatorDefinition>): config is ComponentConfig<OperatorDefinition> & {
  options: UnionStepOptions;
} {
  return config.definition === unionStep;
}

/** What checking a branch needs of the loader: its own checks of a source and of an operator item. */
export interface BranchChecks {
  source(reference: z.output<typeof componentReference>, path: PathSegment[]): ComponentConfig<SourceDefinition> | undefined;
  operator(item: Record<string, unknown>, path: PathSegment[]): ComponentConfig<OperatorDefinition> | undefined;
  located(path: PathSegment[], message: string): ConfigProblem;
  problems: ConfigProblem[];
}

/**
 * Checks `- union: [...]` at `path` (`['operators', 2]`): each branch's shape, its source and its operators, with every
 * problem collected. A union inside a branch is refused (write the branches side by side in one union instead).
 */
export function checkUnionStep(
  value: unknown,
  path: PathSegment[],
  yaml: YamlFile,
  checks: BranchChecks,
): ComponentConfig<OperatorDefinition> | undefined {
  const at = [...path, 'union'];
  if (!Array.isArray(value) || value.length === 0) {
    checks.problems.push(checks.located(at, 'union takes a list of branches, each `{ source: {...}, operators: [...] }`'));
    return undefined;
  }
  const branches = value.map((item, i) => checkBranch(item, [...at, i], checks));
  if (branches.some((b) => b === undefined)) return undefined;
  const options: UnionStepOptions = { branches: branches as UnionBranchConfig[] };
  return { definition: unionStep, options, yaml, path: at };
}

function checkBranch(item: unknown, path: PathSegment[], checks: BranchChecks): UnionBranchConfig | undefined {
  const parsed = branchSchema.safeParse(item);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = [...path, ...(issue.path as PathSegment[])];
      checks.problems.push(checks.located(where, `union branch: ${issue.message} (a branch is { source: {...}, operators: [...] })`));
    }
    return undefined;
  }
  const source = checks.source(parsed.data.source, [...path, 'source']);
  const operators = parsed.data.operators.map((op, j) => {
    const opPath = [...path, 'operators', j];
    if ('union' in op) {
      checks.problems.push(
        checks.located(opPath, 'a union inside a union branch: list all the streams as branches of one union step instead'),
      );
      return undefined;
    }
    return checks.operator(op, opPath);
  });
  if (!source || operators.some((o) => o === undefined)) return undefined;
  return { source, operators: operators as ComponentConfig<OperatorDefinition>[], path };
}
