import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BadRecordPolicy } from '../core/bad-records.js';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import type { OutputMode } from '../core/sink.js';
import type { Trigger } from '../core/trigger.js';
import { findComponent, operators as operatorList, sinks as sinkList, sources as sourceList } from '../registry.js';
import type { ComponentDefinition, OperatorDefinition, SinkDefinition, SourceDefinition } from '../component/definition.js';
import { loadEnv, type Env } from './env.js';
import { stringify as stringifyYaml } from 'yaml';
import { YamlFile, type PathSegment } from './yaml-file.js';
import { checkpointLocationOf } from './checkpoint-location.js';
import { buildParts } from './build-parts.js';
import { validateOptions } from './component-options.js';
import { readJobShape } from './job-shape.js';
import { inFileOrder } from './problem-order.js';
import { checkUnionStep } from './union-step.js';
import type { WatermarkPolicy } from '../core/execution/watermark-tracker.js';

export { secretsAsText } from './component-options.js';

/** A component of a job after its options passed its schema. */
export interface ComponentConfig<D extends ComponentDefinition = ComponentDefinition> {
  definition: D;
  options: unknown;
  /** Where it is written, for messages at build time. */
  yaml: YamlFile;
  path: PathSegment[];
  /** The profile its options started from, if any. */
  profile?: string;
}

export interface LoadedJob {
  file: string;
  yaml: YamlFile;
  name: string;
  description?: string;
  source: ComponentConfig<SourceDefinition>;
  operators: ComponentConfig<OperatorDefinition>[];
  sink: ComponentConfig<SinkDefinition>;
  trigger: Trigger;
  /** A batch job: each run starts from a fresh checkpoint of its own (see jobSchema.batch). */
  batch: boolean;
  outputMode: OutputMode;
  /** Relative to the working directory when inside it; see checkpointLocationOf for what a relative one is relative to. */
  checkpointLocation: string;
  /** Where an earlier streamlab, which resolved it against the working directory, left this job's checkpoint. */
  checkpointMovedFrom?: string;
  maxRowsPerBatch?: number;
  /**
   * Threads of a stateless stage (Spark's local[N]); default 1: on this project's 2-core machines two threads have
   * not yet measured faster (docs/parallel.md), so splitting is asked for, not assumed.
   */
  cores: number;
  onBadRecord: BadRecordPolicy;
  deadLetterPath?: string;
  /** How several withWatermark (union branches) make one watermark: Spark's spark.sql.streaming.multipleWatermarkPolicy. */
  multipleWatermarkPolicy: WatermarkPolicy;
}

export interface LoadOptions {
  cwd?: string;
  env?: Env;
  /** Components defined in code for this job alone (a TypeScript job's foreachBatch function), found by type first. */
  code?: CodeComponents;
}

export interface CodeComponents {
  sources?: SourceDefinition[];
  operators?: OperatorDefinition[];
  sinks?: SinkDefinition[];
}

/** The package's own folder, where the shipped jobs/ and config/ live (used when the working directory has none). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** `jobs/` (or `config/`) of the working directory if it has one, else the package's own. */
export function configDir(kind: 'jobs' | 'config', cwd = process.cwd()): string {
  const local = join(cwd, kind);
  return existsSync(local) ? local : join(PACKAGE_ROOT, kind);
}

export function listYaml(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

/** A job name (`rate-console` -> jobs/rate-console.yaml) or a path to a YAML file. */
export function resolveJobFile(nameOrPath: string, cwd = process.cwd()): string {
  if (/\.ya?ml$/.test(nameOrPath) || nameOrPath.includes('/')) {
    const path = resolve(cwd, nameOrPath);
    if (!existsSync(path)) throw ConfigError.single({ message: `job file ${nameOrPath} does not exist` });
    return path;
  }
  const dir = configDir('jobs', cwd);
  for (const ext of ['yaml', 'yml']) {
    const path = join(dir, `${nameOrPath}.${ext}`);
    if (existsSync(path)) return path;
  }
  const known = listYaml(dir);
  throw ConfigError.single({
    message: `job '${nameOrPath}' not found: no ${join(dir, nameOrPath)}.yaml. Jobs: ${known.join(', ') || '(none)'}. Run \`streamlab list\` to see them with descriptions.`,
  });
}

/**
 * Loads and checks a job file: YAML syntax, `${VAR}` references, the top-level shape, each component's type and
 * options (profiles merged in). Pure: nothing is connected. Every problem found is reported at once, as one
 * ConfigError in the order of the file; when there are any, what could be read is also built (buildParts), so that
 * expression problems come in the same report rather than on the next run.
 */
export function loadJob(nameOrPath: string, options: LoadOptions = {}): LoadedJob {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? loadEnv(cwd);
  const file = resolveJobFile(nameOrPath, cwd);
  return checkJob(YamlFile.read(file, env, relativeForDisplay(file, cwd)), file, cwd, env);
}

/**
 * A job given as a value instead of a file (`streamlab bench` builds one per run), checked exactly as a job file is;
 * `display` names it in messages. Its strings are taken as they are: a `${` in them is not expanded again.
 */
export function loadJobValue(value: Record<string, unknown>, display: string, options: LoadOptions = {}): LoadedJob {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? loadEnv(cwd);
  const yaml = new YamlFile(display, stringifyYaml(escapeReferences(value)), env);
  return checkJob(yaml, resolve(cwd, display), cwd, env, options.code);
}

/**
 * The options of a sink given as `{ type, profile, ...options }`, profile merged and checked by the sink's schema as
 * in a job, except that options it requires may be missing (a bench target adds the table or measurement of each run
 * later): what a bench target connects with. `display` names it in messages.
 */
export function loadSinkConnection(
  reference: { type: string; profile?: string; [key: string]: unknown },
  display: string,
  options: LoadOptions = {},
): ComponentConfig<SinkDefinition> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? loadEnv(cwd);
  const yaml = new YamlFile(display, stringifyYaml(escapeReferences({ sink: reference })), env);
  const problems: ConfigProblem[] = [];
  const located = (path: PathSegment[], message: string): ConfigProblem => yaml.problem(path, message);
  const ctx = { cwd, env, display, problems, located, partial: true };
  const sink = checkComponent(sinkList, 'sink', reference, ['sink'], yaml, ctx);
  if (problems.length > 0 || !sink) throw new ConfigError(problems);
  return sink;
}

/** `$${` is YAML-file text for a literal `${`: a value built in memory is not interpolated a second time. */
function escapeReferences(value: unknown): unknown {
  // A function, not a string: in a replacement string `$$` means one `$`.
  if (typeof value === 'string') return value.replaceAll('${', () => '$${');
  if (Array.isArray(value)) return value.map(escapeReferences);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeReferences(v)]));
  return value;
}

function checkJob(yaml: YamlFile, file: string, cwd: string, env: Env, code: CodeComponents = {}): LoadedJob {
  const display = yaml.file;
  // Syntax and variable problems first: shape errors on half-interpolated values would only add noise.
  if (yaml.problems.length > 0) throw new ConfigError(yaml.problems);

  const located = (path: PathSegment[], message: string): ConfigProblem => yaml.problem(path, message);
  const shape = readJobShape(yaml.value, located);
  const problems: ConfigProblem[] = [...shape.problems];
  const sourceTypes = [...(code.sources ?? []), ...sourceList];
  const componentOptions = { cwd, env, display, problems, located, codeOperators: code.operators, sourceTypes };
  const source = shape.source && checkComponent(sourceTypes, 'source', shape.source, ['source'], yaml, componentOptions);
  const operators = shape.operators?.map((item, i) => item && checkOperator(item, ['operators', i], yaml, componentOptions));
  const sink = shape.sink && checkComponent([...(code.sinks ?? []), ...sinkList], 'sink', shape.sink, ['sink'], yaml, componentOptions);
  const job = shape.job;
  if (job?.batch && !(job.trigger && 'availableNow' in job.trigger)) {
    problems.push(located(['batch'], 'a batch job reads what is there and stops: it needs trigger: { availableNow: true }'));
  }
  if (problems.length > 0 || !job || !source || !sink || !operators || operators.some((o) => !o)) {
    // Build what could be read too, so its expressions and own checks are reported in this same pass.
    const built = buildParts({ yaml, name: shape.name, outputMode: shape.outputMode, source, operators, sink });
    throw new ConfigError(inFileOrder([...problems, ...built.problems], yaml), built.notes);
  }

  const shipped = dirname(file) === join(PACKAGE_ROOT, 'jobs') && configDir('jobs', cwd) !== join(cwd, 'jobs');
  const checkpoint = checkpointLocationOf(file, job.name, job.checkpointLocation, cwd, shipped);
  return {
    file: display,
    yaml,
    name: job.name,
    description: job.description,
    source,
    operators: operators as ComponentConfig<OperatorDefinition>[],
    sink,
    trigger: toTrigger(job.trigger),
    batch: job.batch,
    outputMode: job.outputMode,
    checkpointLocation: checkpoint.location,
    ...(checkpoint.movedFrom ? { checkpointMovedFrom: checkpoint.movedFrom } : {}),
    maxRowsPerBatch: job.maxRowsPerBatch,
    cores: job.cores ?? 1,
    onBadRecord: job.onBadRecord,
    deadLetterPath: job.deadLetterPath,
    multipleWatermarkPolicy: job.multipleWatermarkPolicy,
  };
}

function toTrigger(trigger: { processingTime: number } | { availableNow: true } | undefined): Trigger {
  if (!trigger) return { kind: 'default' };
  if ('processingTime' in trigger) return { kind: 'processingTime', intervalMs: trigger.processingTime };
  return { kind: 'availableNow' };
}

export interface CheckContext {
  cwd: string;
  env: Env;
  display: string;
  problems: ConfigProblem[];
  located: (path: PathSegment[], message: string) => ConfigProblem;
  /** Options the schema requires may be missing (loadSinkConnection). */
  partial?: boolean;
  /** Operators defined in code for this job alone (LoadOptions.code). */
  codeOperators?: OperatorDefinition[];
  /** The sources a union branch may name: the registry's and those defined in code for this job (LoadOptions.code). */
  sourceTypes?: SourceDefinition[];
}

function checkOperator(
  item: Record<string, unknown>,
  path: PathSegment[],
  yaml: YamlFile,
  ctx: CheckContext,
): ComponentConfig<OperatorDefinition> | undefined {
  const keys = Object.keys(item);
  if (keys.length !== 1) {
    ctx.problems.push(
      ctx.located(
        path,
        `each operator is one key naming its type, e.g. \`- filter: "value > 0"\`; found ${keys.length ? keys.join(', ') : 'none'}`,
      ),
    );
    return undefined;
  }
  const type = keys[0];
  if (type === 'union') {
    return checkUnionStep(item.union, path, yaml, {
      source: (reference, at) => checkComponent(ctx.sourceTypes ?? sourceList, 'source', reference, at, yaml, ctx),
      operator: (branchItem, at) => checkOperator(branchItem, at, yaml, ctx),
      located: ctx.located,
      problems: ctx.problems,
    });
  }
  const known = [...(ctx.codeOperators ?? []), ...operatorList];
  const definition = findComponent(known, type);
  if (!definition) {
    ctx.problems.push(ctx.located(path, unknownType('operator', type, known)));
    return undefined;
  }
  const options = withStaticSideProfile(item[type], [...path, type], ctx);
  if (options === undefined) return undefined;
  return validateOptions(definition, options, [...path, type], yaml, ctx, undefined);
}

/**
 * An operator that reads a source itself (join's `with:`) names its connection the way a job's source does:
 * `with: { type: postgres, profile: postgres, table: ... }`. The profile's options are merged in here, under the
 * ones written in the job, as for a source; undefined when the profile cannot be loaded (a problem was recorded).
 */
function withStaticSideProfile(options: unknown, path: PathSegment[], ctx: CheckContext): unknown {
  if (!options || typeof options !== 'object' || Array.isArray(options)) return options;
  const reference = (options as Record<string, unknown>).with;
  if (!reference || typeof reference !== 'object' || Array.isArray(reference)) return options;
  const { profile, ...own } = reference as Record<string, unknown>;
  if (typeof profile !== 'string') return options;
  const profileFile = loadProfile(profile, String(own.type), [...path, 'with', 'profile'], ctx);
  if (!profileFile) return undefined;
  const { type: _t, ...fromProfile } = (profileFile.value ?? {}) as Record<string, unknown>;
  return { ...(options as Record<string, unknown>), with: { ...fromProfile, ...own } };
}

function checkComponent<D extends SourceDefinition | SinkDefinition>(
  list: D[],
  kind: string,
  reference: { type: string; profile?: string; [k: string]: unknown },
  path: PathSegment[],
  yaml: YamlFile,
  ctx: CheckContext,
): ComponentConfig<D> | undefined {
  const definition = findComponent(list, reference.type);
  if (!definition) {
    ctx.problems.push(ctx.located([...path, 'type'], unknownType(kind, reference.type, list)));
    return undefined;
  }
  const { type: _type, profile, ...own } = reference;
  let merged: Record<string, unknown> = own;
  let profileFile: YamlFile | undefined;
  if (profile) {
    profileFile = loadProfile(profile, reference.type, [...path, 'profile'], ctx);
    if (!profileFile) return undefined;
    const { type: _t, ...fromProfile } = (profileFile.value ?? {}) as Record<string, unknown>;
    merged = { ...fromProfile, ...own };
  }
  const ownKeys = new Set(Object.keys(own));
  const placeOf = (issuePath: PathSegment[]) =>
    profileFile && issuePath.length > 0 && !ownKeys.has(String(issuePath[0])) ? profileFile : undefined;
  const checked = validateOptions(definition, merged, path, yaml, ctx, placeOf);
  return checked && { ...checked, profile };
}

export function loadProfile(name: string, type: string, path: PathSegment[], ctx: CheckContext): YamlFile | undefined {
  const dir = configDir('config', ctx.cwd);
  const file = [join(dir, `${name}.yaml`), join(dir, `${name}.yml`)].find((f) => existsSync(f));
  if (!file) {
    ctx.problems.push(
      ctx.located(path, `profile '${name}' not found: no ${join(dir, name)}.yaml (profiles: ${listYaml(dir).join(', ') || 'none'})`),
    );
    return undefined;
  }
  const display = relativeForDisplay(file, ctx.cwd);
  const profile = YamlFile.read(file, ctx.env, display);
  if (profile.problems.length > 0) {
    ctx.problems.push(...profile.problems);
    return undefined;
  }
  const value = profile.value as Record<string, unknown> | null;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    ctx.problems.push({ file: display, message: 'a profile is a mapping of option names to values' });
    return undefined;
  }
  if (value.type !== undefined && value.type !== type) {
    ctx.problems.push(profile.problem(['type'], `profile '${name}' is for '${String(value.type)}', not '${type}'`));
    return undefined;
  }
  return profile;
}

function unknownType(kind: string, type: string, list: ComponentDefinition[]): string {
  const known = [...list.map((d) => d.type), ...(kind === 'operator' ? ['union'] : [])];
  return `unknown ${kind} type '${type}' (known: ${known.join(', ')})`;
}

function relativeForDisplay(file: string, cwd: string): string {
  return file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file;
}
