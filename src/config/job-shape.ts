import type { z } from 'zod';
import type { ConfigProblem } from '../core/errors.js';
import type { OutputMode } from '../core/sink.js';
import { issueProblems } from './issue-problems.js';
import { componentReference, jobSchema } from './job-schema.js';
import type { PathSegment } from './yaml-file.js';

export type ComponentReference = z.output<typeof componentReference>;

/**
 * The top level of a job file as far as it could be read. A wrong top-level key or trigger does not stop the
 * components from being checked: each part that has the right shape on its own is handed on.
 */
export interface JobShape {
  /** The whole top level, with its defaults, when it is right. */
  job?: z.output<typeof jobSchema>;
  /** The job's name, or `job` when it has none (the query name components are built with). */
  name: string;
  /** Undefined when not readable: the output-mode rules are then not checked. */
  outputMode?: OutputMode;
  source?: ComponentReference;
  /** Each operator item that is a mapping (undefined where one is not); the list is undefined when it is not a list. */
  operators?: (Record<string, unknown> | undefined)[];
  sink?: ComponentReference;
  problems: ConfigProblem[];
}

export function readJobShape(value: unknown, located: (path: PathSegment[], message: string) => ConfigProblem): JobShape {
  const parsed = jobSchema.safeParse(value);
  if (parsed.success) {
    const job = parsed.data;
    return { job, name: job.name, outputMode: job.outputMode, source: job.source, operators: job.operators, sink: job.sink, problems: [] };
  }
  const topKeys = Object.keys(jobSchema.shape);
  const problems = parsed.error.issues.flatMap((issue) => issueProblems(issue, [], located, topKeys));
  const top = isMapping(value) ? value : {};
  return {
    name: typeof top.name === 'string' && top.name ? top.name : 'job',
    outputMode: jobSchema.shape.outputMode.safeParse(top.outputMode).data,
    source: componentReference.safeParse(top.source).data,
    operators: operatorItems(top.operators),
    sink: componentReference.safeParse(top.sink).data,
    problems,
  };
}

function operatorItems(value: unknown): (Record<string, unknown> | undefined)[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return undefined;
  return value.map((item) => (isMapping(item) ? item : undefined));
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
