/**
 * A bench workload: a deterministic generator that is also a source of its own (usable in jobs), so the bench
 * writes through the same pipeline a job would. `rows(from, count)` gives exactly the rows the source gives for
 * offsets [from, from + count): the bench uses it for the baselines (the same rows, in the same batches) and to
 * compute the expected row count and checksum that every read-back is compared with.
 */
import type { Row } from '../core/row.js';
import type { Schema } from '../core/schema.js';

export interface Workload {
  /** `tsbs-cpu`, `sensor`, `wide`. */
  name: string;
  summary: string;
  /** What `scale` means for this workload (`hosts`, `sensors`), or undefined when it has none. */
  scaleMeaning?: string;
  defaultScale: number;
  /** The job's `source:` block that produces `rows` rows in total, all available at once (a bounded source). */
  source(rows: number, scale: number): Record<string, unknown> & { type: string };
  schema: Schema;
  /** A long column whose sum is the checksum. */
  checksumColumn: string;
  /** Tag / key columns (TSBS tags): InfluxDB tags, part of the Cassandra / MySQL primary key with the time column. */
  keyColumns: string[];
  timeColumn: string;
  /** The rows at offsets [from, from + count), exactly as the source gives them. */
  rows(from: number, count: number, scale: number): Row[];
}
