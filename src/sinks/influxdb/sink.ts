import { HttpError } from '@influxdata/influxdb-client';
import { failOnBadRecord, type BadRecordHandler } from '../../core/bad-records.js';
import { errorMessage, RuntimeError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { DEFAULT_RETRY, describeRetry, retriesFor, withRetry, type RetryPolicy } from '../../core/retry.js';
import type { Row } from '../../core/row.js';
import type { OutputMode, Sink, SinkContext } from '../../core/sink.js';
import { describeWriteError, isRejection, isRetriable, parseRejection, retryAfterMs, type WriteTarget } from './errors.js';
import { CollisionCounter, CollisionError } from './collisions.js';
import { compileLineProtocol, LineError, type LinePlan, type LineSerializer, nanoDigits } from './line-protocol.js';
import { LineProtocolWriter, type WriterConfig } from './writer.js';

export interface InfluxDBSinkConfig {
  target: WriteTarget;
  token?: string;
  plan: LinePlan;
  batchSize: number;
  concurrency: number;
  gzip: boolean;
  maxRetries: number;
  timeoutMs: number;
  /** Backoff delays (from the `backoff` option) and the timer (tests replace it). Default: the shared 100 ms doubling to 10 s. */
  retry?: Partial<Omit<RetryPolicy, 'maxRetries'>> & { sleep?: (ms: number) => Promise<void> };
}

/** At most this many row numbers in a message; the count says how many there are in all. */
const LISTED_ROWS = 10;

/**
 * The `influxdb` sink. Each micro-batch becomes line protocol (one point per row, timed by the row's time column),
 * sent as requests of `batchSize` lines, `concurrency` at a time, each retried on overload and connection failures
 * (shared backoff, honouring Retry-After). `foreachBatch` resolves only when the server has acknowledged every
 * request (HTTP 204: the points are in the WAL), so a committed batch is really in the database.
 *
 * Replays: InfluxDB identifies a point by measurement, tag set and time; writing the same point again replaces its
 * fields. Since times come from the rows and a replayed batch has the same rows, re-writing batch N overwrites the
 * points of the first attempt instead of adding new ones.
 */
export class InfluxDBSink implements Sink {
  readonly description: string;
  private readonly serialize: LineSerializer;
  private readonly policy: RetryPolicy;
  private readonly sleep: ((ms: number) => Promise<void>) | undefined;
  private writer: LineProtocolWriter | undefined;
  private logger: Logger = silentLogger;
  private badRecords: BadRecordHandler = failOnBadRecord;
  private outputMode: OutputMode = 'append';

  constructor(private readonly config: InfluxDBSinkConfig) {
    const { target, plan } = config;
    this.serialize = compileLineProtocol(plan);
    const { sleep, ...delays } = config.retry ?? {};
    this.policy = { ...DEFAULT_RETRY, ...delays, maxRetries: config.maxRetries };
    this.sleep = sleep;
    this.description =
      `InfluxDBSink[${target.api} ${target.url}, ${target.api === 'v1' ? 'database' : 'bucket'}=${target.bucket}, ` +
      `measurement=${plan.measurement}, tags=${plan.tags.join(',') || '(none)'}, fields=${plan.fields.map((f) => f.name).join(',')}, ` +
      `time=${plan.time.column} (${plan.precision})]`;
  }

  /** What the sink writes: measurement, tags, fields, time (the dashboards' test reads it from the shipped jobs). */
  get plan(): LinePlan {
    return this.config.plan;
  }

  /**
   * Connects and checks address, token and bucket with an empty write (no point is written): a wrong token or an
   * unknown bucket stops the job here, before any batch. Other answers to the empty body are left to the first
   * real write, as servers differ on them.
   */
  async open(context: SinkContext): Promise<void> {
    this.logger = context.logger;
    this.badRecords = context.badRecords ?? failOnBadRecord;
    this.outputMode = context.outputMode;
    const { config } = this;
    const writerConfig: WriterConfig = {
      ...config.target,
      token: config.token,
      // Always nanoseconds: rows sharing a series and a time are kept apart in the digits below their own unit.
      precision: 'ns',
      gzip: config.gzip,
      timeoutMs: config.timeoutMs,
      concurrency: config.concurrency,
    };
    this.writer = new LineProtocolWriter(writerConfig);
    try {
      await this.withRetries(() => this.writer!.write(''), 'the connection check', undefined, retriesFor(this.policy, context));
    } catch (error) {
      if (error instanceof HttpError && ![401, 403, 404].includes(error.statusCode) && !isRetriable(error)) return;
      throw new RuntimeError(describeWriteError(error, config.target), { cause: error });
    }
  }

  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    if (rows.length === 0) return;
    const { batchSize, concurrency } = this.config;
    const requests = Math.ceil(rows.length / batchSize);
    const skipped: number[] = [];
    const collisions = new CollisionCounter(this.outputMode, nanoDigits(this.config.plan), batchId);
    let next = 0;
    let failure: unknown;
    // A small pool: each worker serializes its next request while the others wait on the network. A request is
    // serialized synchronously before its first await, and requests are taken in order, so `collisions` sees the
    // rows in batch order: a replayed batch gives every row the same time again.
    const worker = async () => {
      while (failure === undefined && next < requests) {
        const request = next++;
        try {
          const to = Math.min(rows.length, (request + 1) * batchSize);
          await this.writeRequest(rows, request * batchSize, to, batchId, request, skipped, collisions);
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
    if (failure !== undefined) throw failure;
    if (skipped.length > 0) {
      skipped.sort((a, b) => a - b);
      this.logger.warn(
        `influxdb: batch ${batchId}: ${skipped.length} row(s) without any non-null field were not written (${listRows(skipped, 'row')}): a point needs at least one field`,
      );
    }
  }

  async close(): Promise<void> {
    this.writer?.close();
    this.writer = undefined;
  }

  /** Serializes rows [from, to) and writes them as one request. */
  private async writeRequest(
    rows: Row[],
    from: number,
    to: number,
    batchId: number,
    request: number,
    skipped: number[],
    collisions: CollisionCounter,
  ): Promise<void> {
    const lines: string[] = [];
    // rowOf[k] = batch row of line k; only kept when some row was skipped (otherwise it is from + k).
    let rowOf: number[] | undefined;
    for (let r = from; r < to; r++) {
      let line: string | undefined;
      try {
        line = this.serialize(rows[r], r, collisions);
      } catch (error) {
        if (error instanceof CollisionError) {
          const [first, second] = error.rows;
          throw new RuntimeError(`influxdb sink: batch ${batchId}, rows ${first + 1} and ${second + 1} ${error.message}`);
        }
        if (!(error instanceof LineError)) throw error;
        const where = `influxdb sink: batch ${batchId}, row ${r + 1}`;
        this.badRecords.report({ raw: rows[r], reason: `column "${error.column}": ${error.message}`, where, position: { row: r } });
        rowOf ??= Array.from({ length: lines.length }, (_, k) => from + k);
        continue;
      }
      if (line === undefined) {
        skipped.push(r + 1);
        rowOf ??= Array.from({ length: lines.length }, (_, k) => from + k);
        continue;
      }
      rowOf?.push(r);
      lines.push(line);
    }
    if (lines.length === 0) return;
    const body = lines.join('\n');
    const writer = this.writer;
    if (!writer) throw new RuntimeError('influxdb sink: foreachBatch before open()');
    let attempts = 1;
    try {
      await this.withRetries(
        () => writer.write(body),
        `batch ${batchId}${request > 0 ? ` (request ${request + 1})` : ''}`,
        () => attempts++,
      );
    } catch (error) {
      const rowNumber = (k: number) => (rowOf ? rowOf[k] : from + k) + 1;
      if (isRejection(error)) {
        const message = this.describeRejection(error, lines, rowNumber, rows, from, to, batchId);
        if (message) throw new RuntimeError(message, { cause: error });
      }
      const gaveUp = isRetriable(error) ? ` (gave up after ${attempts} attempts)` : '';
      throw new RuntimeError(
        `${describeWriteError(error, this.config.target)}, while writing batch ${batchId}${gaveUp}. ` +
          'The batch is not committed: once the cause is fixed, restarting the job writes it again.',
        { cause: error },
      );
    }
  }

  private withRetries(operation: () => Promise<void>, what: string, onAttempt?: () => void, policy = this.policy): Promise<void> {
    return withRetry(operation, policy, {
      isRetriable,
      requestedDelayMs: (error) => retryAfterMs(error),
      onRetry: (error, attempt, delayMs) => {
        onAttempt?.();
        const reason = error instanceof HttpError ? `HTTP ${error.statusCode}` : errorMessage(error);
        this.logger.warn(`influxdb: ${what} failed (${reason}) at ${this.config.target.url}; ${describeRetry(attempt, delayMs, policy)}`);
      },
      ...(this.sleep ? { sleep: this.sleep } : {}),
    });
  }

  /** The rows (1-based, in the batch) and lines (in the request) the server refused, and its reasons. */
  private describeRejection(
    error: HttpError,
    lines: string[],
    rowNumber: (line: number) => number,
    rows: Row[],
    from: number,
    to: number,
    batchId: number,
  ): string | undefined {
    const rejection = parseRejection(error, lines);
    let rowNumbers = rejection.indexes.map(rowNumber);
    const lineNumbers = rejection.indexes.map((k) => k + 1);
    if (rejection.conflictField) {
      // A type conflict refuses every point that has the field: those are the rows where it is not null.
      const field = rejection.conflictField;
      rowNumbers = [];
      for (let r = from; r < to; r++) if (rows[r][field] !== null && rows[r][field] !== undefined) rowNumbers.push(r + 1);
    }
    if (rowNumbers.length === 0 && !rejection.conflictField) return undefined;
    const { target, plan } = this.config;
    // `dropped=` counts points refused after parsing (type conflicts, retention), not lines that did not parse.
    const count = rejection.conflictField && rejection.dropped !== undefined ? rejection.dropped : rowNumbers.length;
    const where = `${target.api === 'v1' ? 'database' : 'bucket'} "${target.bucket}", measurement "${plan.measurement}"`;
    const lineText = lineNumbers.length ? ` (line${lineNumbers.length > 1 ? 's' : ''} ${listRows(lineNumbers)} of the request)` : '';
    const fix = rejection.conflictField
      ? `a field keeps the type of its first value in a shard: cast the column (withColumn ... double(...)/int(...)) or write to a new measurement`
      : 'fix or filter those rows';
    return (
      `InfluxDB at ${target.url} rejected ${count} point(s) of batch ${batchId} (${where}): ${listRows(rowNumbers, 'row')}${lineText}: ` +
      `${rejection.reasons.join('; ')}. The other points of the request were written. ${fix}; the batch is not committed and the job stops.`
    );
  }
}

function listRows(numbers: number[], noun?: string): string {
  const shown = numbers.slice(0, LISTED_ROWS).join(', ');
  const more = numbers.length > LISTED_ROWS ? ` and ${numbers.length - LISTED_ROWS} more` : '';
  return `${noun ? `${noun}${numbers.length > 1 ? 's' : ''} ` : ''}${shown}${more}`;
}
