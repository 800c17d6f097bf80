// STAND-IN on branch bench-cli, only so that src/cli/bench-deps.ts compiles: bench-runner's targets/index.ts
// replaces it at merge (drop this file).
import type { BenchTarget } from '../target.js';

export const TARGETS: readonly BenchTarget[] = [];
