import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildJob } from '../../config/build-job.js';
import type { ComponentConfig, LoadedJob } from '../../config/load-job.js';
import type { Schema } from '../../core/schema.js';
import { comment } from './python.js';

/**
 * What the translation of one job shares: the job, the lines of its YAML (to quote the line each Spark line comes
 * from) and window columns not yet written out (Spark writes `window(...)` / `session_window(...)` inside
 * `groupBy`, so a window step waits for the groupBy that uses it).
 */
export class Translation {
  readonly yamlLines: string[];
  /** Window column name -> the PySpark expression that makes it, until a groupBy (or another step) takes it. */
  readonly pendingWindows = new Map<string, string>();
  /** Python packages the program imports beyond pyspark (for the header's pip line). */
  readonly packages = new Set<string>();
  /** Maven coordinates of connectors the program needs beyond pyspark's jars (spark-sql-kafka). */
  readonly sparkPackages = new Set<string>();
  /** Environment variables the program reads (for the header). */
  readonly envVars = new Set<string>();
  /**
   * Module-level functions beyond read_stream/transform/start that the operators' lines call: a union branch's
   * read_stream_<n> and transform_<n>, reading a join's PostgreSQL table.
   */
  readonly helpers: string[] = [];
  /** Union branches translated so far: the number of the next one's functions. */
  unionBranches = 0;

  /** `cwd`: the working directory the job was loaded from (its `file` is relative to it). */
  /** The columns the sink receives (the job is built, without I/O, to know them). */
  readonly sinkSchema: Schema;

  /**
   * `checked: false` translates a job that streamlab refuses to build (the parity suite asks Spark about jobs both
   * should refuse); the sink's columns are then unknown.
   */
  constructor(
    readonly job: LoadedJob,
    readonly cwd: string,
    checked = true,
  ) {
    this.sinkSchema = checked ? builtSchema(job) : (tryBuiltSchema(job) ?? []);
    this.yamlLines = readFileSync(resolve(cwd, job.file), 'utf8').split('\n');
  }

  /** `# jobs/x.yaml:12  - filter: "value % 2 == 0"`: where a piece of the program comes from. */
  origin(component: Pick<ComponentConfig, 'path'>, indent = '    '): string[] {
    let { line } = this.job.yaml.locate(component.path);
    if (line === undefined) return [];
    // A block mapping (`source:` then `  type: file` below) is located at its first key: quote its own line.
    const key = component.path.at(-1);
    const text = this.yamlLines[line - 1]?.trim().replace(/^-\s*/, '') ?? '';
    if (typeof key === 'string' && !text.startsWith(key) && line > 1) line--;
    return comment(`${this.job.yaml.file}:${line}  ${this.yamlLines[line - 1]?.trim() ?? ''}`, indent);
  }

  /** Writes out pending windows as columns (Spark's withColumn) when a step other than groupBy needs them. */
  flushWindows(): string[] {
    const lines: string[] = [];
    for (const [name, expression] of this.pendingWindows) {
      lines.push(`    df = df.withColumn(${JSON.stringify(name)}, ${expression})`);
    }
    this.pendingWindows.clear();
    return lines;
  }
}

function builtSchema(job: LoadedJob): Schema {
  return (
    buildJob(job)
      .plan.filter((step) => step.kind !== 'sink')
      .at(-1)?.schema ?? []
  );
}

function tryBuiltSchema(job: LoadedJob): Schema | undefined {
  try {
    return builtSchema(job);
  } catch {
    return undefined;
  }
}
