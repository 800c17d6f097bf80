/**
 * Loads and checks a bench file (benches/<name>.yaml or a path): YAML syntax, `${VAR}`s, the shape
 * (bench-file-schema.ts), the workload and sink names, each sink's options against its schema with its profile, and
 * the sweeps. Every problem is reported at once as one ConfigError (file:line, dotted path; exit 2). Nothing connects.
 */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { findComponent, sinks as sinkList } from '../registry.js';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import type { Env } from '../config/env.js';
import { type CheckContext, listYaml, PACKAGE_ROOT } from '../config/load-job.js';
import { type PathSegment, YamlFile } from '../config/yaml-file.js';
import { type BenchFile, benchFileSchema, sinkEntryKeys } from './bench-file-schema.js';
import type { TargetConfig } from './plan.js';
import { checkSinkOptions } from './sink-options.js';
import { expandSweep } from './sweep.js';
import type { BenchTarget } from './target.js';
import type { Workload } from './workload.js';

export interface BenchCatalog {
  targets: readonly BenchTarget[];
  workloads: readonly Workload[];
}

export interface LoadedBenchFile {
  /** As shown in messages: relative to the working directory when inside it. */
  file: string;
  name: string;
  bench: BenchFile;
  targets: TargetConfig[];
}

/** `benches/` of the working directory if it has one, else the package's own. */
export function benchesDir(cwd: string): string {
  const local = join(cwd, 'benches');
  return existsSync(local) ? local : join(PACKAGE_ROOT, 'benches');
}

/** A bench name (`sinks-shootout` -> benches/sinks-shootout.yaml) or a path to a YAML file. */
export function resolveBenchFile(nameOrPath: string, cwd: string): string {
  if (/\.ya?ml$/.test(nameOrPath) || nameOrPath.includes('/')) {
    const path = resolve(cwd, nameOrPath);
    if (!existsSync(path)) throw ConfigError.single({ message: `bench file ${nameOrPath} does not exist` });
    return path;
  }
  const dir = benchesDir(cwd);
  const found = ['yaml', 'yml'].map((ext) => join(dir, `${nameOrPath}.${ext}`)).find((f) => existsSync(f));
  if (found) return found;
  throw ConfigError.single({
    message: `bench '${nameOrPath}' not found: no ${join(dir, nameOrPath)}.yaml. Benches: ${listYaml(dir).join(', ') || '(none)'}`,
  });
}

export function loadBenchFile(nameOrPath: string, options: { cwd: string; env: Env; catalog: BenchCatalog }): LoadedBenchFile {
  const { cwd, env, catalog } = options;
  const path = resolveBenchFile(nameOrPath, cwd);
  const display = path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
  const yaml = YamlFile.read(path, env, display);
  if (yaml.problems.length > 0) throw new ConfigError(yaml.problems);

  const parsed = benchFileSchema.safeParse(yaml.value ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => {
      const at = issue.path as PathSegment[];
      if (issue.code !== 'unrecognized_keys') return [yaml.problem(at, issue.message)];
      const allowed = at.length === 0 ? ` (allowed: ${Object.keys(benchFileSchema.shape).join(', ')})` : '';
      return issue.keys.map((key) => yaml.problem([...at, key], `unknown key '${key}'${allowed}`));
    });
    throw new ConfigError(problems);
  }
  const bench = parsed.data;
  const problems: ConfigProblem[] = [];
  const ctx: CheckContext = { cwd, env, display, problems, located: (p, m) => yaml.problem(p, m) };
  if (!catalog.workloads.some((w) => w.name === bench.workload)) {
    problems.push(yaml.problem(['workload'], unknownWorkload(bench.workload, catalog.workloads)));
  }
  const placed = bench.sinks.flatMap((entry, i) =>
    sinkTargets(entry, ['sinks', i], yaml, ctx, catalog.targets).map((config) => ({ config, index: i })),
  );
  problems.push(...duplicateLabels(placed, yaml));
  const targets = placed.map((p) => p.config);
  if (problems.length > 0) throw new ConfigError(problems);
  return { file: display, name: bench.name ?? basename(path).replace(/\.ya?ml$/, ''), bench, targets };
}

function sinkTargets(
  entry: BenchFile['sinks'][number],
  path: PathSegment[],
  yaml: YamlFile,
  ctx: CheckContext,
  targets: readonly BenchTarget[],
): TargetConfig[] {
  const written = typeof entry === 'string' ? { type: entry } : entry;
  const target = targets.find((t) => t.sink === written.type);
  if (!target) {
    ctx.problems.push(yaml.problem(typeof entry === 'string' ? path : [...path, 'type'], unknownSink(written.type, targets)));
    return [];
  }
  const definition = findComponent(sinkList, target.sink);
  if (!definition) throw new Error(`bench target '${target.sink}' names no registered sink`);
  const own = Object.fromEntries(Object.entries(written).filter(([k]) => !(sinkEntryKeys as readonly string[]).includes(k)));
  const profile = written.profile ?? target.profile;
  const check = {
    definition,
    profile,
    profilePath: written.profile ? [...path, 'profile'] : path,
    defaults: target.defaults ?? {},
    own,
    ownPath: path,
  };
  const before = ctx.problems.length;
  checkSinkOptions(check, yaml, ctx);
  for (const [key, values] of Object.entries(written.sweep ?? {})) {
    if (key in own) ctx.problems.push(yaml.problem([...path, 'sweep', key], `'${key}' is both set and swept: remove one`));
    for (const [j, value] of values.entries()) {
      checkSinkOptions({ ...check, swept: { key, value, path: [...path, 'sweep', key, j] } }, yaml, ctx);
    }
  }
  if (ctx.problems.length > before) return [];
  return expandSweep({ label: written.label ?? target.sink, sink: target.sink, profile: written.profile, options: own }, written.sweep);
}

/** Two configurations with one label could not be told apart in the report or by `bench compare`. */
function duplicateLabels(placed: { config: TargetConfig; index: number }[], yaml: YamlFile): ConfigProblem[] {
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const { config, index } of placed) {
    if (seen.has(config.target)) {
      problems.push(yaml.problem(['sinks', index], `two configurations are named '${config.target}': give the entries a \`label:\``));
    }
    seen.add(config.target);
  }
  return problems;
}

export function unknownSink(name: string, targets: readonly BenchTarget[]): string {
  const isSink = findComponent(sinkList, name) !== undefined;
  const known = targets.map((t) => t.sink).join(', ') || '(none)';
  return `${isSink ? `sink '${name}' has no bench target` : `unknown sink '${name}'`} (sinks with a bench target: ${known})`;
}

export function unknownWorkload(name: string, workloads: readonly Workload[]): string {
  return `unknown workload '${name}' (known: ${workloads.map((w) => w.name).join(', ') || '(none)'})`;
}
