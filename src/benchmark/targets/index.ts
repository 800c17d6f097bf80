/** Every sink `streamlab bench` can measure: one BenchTarget per sink (see target.ts). */
import type { BenchTarget } from '../target.js';
import { mysqlTarget } from './mysql.js';
import { starrocksTarget } from './starrocks.js';

export const TARGETS: readonly BenchTarget[] = [mysqlTarget, starrocksTarget];
