/**
 * The records every contestant of `npm run bench -- kafka` produces and reads back: RECORDS values of SIZE bytes
 * (no key), record i starting with i as a 4-byte big-endian number and filled with printable text after it, so a
 * reader can check that it got every record exactly once at the cost of one read per record.
 */

export interface Workload {
  records: number;
  size: number;
  /** Record i's value: a view into one shared buffer, made before any clock starts. */
  values: Buffer[];
}

export function makeWorkload(records: number, size: number): Workload {
  if (size < 4) throw new Error(`record size ${size}: at least 4 bytes (the record number)`);
  const all = Buffer.alloc(records * size, 'streamlab-kafka-bench ');
  const values: Buffer[] = new Array(records);
  for (let i = 0; i < records; i++) {
    const value = all.subarray(i * size, (i + 1) * size);
    value.writeUInt32BE(i, 0);
    values[i] = value;
  }
  return { records, size, values };
}

/** Counts what a consumer read and says what is wrong with it: duplicates, foreign records, missing ones. */
export class ExactlyOnceCheck {
  private readonly seen: Uint8Array;
  private duplicates = 0;
  private foreign = 0;
  count = 0;

  constructor(private readonly workload: Workload) {
    this.seen = new Uint8Array(workload.records);
  }

  add(value: Buffer | null | undefined): void {
    this.count++;
    if (!value || value.length !== this.workload.size) {
      this.foreign++;
      return;
    }
    const i = value.readUInt32BE(0);
    if (i >= this.workload.records) this.foreign++;
    else if (this.seen[i]++ > 0) this.duplicates++;
  }

  /** Undefined when every record was read exactly once; else what was wrong. */
  problem(): string | undefined {
    const missing = this.seen.reduce((n, s) => n + (s === 0 ? 1 : 0), 0);
    if (missing + this.duplicates + this.foreign === 0) return undefined;
    return `${missing} records missing, ${this.duplicates} duplicates, ${this.foreign} foreign values`;
  }
}

/** Cuts `values` into send calls of `chunk` records (a produce request must stay under the broker's 1 MB message.max.bytes). */
export function* chunks<T>(values: T[], chunk: number): Generator<T[]> {
  for (let from = 0; from < values.length; from += chunk) yield values.slice(from, from + chunk);
}

/** Runs `send` over every chunk with at most `inFlight` calls outstanding, as a sink pipelines its requests. */
export async function pipelined<T>(items: Iterable<T>, inFlight: number, send: (item: T) => Promise<unknown>): Promise<void> {
  const pending = new Set<Promise<unknown>>();
  let failure: unknown;
  for (const item of items) {
    if (failure !== undefined) break;
    const p: Promise<unknown> = send(item).then(
      () => pending.delete(p),
      (error: unknown) => {
        failure ??= error;
        pending.delete(p);
      },
    );
    pending.add(p);
    if (pending.size >= inFlight) await Promise.race(pending);
  }
  await Promise.all(pending);
  if (failure !== undefined) throw failure;
}
