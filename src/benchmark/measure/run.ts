/**
 * One run: a fresh destination, one writer (the sink, or the baseline) through all batches while this process and the
 * server are sampled, freshness polled, then the read-back verified, the disk size taken and the destination dropped
 * (unless keep). A failure is the run's `error`, never the bench's: the caller goes on with the next run.
 */
import { performance } from 'node:perf_hooks';
import { redact } from '../../core/redact.js';
import type { BenchEvent, Guarantee } from '../plan.js';
import type { BenchRun } from '../results.js';
import type { Destination, DestinationSpec, TargetSession } from '../target.js';
import { batchSlices, type BatchSlice } from './batches.js';
import { ClientSampler } from './client-resources.js';
import type { ExpectedRows } from './expected.js';
import { FreshnessProbe, freshnessBatches } from './freshness.js';
import { startServerSampler } from './server-resources.js';
import type { DriveHooks, WriteTimings } from './timings.js';
import { notVerified, verify } from './verify.js';

export interface RunRequest {
  target: string;
  sink: string;
  writer: 'sink' | 'baseline';
  baseline?: string;
  batchSize: number;
  guarantee: Guarantee;
  repeat: number;
  order: number;
  /** Measured rows (the plan's `rows`). */
  rows: number;
  spec: DestinationSpec;
  session: TargetSession;
  expected: ExpectedRows;
  freshnessSamples: number;
  keep: boolean;
  serverPids: number[];
  signal?: AbortSignal;
  emit: (event: BenchEvent) => void;
  write(destination: Destination, slices: BatchSlice[], hooks: DriveHooks): Promise<WriteTimings>;
}

export async function measureRun(req: RunRequest): Promise<BenchRun> {
  const slices = batchSlices(req.batchSize, req.rows);
  const totalRows = slices.at(-1)!.rowsThrough;
  const { target, writer, batchSize, guarantee, repeat } = req;
  req.emit({ type: 'run-start', target, writer, batchSize, guarantee, repeat, totalRows });
  const startedAt = new Date().toISOString();
  let destination: Destination | undefined;
  let run: BenchRun;
  try {
    destination = await req.session.prepare(req.spec);
    run = await measureInto(req, destination, slices, startedAt);
  } catch (error) {
    run = failedRun(req, startedAt, error);
  } finally {
    if (destination && !req.keep) {
      await destination.drop().catch((error: unknown) => {
        req.emit({ type: 'note', message: `${target}: could not drop ${req.spec.name}: ${messageOf(error)}` });
      });
    }
  }
  req.emit({ type: 'run-end', run });
  return run;
}

async function measureInto(req: RunRequest, destination: Destination, slices: BatchSlice[], startedAt: string): Promise<BenchRun> {
  const totalRows = slices.at(-1)!.rowsThrough;
  const probe = new FreshnessProbe(destination, freshnessBatches(slices.length - 1, req.freshnessSamples));
  const begun = performance.now();
  const hooks: DriveHooks = {
    signal: req.signal,
    batchWritten: (batchId, rowsThrough, at) => probe.batchWritten(batchId, rowsThrough, at),
    progress: (rowsDone) => req.emit({ type: 'run-progress', rowsDone, totalRows, elapsedMs: performance.now() - begun }),
  };
  const client = new ClientSampler();
  const server = startServerSampler(req.serverPids);
  let timings: WriteTimings;
  let clientUse: BenchRun['client'];
  let serverUse: BenchRun['server'];
  try {
    timings = await req.write(destination, slices, hooks);
  } catch (error) {
    await probe.abandon();
    throw error;
  } finally {
    clientUse = client.stop();
    serverUse = server?.stop() ?? null;
  }
  const freshnessMs = timings.interrupted ? await probe.abandon() : await probe.finish();
  if (probe.failure) req.emit({ type: 'note', message: `${req.target}: a freshness poll failed: ${probe.failure}` });

  const { measuredRows } = timings;
  const bytes = req.expected.for(timings.warmupRows, measuredRows).measuredBytes;
  const expected = req.expected.for(req.batchSize, req.rows);
  const verification = timings.interrupted
    ? notVerified(expected, `interrupted after ${timings.batchesWritten} of ${slices.length} batches`)
    : verify(expected, await destination.readBack());
  const diskBytes = (await destination.diskBytes()) ?? null;
  const seconds = timings.seconds;
  return {
    ...identity(req, startedAt),
    rows: measuredRows,
    bytes,
    seconds,
    rowsPerSecond: seconds > 0 ? measuredRows / seconds : 0,
    mbPerSecond: seconds > 0 ? bytes / seconds / 1e6 : 0,
    batchLatencyMs: timings.batchLatencyMs,
    freshnessMs,
    client: clientUse,
    server: serverUse,
    diskBytes,
    verification,
    ...(timings.interrupted ? { error: 'interrupted (Ctrl-C): stopped before the last batch' } : {}),
  };
}

function identity(req: RunRequest, startedAt: string) {
  return {
    target: req.target,
    sink: req.sink,
    writer: req.writer,
    ...(req.baseline ? { baseline: req.baseline } : {}),
    batchSize: req.batchSize,
    guarantee: req.guarantee,
    repeat: req.repeat,
    order: req.order,
    startedAt,
  };
}

/** A run that threw: its error, no figures (zeros, not guesses), not verified. */
function failedRun(req: RunRequest, startedAt: string, error: unknown): BenchRun {
  const message = messageOf(error);
  return {
    ...identity(req, startedAt),
    rows: 0,
    bytes: 0,
    seconds: 0,
    rowsPerSecond: 0,
    mbPerSecond: 0,
    batchLatencyMs: [],
    freshnessMs: [],
    client: { cpuSeconds: 0, peakRssBytes: 0 },
    server: null,
    diskBytes: null,
    verification: notVerified(req.expected.for(req.batchSize, req.rows), message),
    error: message,
  };
}

/** Secrets never reach results.json or the terminal. */
export function messageOf(error: unknown): string {
  return redact(error instanceof Error ? error.message : String(error));
}
