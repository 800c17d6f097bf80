/**
 * What `streamlab bench` needs from one sink besides the sink itself: a fresh destination per run, a way to read
 * back what arrived (row count and checksum), the bytes it added on disk, the server's version and its fastest bulk
 * path as the baseline. One file per sink under targets/, listed once in targets/index.ts.
 *
 * The sink under test is built exactly as in a job (registry, profile, option schema); a target only adds the
 * destination-specific options (table, measurement, path) and the read-back. Targets connect with the same
 * connection options the sink got (`SinkConnection`), so the bench reads back from the server the sink wrote to.
 */
import type { Row } from '../core/row.js';
import type { Schema } from '../core/schema.js';

/** The sink's options after its schema parsed them (profile merged, durations in ms): host, port, url, token... */
export type SinkConnection = Record<string, unknown>;

/** What a run writes: its rows' schema and the numeric column whose sum is the checksum. */
export interface DestinationSpec {
  /** Unique per run, `[a-z0-9_]`, e.g. `sb_tsbs_cpu_3`: the table / measurement / folder name. */
  name: string;
  schema: Schema;
  /** A numeric column whose values are whole numbers (exact sums); the checksum is its sum. */
  checksumColumn: string;
  /** The tag / key columns (TSBS's tags): InfluxDB makes them tags, Cassandra/MySQL part of the primary key. */
  keyColumns: string[];
  /** The event-time column (InfluxDB's point time). */
  timeColumn: string;
}

export interface ReadBack {
  rows: number;
  /** Sum of the checksum column over every row read back. */
  checksum: number;
}

/** One fresh table / measurement / folder, for one run of the sink or of the baseline. */
export interface Destination {
  /** Options merged over the profile's for this run (e.g. `{ table: 'sb_tsbs_cpu_3', create: true }`). */
  sinkOptions: Record<string, unknown>;
  /** Rows visible to a reader now (for freshness sampling: cheap, may be approximate only if documented). */
  count(): Promise<number>;
  /** Every row's count and the checksum, as a reader sees them after the run. */
  readBack(): Promise<ReadBack>;
  /** Bytes on disk this destination holds (after a flush where the server needs one), undefined if unknowable. */
  diskBytes(): Promise<number | undefined>;
  /** Removes it (the bench keeps nothing unless --keep). */
  drop(): Promise<void>;
}

/** The server's own fastest way to take the same rows (LOAD DATA, a bare Stream Load PUT, pyarrow...). */
export interface Baseline {
  /** Short, shown in the report: `LOAD DATA LOCAL INFILE`, `hand-written line protocol`. */
  name: string;
  /**
   * Writes these batches, in order, into `destination` (prepared like the sink's; read back and verified too). The
   * runner calls it once per batch, with that one batch, so each batch has its own latency like the sink's: a call
   * adds to what earlier calls wrote into the same destination (file names, labels... must not restart per call).
   */
  write(batches: Row[][], destination: Destination, spec: DestinationSpec): Promise<void>;
}

export interface TargetSession {
  /** e.g. `MariaDB 10.11.6`, `InfluxDB 1.8.10`; undefined when the server does not say. */
  serverVersion: string | undefined;
  /** What the report says of the server when it is not the real thing (`StarRocks Stream Load test peer over MariaDB`). */
  note?: string;
  /** Creates a fresh destination. A leftover of the same name that the bench made earlier is dropped first; one with
   * another schema is refused (TargetError naming it), since it is not the bench's to drop. */
  prepare(spec: DestinationSpec): Promise<Destination>;
  baseline?: Baseline;
  close(): Promise<void>;
}

export interface BenchTarget {
  /** The sink type in the registry: `influxdb`, `mysql`, ... */
  sink: string;
  /** The profile in config/ the sink's connection comes from by default (none for parquet/file). */
  profile?: string;
  /** The `npm run services` server it writes to by default, for its PIDs and for "start it with" messages. */
  service?: string;
  /** Options of the sink that every bench run sets (e.g. parquet compression), before the destination's. */
  defaults?: Record<string, unknown>;
  /** Connects with the sink's connection; throws TargetError naming the address and how to start the server. */
  open(connection: SinkConnection): Promise<TargetSession>;
}

/** A server that is not up, a table in the way: a clear message, exit 2 from the CLI (it is the setup, not a bug). */
export class TargetError extends Error {
  override name = 'TargetError';
}
