import { ConfigError } from '../core/errors.js';
import { type BuiltJob, buildJob } from './build-job.js';
import { type CodeComponents, loadJobValue } from './load-job.js';

export interface BuildValueOptions {
  cwd?: string;
  /** Components defined in code for this job alone (a foreachBatch function, a hand-written operator or source). */
  code?: CodeComponents;
}

/**
 * Builds a job given as a value shaped like a job file (what the TypeScript API writes down as its verbs are called)
 * through the very path a YAML job takes: loadJobValue (shape, each component's schema, profiles merged in, secrets
 * registered for redaction) then buildJob (expressions, columns, event-time facts, output-mode rules, the sink's own
 * checks). The only difference is where problems are said to be: `display` (e.g. `query 'demo' (TypeScript)`) and
 * the dotted path of the part, without the line numbers of the YAML text the value was written to, which the user
 * never saw. `${...}` in strings is taken literally, as in any value built in code.
 */
export function buildJobValue(value: Record<string, unknown>, display: string, options: BuildValueOptions = {}): BuiltJob {
  try {
    return buildJob(loadJobValue(value, display, { cwd: options.cwd, code: options.code }));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // A problem in a profile file keeps its line; one in the value has only its dotted path.
    const problems = error.problems.map(({ line, column, ...problem }) =>
      problem.file === display ? problem : { ...problem, line, column },
    );
    throw new ConfigError(problems, error.notes);
  }
}
