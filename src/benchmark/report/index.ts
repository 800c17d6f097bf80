// STAND-IN on branch bench-cli, only so that src/cli/bench-deps.ts compiles: bench-report's report/index.ts
// replaces it at merge (drop this file).
import type { BenchResults } from '../results.js';

export async function writeReport(_results: BenchResults, _dir: string): Promise<string[]> {
  throw new Error('writeReport is not merged on this branch (stand-in of bench-cli)');
}
