/** The real runner, report, targets and workloads behind `streamlab bench` (the tests pass fakes to benchCommand). */
import { loadEnv } from '../config/env.js';
import { writeReport } from '../benchmark/report/index.js';
import { runBench } from '../benchmark/runner.js';
import { TARGETS } from '../benchmark/targets/index.js';
import { WORKLOADS } from '../benchmark/workloads.js';
import type { BenchDeps } from './bench.js';

export function realBenchDeps(): BenchDeps {
  const cwd = process.cwd();
  return {
    runBench,
    writeReport,
    targets: TARGETS,
    workloads: WORKLOADS,
    cwd,
    env: loadEnv(cwd),
    now: () => new Date(),
    stdout: process.stdout,
    stderr: process.stderr,
    onInterrupt: (handler) => {
      process.on('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
    exit: (code) => process.exit(code),
  };
}
