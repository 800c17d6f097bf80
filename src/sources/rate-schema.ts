import type { Schema } from '../core/schema.js';

/** The columns of Spark's rate sources (`rate` and `rate-micro-batch`): `timestamp`, then `value`. */
export const RATE_SCHEMA: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'value', type: 'long' },
];
