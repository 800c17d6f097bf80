/**
 * `streamlab bench [bench-file] [flags]` and `streamlab bench compare a.json b.json`. This file is the front end
 * only: the runner, the report and the lists of targets and workloads come in as BenchDeps (bench-deps.ts wires the
 * real ones), so the tests drive it with fakes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ConfigError, errorMessage } from '../core/errors.js';
import { redact } from '../core/redact.js';
import type { Env } from '../config/env.js';
import { type BenchCatalog, loadBenchFile } from '../benchmark/bench-file.js';
import type { BenchEvent, BenchPlan } from '../benchmark/plan.js';
import { type BenchResults, resultsSchema } from '../benchmark/results.js';
import { findServicesDir, servicesEnv } from '../config/services-env.js';
import type { BenchTarget } from '../benchmark/target.js';
import type { Workload } from '../benchmark/workload.js';
import { BENCH_USAGE, COMPARE_USAGE, REPORT_USAGE } from './bench-usage.js';
import { parseBenchFlags } from './bench-flags.js';
import { buildPlan } from './bench-plan.js';
import { BenchProgress, type TextOut } from './bench-progress.js';
import { failureLines, formatSummary } from './bench-summary.js';
import { compareResults, readResults } from './bench-compare.js';
import { parseCommandArgs } from './args.js';

export interface BenchDeps extends BenchCatalog {
  runBench(
    plan: BenchPlan,
    opts: {
      targets?: readonly BenchTarget[];
      signal?: AbortSignal;
      onEvent?: (e: BenchEvent) => void;
      workloads?: readonly Workload[];
    },
  ): Promise<BenchResults>;
  writeReport(results: BenchResults, dir: string): Promise<string[]>;
  cwd: string;
  /** The environment and `.env` (loadEnv). */
  env: Env;
  now(): Date;
  /** Summary table and paths. */
  stdout: TextOut;
  /** Progress, notes, failures. */
  stderr: TextOut;
  /** Calls `handler` on each Ctrl-C until the returned function is called. */
  onInterrupt(handler: () => void): () => void;
  /** A second Ctrl-C: leave at once. */
  exit(code: number): void;
}

export async function benchCommand(args: string[], deps: BenchDeps): Promise<number> {
  if (args[0] === 'compare') return compareCommand(args.slice(1), deps);
  if (args[0] === 'report') return reportCommand(args.slice(1), deps);
  const flags = parseBenchFlags(args, BENCH_USAGE);
  if (flags.help) {
    deps.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const servicesDir = flags.services === false ? undefined : findServicesDir(deps.cwd, deps.env);
  if (flags.services && !servicesDir) {
    throw ConfigError.single({
      message: `--services: no ${join(deps.env.STREAMLAB_SERVICES_DIR ?? '.services', 'env')} in ${deps.cwd}: start the servers with \`npm run services -- up\` (or set STREAMLAB_SERVICES_DIR to its folder)`,
    });
  }
  const services = servicesDir ? servicesEnv(servicesDir, deps.env) : undefined;
  const env = services ? { ...deps.env, ...services.vars } : deps.env;
  const file = flags.file ? loadBenchFile(flags.file, { cwd: deps.cwd, env, catalog: deps }) : undefined;
  const plan = buildPlan({ flags, file, catalog: deps, cwd: deps.cwd, env, now: deps.now() });
  if (services) deps.stderr.write(`servers of \`npm run services\` (${services.dir}): ${services.servers.join(', ') || 'none listed'}\n`);
  deps.stderr.write(`${describePlan(plan)}\n`);
  return runAndReport(plan, deps);
}

async function runAndReport(plan: BenchPlan, deps: BenchDeps): Promise<number> {
  const controller = new AbortController();
  const progress = new BenchProgress(deps.stderr);
  let interrupts = 0;
  const stopListening = deps.onInterrupt(() => {
    if (++interrupts > 1) return deps.exit(130);
    progress.finish();
    deps.stderr.write('Ctrl-C: stopping; writing what was measured so far (Ctrl-C again exits at once)\n');
    controller.abort();
  });
  let results: BenchResults;
  try {
    results = await deps.runBench(plan, {
      targets: deps.targets,
      workloads: deps.workloads,
      signal: controller.signal,
      onEvent: progress.onEvent,
    });
  } catch (error) {
    progress.finish();
    // A server that is not up or a table in the way: the setup, not a bug (exit 2, no stack trace).
    if (error instanceof Error && error.name === 'TargetError') throw ConfigError.single({ message: error.message });
    throw error;
  } finally {
    stopListening();
  }
  progress.finish();
  if (controller.signal.aborted) results = { ...results, partial: true };
  const written = await writeOutputs(results, plan.reportDir, deps);
  deps.stdout.write(formatSummary(results));
  deps.stdout.write(`\nWritten:\n${written.paths.map((p) => `  ${shown(p, deps.cwd)}`).join('\n')}\n`);
  const failures = failureLines(results);
  if (failures.length > 0) deps.stderr.write(`${failures.length} run(s) failed or were not verified:\n`);
  for (const line of failures) deps.stderr.write(`  ${redact(line)}\n`);
  if (controller.signal.aborted) return 130;
  return failures.length > 0 || !written.ok ? 1 : 0;
}

/** results.json first (what was measured is never lost to a report that fails), then the report. */
async function writeOutputs(results: BenchResults, dir: string, deps: BenchDeps): Promise<{ paths: string[]; ok: boolean }> {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'results.json');
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  let ok = true;
  const checked = resultsSchema.safeParse(results);
  if (!checked.success) {
    ok = false;
    const issue = checked.error.issues[0];
    deps.stderr.write(`error: ${json} does not match its schema at ${issue.path.join('.')}: ${issue.message}\n`);
  }
  try {
    return { paths: [json, ...(await deps.writeReport(results, dir))], ok };
  } catch (error) {
    deps.stderr.write(`error: the report could not be written: ${redact(errorMessage(error))}\n`);
    return { paths: [json], ok: false };
  }
}

/** `3 configurations x 1 batch size x 1 guarantee x 1 repeat = 3 runs (+3 baseline runs) of 100,000 tsbs-cpu rows`. */
function describePlan(plan: BenchPlan): string {
  const runs = plan.targets.length * plan.batchSizes.length * plan.guarantees.length * plan.repeat;
  const configs = plan.targets.map((t) => t.target).join(', ');
  return (
    `bench${plan.name ? ` ${plan.name}` : ''}: ${configs}; batch sizes ${plan.batchSizes.join(', ')}; ${plan.guarantees.join(' and ')}; ` +
    `${plan.repeat} repeat(s): ${runs} run${runs === 1 ? '' : 's'}${plan.baselines ? ' (+ a baseline run each where the server has a bulk path)' : ''} ` +
    `of ${plan.rows} ${plan.workload.name} rows (scale ${plan.workload.scale}); report in ${shown(plan.reportDir, plan.cwd)}`
  );
}

/** A path relative to the working directory when inside it, else absolute. */
function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** Draws report.html and the charts again from a results.json (into its own folder unless --report says otherwise). */
async function reportCommand(args: string[], deps: BenchDeps): Promise<number> {
  const options = { report: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
  const { values, positionals } = parseCommandArgs(args, options, REPORT_USAGE);
  if (values.help) {
    deps.stdout.write(`${REPORT_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw ConfigError.single({ message: `report takes one results.json\n\n${REPORT_USAGE}` });
  const results = readResults(resolve(deps.cwd, positionals[0]), positionals[0]);
  const dir = resolve(deps.cwd, (values.report as string | undefined) ?? dirname(positionals[0]));
  const written = await deps.writeReport(results, dir);
  deps.stdout.write(`Written:\n${written.map((path) => `  ${shown(path, deps.cwd)}\n`).join('')}`);
  return 0;
}

function compareCommand(args: string[], deps: BenchDeps): number {
  const { values, positionals } = parseCommandArgs(args, { help: { type: 'boolean', short: 'h' } }, COMPARE_USAGE);
  if (values.help) {
    deps.stdout.write(`${COMPARE_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 2) throw ConfigError.single({ message: `compare takes two results.json files\n\n${COMPARE_USAGE}` });
  const [a, b] = positionals.map((p) => readResults(resolve(deps.cwd, p), p));
  deps.stdout.write(compareResults(a, b, [positionals[0], positionals[1]]));
  return 0;
}
