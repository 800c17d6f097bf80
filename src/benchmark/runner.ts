/**
 * `runBench`: the heart of `streamlab bench`. For each repeat, the targets in rotated order (repeat r starts at
 * target r mod n, so no sink always runs first on a cold server or last on a warm one); for each batch size and
 * guarantee, the sink, then (with baselines) the server's bulk path on the same rows, each into its own fresh
 * destination, read back and verified (measure/run.ts). Setup problems (an unknown workload or sink, options a
 * sink's schema refuses, a server that is not up) throw before anything is measured; once measuring started,
 * nothing measured is thrown away: a failed run is recorded with its error, Ctrl-C stops the run in flight
 * gracefully, and the results come back marked partial.
 */
import { ConfigError } from '../core/errors.js';
import { ExpectedRows } from './measure/expected.js';
import { describeMachine, versions } from './measure/machine.js';
import { measureRun, type RunRequest } from './measure/run.js';
import { servicesDir, serverPidsFor } from './measure/service-pids.js';
import { summarize } from './measure/summary.js';
import { writeWithBaseline, writeWithSink } from './measure/writers.js';
import type { BenchEvent, BenchPlan, Guarantee } from './plan.js';
import { resultsSchema, type BenchResults, type BenchRun } from './results.js';
import { closeSessions, openSessions, serverEntries, targetEntries, type OpenTarget } from './sessions.js';
import type { Baseline, BenchTarget, DestinationSpec } from './target.js';
import { TARGETS } from './targets/index.js';
import type { Workload } from './workload.js';
import { WORKLOADS } from './workloads.js';

export interface RunBenchOptions {
  /** The targets sinks are looked up in (default: every target in targets/index.ts); tests pass their own. */
  targets?: readonly BenchTarget[];
  /** Ctrl-C: the run in flight stops gracefully, what was measured is returned, marked partial. */
  signal?: AbortSignal;
  onEvent?: (event: BenchEvent) => void;
  /** The workloads plan.workload.name is looked up in (default: workloads.ts); tests pass their own. */
  workloads?: readonly Workload[];
}

export async function runBench(plan: BenchPlan, opts: RunBenchOptions = {}): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  const emit = opts.onEvent ?? (() => {});
  const workload = findWorkloadIn(opts.workloads ?? WORKLOADS, plan.workload.name);
  const opened = await openSessions(plan, opts.targets ?? TARGETS, emit);
  const runs: BenchRun[] = [];
  try {
    await runAll(plan, workload, opened, runs, opts.signal, emit);
  } finally {
    await closeSessions(opened, emit);
  }
  const planned = plan.repeat * plan.targets.length * plan.batchSizes.length * plan.guarantees.length;
  const sinkRuns = runs.filter((r) => r.writer === 'sink').length;
  const results: BenchResults = {
    schemaVersion: 1,
    partial: Boolean(opts.signal?.aborted) || sinkRuns < planned || runs.some((r) => r.error !== undefined),
    startedAt,
    finishedAt: new Date().toISOString(),
    versions: versions(),
    machine: await describeMachine(),
    config: {
      ...(plan.name ? { name: plan.name } : {}),
      workload: plan.workload,
      rows: plan.rows,
      batchSizes: plan.batchSizes,
      repeat: plan.repeat,
      guarantees: plan.guarantees,
      baselines: plan.baselines,
      targets: targetEntries(plan),
    },
    servers: serverEntries(opened),
    runs,
    summary: summarize(runs),
  };
  // A results object that does not match its schema is a bug here, not a file for others to trip over.
  return resultsSchema.parse(results);
}

async function runAll(
  plan: BenchPlan,
  workload: Workload,
  opened: OpenTarget[],
  runs: BenchRun[],
  signal: AbortSignal | undefined,
  emit: (event: BenchEvent) => void,
): Promise<void> {
  const expected = new ExpectedRows(workload, plan.workload.scale);
  const nextName = destinationNames(workload.name);
  const pidsOf = serverPidsByTarget(opened, plan, emit);
  for (let repeat = 0; repeat < plan.repeat; repeat++) {
    let order = 0;
    for (const open of rotated(opened, repeat)) {
      const serverPids = pidsOf.get(open) ?? [];
      for (const batchSize of plan.batchSizes) {
        for (const guarantee of plan.guarantees) {
          if (signal?.aborted) return;
          const common = { open, plan, workload, expected, batchSize, guarantee, repeat, serverPids, signal, emit };
          runs.push(await measureRun(sinkRun({ ...common, order: order++, spec: specOf(workload, nextName()) })));
          const baseline = open.session.baseline;
          if (!plan.baselines || !baseline || signal?.aborted) continue;
          runs.push(await measureRun(baselineRun({ ...common, order: order++, spec: specOf(workload, nextName()) }, baseline)));
        }
      }
    }
  }
}

interface RunCommon {
  open: OpenTarget;
  plan: BenchPlan;
  workload: Workload;
  expected: ExpectedRows;
  batchSize: number;
  guarantee: Guarantee;
  repeat: number;
  order: number;
  serverPids: number[];
  spec: DestinationSpec;
  signal: AbortSignal | undefined;
  emit: (event: BenchEvent) => void;
}

function sinkRun(c: RunCommon): RunRequest {
  const { open, plan, workload, guarantee, spec } = c;
  const write = { config: open.config, target: open.target, workload, scale: plan.workload.scale, guarantee, place: plan };
  return {
    ...requestBase(c),
    writer: 'sink',
    write: (destination, slices, hooks) => writeWithSink(write, destination, spec, slices, hooks),
  };
}

/** The server's bulk path on the same rows, into a destination of its own. */
function baselineRun(c: RunCommon, baseline: Baseline): RunRequest {
  const { workload, plan, spec } = c;
  return {
    ...requestBase(c),
    writer: 'baseline',
    baseline: baseline.name,
    write: (destination, slices, hooks) => writeWithBaseline(baseline, workload, plan.workload.scale, destination, spec, slices, hooks),
  };
}

function requestBase(c: RunCommon): Omit<RunRequest, 'writer' | 'write'> {
  return {
    target: c.open.config.target,
    sink: c.open.config.sink,
    batchSize: c.batchSize,
    guarantee: c.guarantee,
    repeat: c.repeat,
    order: c.order,
    rows: c.plan.rows,
    spec: c.spec,
    session: c.open.session,
    expected: c.expected,
    freshnessSamples: c.plan.freshnessSamples,
    keep: c.plan.keep,
    serverPids: c.serverPids,
    signal: c.signal,
    emit: c.emit,
  };
}

/** The server processes each target's runs are charged with; a note for a service whose PID is not known. */
function serverPidsByTarget(opened: OpenTarget[], plan: BenchPlan, emit: (event: BenchEvent) => void): Map<OpenTarget, number[]> {
  const dir = servicesDir(plan.cwd, plan.env);
  const pidsOf = new Map<OpenTarget, number[]>();
  for (const open of opened) {
    const pids = serverPidsFor(open.target.service, dir, plan.serverPids);
    pidsOf.set(open, pids);
    if (pids.length === 0 && open.target.service) {
      const message = `${open.config.target}: no running PID recorded for ${open.target.service} in ${dir}: its server CPU and RSS are not measured (--server-pid gives one)`;
      emit({ type: 'note', message });
    }
  }
  return pidsOf;
}

/** Repeat r starts at target r mod n. */
export function rotated<T>(items: readonly T[], repeat: number): T[] {
  const start = items.length === 0 ? 0 : repeat % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

function specOf(workload: Workload, name: string): DestinationSpec {
  const { schema, checksumColumn, keyColumns, timeColumn } = workload;
  return { name, schema, checksumColumn, keyColumns, timeColumn };
}

/**
 * `sb_<workload>_<token>_<n>`: unique per run, and per bench (a random token), so two benches or tests against the
 * same server never prepare (and so drop) each other's destinations.
 */
function destinationNames(workload: string): () => string {
  const token = Math.random().toString(36).slice(2, 7);
  const base = `sb_${workload.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_${token}`;
  let n = 0;
  return () => `${base}_${++n}`;
}

function findWorkloadIn(workloads: readonly Workload[], name: string): Workload {
  const found = workloads.find((w) => w.name === name);
  if (found) return found;
  const known = workloads.map((w) => w.name).join(', ') || 'none';
  throw ConfigError.single({ message: `unknown workload '${name}' (known: ${known})` });
}
