/** Every bench target, one per sink: `streamlab bench --sinks <sink>` finds its target here by `sink`. */
import type { BenchTarget } from '../target.js';
import { memoryTarget } from './memory.js';

export const TARGETS: readonly BenchTarget[] = [memoryTarget];
