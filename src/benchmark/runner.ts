// STAND-IN on branch bench-cli, only so that src/cli/bench-deps.ts compiles: bench-runner's runner.ts replaces it
// at merge (drop this file).
import type { BenchEvent, BenchPlan } from './plan.js';
import type { BenchResults } from './results.js';
import type { BenchTarget } from './target.js';

export async function runBench(
  _plan: BenchPlan,
  _opts: { targets?: readonly BenchTarget[]; signal?: AbortSignal; onEvent?: (e: BenchEvent) => void },
): Promise<BenchResults> {
  throw new Error('runBench is not merged on this branch (stand-in of bench-cli)');
}
