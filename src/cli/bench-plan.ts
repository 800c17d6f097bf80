/**
 * Flags over a bench file over the defaults (benchmark/defaults.ts): the BenchPlan the runner runs. Checks what the
 * flags name (sinks, workload) against what exists, every problem at once (exit 2).
 */
import { resolve } from 'node:path';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import type { Env } from '../config/env.js';
import { type BenchCatalog, type LoadedBenchFile, unknownSink, unknownWorkload } from '../benchmark/bench-file.js';
import {
  DEFAULT_BASELINES,
  DEFAULT_BATCH_SIZES,
  DEFAULT_FRESHNESS_SAMPLES,
  DEFAULT_GUARANTEES,
  DEFAULT_REPEAT,
  DEFAULT_ROWS,
  DEFAULT_WORKLOAD,
  defaultReportDir,
} from '../benchmark/defaults.js';
import type { BenchPlan, Guarantee, TargetConfig } from '../benchmark/plan.js';
import type { BenchFlags } from './bench-flags.js';

export interface PlanInput {
  flags: BenchFlags;
  file: LoadedBenchFile | undefined;
  catalog: BenchCatalog;
  cwd: string;
  /** The environment, with the services' variables laid over it when they are used. */
  env: Env;
  now: Date;
}

export function buildPlan({ flags, file, catalog, cwd, env, now }: PlanInput): BenchPlan {
  const problems: ConfigProblem[] = [];
  const bench = file?.bench;
  const targets = chooseTargets(flags.sinks, file, catalog, problems);
  const workloadName = flags.workload ?? bench?.workload ?? DEFAULT_WORKLOAD;
  const workload = catalog.workloads.find((w) => w.name === workloadName);
  if (!workload) problems.push({ message: `--workload: ${unknownWorkload(workloadName, catalog.workloads)}` });
  if (problems.length > 0 || !workload) throw new ConfigError(problems);
  const guarantees: Guarantee[] =
    flags.guarantees ?? (bench ? (bench.guarantee === 'both' ? ['exactly-once', 'none'] : [bench.guarantee]) : [...DEFAULT_GUARANTEES]);
  return {
    ...(file ? { name: file.name } : {}),
    workload: { name: workload.name, scale: flags.scale ?? bench?.scale ?? workload.defaultScale },
    rows: flags.rows ?? bench?.rows ?? DEFAULT_ROWS,
    batchSizes: flags.batchSizes ?? bench?.batchSizes ?? [...DEFAULT_BATCH_SIZES],
    repeat: flags.repeat ?? bench?.repeat ?? DEFAULT_REPEAT,
    guarantees,
    baselines: flags.noBaselines ? false : (bench?.baselines ?? DEFAULT_BASELINES),
    targets,
    freshnessSamples: flags.freshnessSamples ?? bench?.freshnessSamples ?? DEFAULT_FRESHNESS_SAMPLES,
    keep: flags.keep || (bench?.keep ?? false),
    reportDir: resolve(cwd, flags.report ?? bench?.report ?? defaultReportDir(now)),
    ...(flags.serverPids ? { serverPids: flags.serverPids } : {}),
    env,
    cwd,
  };
}

/**
 * --sinks alone: each sink with its target's profile. With a bench file: the file's entries (options, sweeps) of
 * the sinks named, in the order of --sinks; a sink the file does not have is added as it would be without a file.
 */
function chooseTargets(
  names: string[] | undefined,
  file: LoadedBenchFile | undefined,
  catalog: BenchCatalog,
  problems: ConfigProblem[],
): TargetConfig[] {
  if (!names) {
    if (file) return file.targets;
    problems.push({ message: 'no sinks to measure: give --sinks (e.g. --sinks influxdb,mysql) or a bench file' });
    return [];
  }
  return [...new Set(names)].flatMap((name) => {
    if (!catalog.targets.some((t) => t.sink === name)) {
      problems.push({ message: `--sinks: ${unknownSink(name, catalog.targets)}` });
      return [];
    }
    const fromFile = file?.targets.filter((t) => t.sink === name) ?? [];
    return fromFile.length > 0 ? fromFile : [{ target: name, sink: name, options: {} }];
  });
}
