/** Every bench target, one per sink (target.ts). */
import type { BenchTarget } from '../target.js';
import { cassandraTarget } from './cassandra.js';

export const TARGETS: readonly BenchTarget[] = [cassandraTarget];
