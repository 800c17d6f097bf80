// STAND-IN on branch bench-cli, only so that src/cli/bench-deps.ts compiles: bench-workloads' workloads.ts replaces
// it at merge (drop this file).
import type { Workload } from './workload.js';

export const WORKLOADS: readonly Workload[] = [];

export function findWorkload(name: string): Workload | undefined {
  return WORKLOADS.find((w) => w.name === name);
}
