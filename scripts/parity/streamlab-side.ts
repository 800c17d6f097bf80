import { join } from 'node:path';
import { buildJob } from '../../src/config/build-job.js';
import { loadJob } from '../../src/config/load-job.js';
import type { QueryProgress } from '../../src/core/progress.js';
import { StreamingQuery } from '../../src/core/query.js';
import type { Row } from '../../src/core/row.js';
import type { Sink } from '../../src/core/sink.js';
import type { BatchResult, EngineResult } from './compare.js';

/** Keeps every batch the query writes, as it is handed to a sink. */
class RecordingSink implements Sink {
  readonly description = 'ParityRecordingSink';
  readonly batches = new Map<number, Row[]>();
  async open() {}
  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    this.batches.set(batchId, rows);
  }
  async close() {}
}

/**
 * Runs a scenario's job in this process, as `streamlab run` would (loadJob + buildJob, the job's own file source
 * reading `input/` one file per batch), with availableNow and the sink swapped for a recorder. The working
 * directory is the scenario's copy, so relative paths mean the same as for the exported program.
 */
export async function runStreamlab(dir: string): Promise<EngineResult> {
  const previous = process.cwd();
  process.chdir(dir);
  try {
    const built = buildJob(loadJob(join(dir, 'job.yaml'), { cwd: dir, env: {} }));
    const sink = new RecordingSink();
    const definition = {
      ...built.query,
      sink,
      trigger: { kind: 'availableNow' as const },
      checkpointLocation: join(dir, 'streamlab-checkpoint'),
    };
    const query = new StreamingQuery(definition, { pollMs: 1 });
    const progress: QueryProgress[] = [];
    query.progress$.subscribe((p) => progress.push(p));
    await query.run();
    const columns =
      built.plan
        .filter((step) => step.kind !== 'sink')
        .at(-1)
        ?.schema.map((c) => c.name) ?? [];
    const batches: BatchResult[] = progress.map((p) => ({
      batchId: p.batchId,
      numInputRows: p.numInputRows,
      watermark: p.eventTime?.watermark ?? null,
      rows: (sink.batches.get(p.batchId) ?? []).map(toJson),
    }));
    return { columns, batches };
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0] };
  } finally {
    process.chdir(previous);
  }
}

/** A row as Spark's toJSON writes it: timestamps as ISO 8601 UTC with milliseconds, structs as objects. */
function toJson(row: Row): Record<string, unknown> {
  return JSON.parse(JSON.stringify(row, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value)));
}
