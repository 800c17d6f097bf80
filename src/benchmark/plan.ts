/**
 * What one `streamlab bench` will do, after flags or a bench file were checked (cli/bench parses; runner.ts runs).
 * Both front ends produce this; the runner knows nothing of flags or YAML.
 */
import type { Env } from '../config/env.js';
import type { BenchRun } from './results.js';

export type Guarantee = 'exactly-once' | 'none';

/** One configuration of one sink: a sweep over an option gives one per value (`influxdb concurrency=4`). */
export interface TargetConfig {
  /** Label in the report: the sink name, plus `key=value` for each swept option. */
  target: string;
  /** Sink type, as in a job's `sink.type`; also selects the BenchTarget. */
  sink: string;
  /** Profile in config/ its connection comes from (default: the BenchTarget's). */
  profile?: string;
  /** Sink options over the profile's; the destination's (table, measurement, path) go over these. */
  options: Record<string, unknown>;
}

export interface BenchPlan {
  /** The bench file's name, when run from one. */
  name?: string;
  workload: { name: string; scale: number };
  /** Measured rows per run; one warm-up batch of batchSize rows is written before them and not counted. */
  rows: number;
  batchSizes: number[];
  repeat: number;
  guarantees: Guarantee[];
  /** Also time the server's bulk path (Baseline) on the same rows. */
  baselines: boolean;
  targets: TargetConfig[];
  /** Freshness samples per run (read-back polls after chosen batches). */
  freshnessSamples: number;
  /** Keep the tables / measurements / folders written (default: dropped after being read back). */
  keep: boolean;
  /** Folder for results.json, report.html and the charts. */
  reportDir: string;
  /** Server processes to sample (--server-pid); default: those `npm run services` recorded for each target. */
  serverPids?: number[];
  /** Variables for profiles' `${VAR}`: the environment, `.env`, and with --services the servers of `services up`. */
  env: Env;
  /** Where jobs/ and config/ are looked up, as for `streamlab run`. */
  cwd: string;
}

/** What the runner tells the terminal (progress bars) while it runs. */
export type BenchEvent =
  | {
      type: 'run-start';
      target: string;
      writer: 'sink' | 'baseline';
      batchSize: number;
      guarantee: Guarantee;
      repeat: number;
      totalRows: number;
    }
  | { type: 'run-progress'; rowsDone: number; totalRows: number; elapsedMs: number }
  | { type: 'run-end'; run: BenchRun }
  | { type: 'note'; message: string };
