import { failOnBadRecord, type BadRecordHandler } from '../../core/bad-records.js';
import http from 'node:http';
import { errorMessage, RuntimeError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { describeRetry, retriesFor, withRetry, type RetryPolicy } from '../../core/retry.js';
import type { Row } from '../../core/row.js';
import type { Sink, SinkContext } from '../../core/sink.js';
import { sleepUnlessStopped, StopRequestedError } from '../../core/stop.js';
import type { ColumnBinding } from '../../connectors/mysql/columns.js';
import { UnfitRowError } from '../../connectors/mysql/statements.js';
import { encodeBodies } from './body.js';
import { createTableIfAsked, createTableSqlFor, type CreateTable } from './create.js';
import { HttpTransportError } from './http.js';
import { labelPrefixOf, loadLabel } from './label.js';
import { settleLabel } from './label-wait.js';
import { isFilteredFailure, isRetriableFailure, isRetriableTransport, outcomeOf } from './outcome.js';
import { StreamLoadClient, UnexpectedAnswerError, type StreamLoadResult } from './stream-load.js';

export interface StreamLoadSinkConfig {
  feHost: string;
  httpPort: number;
  mysqlPort: number;
  user: string;
  password: string;
  database: string;
  table: string;
  columns: readonly ColumnBinding[];
  format: 'json' | 'csv';
  maxFilterRatio: number;
  /** Seconds; the `timeout` header. */
  timeout: number;
  /** Seconds to wait for an earlier load under a label that stays open and cannot be cancelled; default timeout + 60. */
  labelWaitTimeout?: number;
  properties: Record<string, string>;
  /** Default: the job name. */
  labelPrefix?: string;
  maxBytesPerLoad: number;
  create?: CreateTable;
  retry: RetryPolicy;
  /** Injected by tests (no real waiting). */
  sleep?: (ms: number) => Promise<void>;
}

/** A failed attempt, with whether another attempt could succeed. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = 'AttemptError';
  }
}

const isRetriable = (error: unknown): boolean => (error instanceof AttemptError ? error.retriable : isRetriableTransport(error));

/**
 * The `starrocks` sink in `stream_load` mode. Per batch: the rows become one body (or a few, above maxBytesPerLoad),
 * each loaded with `PUT /api/{db}/{table}/_stream_load` under the label <prefix>-<query tag>-<batch id>-<part>.
 *
 * Exactly once, by labels: a replayed batch has the same labels, so StarRocks answers `Label Already Exists` instead
 * of loading again, and the sink asks get_load_state what became of that earlier load:
 *   VISIBLE / COMMITTED  the rows are in: done;
 *   PREPARE / PREPARED   left open by an earlier attempt: cancelled, then loaded again; if it cannot be cancelled,
 *                        waited for (bounded by labelWaitTimeout, ended at once by a stop): label-wait.ts;
 *   ABORTED              it failed: load again, under the same label (StarRocks frees a label when its
 *                        transaction aborts; a new label would let a later replay load the rows a second time);
 *   UNKNOWN              contradicts "already exists" (another database? label expired?): an error.
 * The same happens inside one run when an answer is lost (connection reset after the BE committed): the retry meets
 * its own label.
 */
export class StreamLoadSink implements Sink {
  readonly description: string;
  private readonly client: StreamLoadClient;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  private readonly headers: Record<string, string>;
  private logger: Logger = silentLogger;
  private context!: SinkContext;
  private badRecords: BadRecordHandler = failOnBadRecord;

  constructor(private readonly config: StreamLoadSinkConfig) {
    const { feHost, httpPort, database, table, format } = config;
    this.client = new StreamLoadClient(config, this.agent);
    this.description = `StarRocksStreamLoad[${feHost}:${httpPort}/${database}.${table}, format=${format}]`;
    this.headers = {
      format,
      ...(format === 'json' ? { strip_outer_array: 'true' } : {}),
      columns: config.columns.map((c) => c.table).join(','),
      max_filter_ratio: String(config.maxFilterRatio),
      timeout: String(config.timeout),
      ...config.properties,
    };
  }

  async open(context: SinkContext): Promise<void> {
    this.context = context;
    this.logger = context.logger;
    this.badRecords = context.badRecords ?? failOnBadRecord;
    if (this.config.create) await createTableIfAsked(this.config, this.config.create, this.config.columns);
    await this.checkFe();
  }

  /**
   * Fails at start, not at the first batch, when the FE is not there, refuses the credentials or does not know the
   * database: get_load_state of a label nobody uses answers UNKNOWN only when all three are right. Retried while the
   * FE cannot be reached (it may be starting).
   */
  private async checkFe(): Promise<void> {
    const label = `${this.config.labelPrefix ?? labelPrefixOf(this.context.queryName)}-check`;
    const policy = retriesFor(this.config.retry, this.context);
    await withRetry(() => this.client.loadState(label, 10_000), policy, {
      isRetriable: isRetriableTransport,
      sleep: this.config.sleep,
      onRetry: (error, attempt, delayMs) =>
        this.logger.warn(`starrocks sink: FE ${this.client.feUrl}: ${errorMessage(error)}; ${describeRetry(attempt, delayMs, policy)}`),
    }).catch((error: unknown) => {
      throw new RuntimeError(
        `starrocks sink: cannot load into ${this.config.database}.${this.config.table} through FE ${this.client.feUrl}: ${errorMessage(error)}.${this.hint(error)}`,
        { cause: error },
      );
    });
  }

  private hint(error: unknown): string {
    if (error instanceof UnexpectedAnswerError && (error.answer.status === 401 || error.answer.status === 403))
      return ' Check user and password in the sink options or its profile.';
    if (error instanceof HttpTransportError)
      return ' Is StarRocks running, and are feHost/httpPort those of an FE (and the BE address it redirects to reachable)?';
    if (/unknown database/i.test(errorMessage(error)))
      return ` Create it over the MySQL port (${this.config.feHost}:${this.config.mysqlPort}): CREATE DATABASE \`${this.config.database}\``;
    return '';
  }

  async foreachBatch(rows: Row[], batchId: number): Promise<void> {
    if (rows.length === 0) return;
    const bodies = this.encode(rows, batchId);
    if (bodies.length === 0) return;
    const prefix = this.config.labelPrefix ?? labelPrefixOf(this.context.queryName);
    for (let part = 0; part < bodies.length; part++) {
      await this.loadPart(loadLabel(prefix, this.context.queryId, batchId, part), bodies[part], batchId);
    }
  }

  /**
   * The load bodies of a batch. A row with a value StarRocks cannot take (NaN, a year past 9999, a tab in a csv
   * body) goes to the onBadRecord policy before anything is sent: `fail` stops the batch naming row and column;
   * `skip` and `deadLetter` leave it out. The same rows leave out the same rows, so a replay sends the same bodies
   * under the same labels.
   */
  private encode(rows: Row[], batchId: number): Buffer[] {
    const { columns, format, maxBytesPerLoad, database, table } = this.config;
    let fit = rows;
    const original: number[] = rows.map((_, r) => r);
    for (;;) {
      try {
        return fit.length === 0 ? [] : encodeBodies(fit, columns, format, maxBytesPerLoad);
      } catch (error) {
        if (!(error instanceof UnfitRowError)) throw error;
        const r = original[error.row];
        this.badRecords.report({
          raw: rows[r],
          reason: `column ${error.unfit.column} of ${database}.${table}: ${error.unfit.reason}`,
          where: `starrocks sink: batch ${batchId}, row ${r + 1}`,
          position: { row: r },
        });
        fit = fit.filter((_, i) => i !== error.row);
        original.splice(error.row, 1);
      }
    }
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private where(label: string): string {
    return `${this.config.database}.${this.config.table} (label ${label}, FE ${this.client.feUrl})`;
  }

  private loadPart(label: string, body: Buffer, batchId: number): Promise<void> {
    return withRetry(() => this.attempt(label, body, batchId), this.config.retry, {
      isRetriable,
      // A stop ends the backoff at once: the batch is not committed and is re-run on the next start.
      sleep: (ms) =>
        sleepUnlessStopped(
          ms,
          this.context.stopSignal,
          () => `stopped before retrying batch ${batchId} into ${this.where(label)}`,
          this.config.sleep,
        ),
      onRetry: (error, attempt, delayMs) =>
        this.logger.warn(
          `starrocks sink: batch ${batchId} into ${this.where(label)}: ${errorMessage(error)}; ${describeRetry(attempt, delayMs, this.config.retry)}`,
        ),
    }).catch((error: unknown) => {
      if (error instanceof RuntimeError || error instanceof StopRequestedError) throw error;
      throw new RuntimeError(
        `starrocks sink: Stream Load of batch ${batchId} into ${this.where(label)} failed: ${errorMessage(error)}.${this.hint(error)}`,
        { cause: error },
      );
    });
  }

  /** One attempt: load; on a label conflict, settle what the earlier load did (and load again if it aborted). */
  private async attempt(label: string, body: Buffer, batchId: number): Promise<void> {
    const timeoutMs = (this.config.timeout + 60) * 1000;
    const { result } = await this.client.load(label, body, this.headers, timeoutMs);
    switch (outcomeOf(result)) {
      case 'loaded':
        return this.loaded(label, result);
      case 'label-exists': {
        const state = await settleLabel(label, batchId, {
          client: this.client,
          database: this.config.database,
          logger: this.logger,
          loadTimeoutS: this.config.timeout,
          maxWaitS: this.config.labelWaitTimeout ?? this.config.timeout + 60,
          stopSignal: this.context.stopSignal,
          sleep: this.config.sleep,
        });
        if (state === 'loaded') {
          this.logger.info(
            `starrocks sink: ${this.where(label)} was already loaded by an earlier attempt (${result.ExistingJobStatus ?? 'FINISHED'}); not loaded again`,
          );
          return;
        }
        throw new AttemptError(`the earlier load under label ${label} was aborted; loading again under the same label`, true);
      }
      case 'failed':
        throw this.failure(label, result);
    }
  }

  private loaded(label: string, result: StreamLoadResult): void {
    if (result.Status === 'Publish Timeout')
      this.logger.info(`starrocks sink: ${this.where(label)} committed; visible once published (Publish Timeout)`);
    if ((result.NumberFilteredRows ?? 0) > 0) {
      this.logger.warn(
        `starrocks sink: ${this.where(label)}: ${result.NumberFilteredRows} of ${result.NumberTotalRows} rows were filtered out (within maxFilterRatio ${this.config.maxFilterRatio}); why: ${result.ErrorURL ?? '(no ErrorURL)'}`,
      );
    }
  }

  private failure(label: string, result: StreamLoadResult): Error {
    const message = result.Message ?? '(no message)';
    if (isFilteredFailure(message)) {
      return new RuntimeError(
        `starrocks sink: ${this.where(label)} refused the load: ${message} (${result.NumberFilteredRows ?? '?'} of ${result.NumberTotalRows ?? '?'} rows unfit, maxFilterRatio ${this.config.maxFilterRatio}). ` +
          `The rejected rows and why: ${result.ErrorURL ?? '(the BE gave no ErrorURL)'} . Not retried: the same rows would be filtered again; fix the data or the table, or raise maxFilterRatio.`,
      );
    }
    const retriable = isRetriableFailure(message);
    // An unknown table: show the DDL that would create it (over the MySQL port; Stream Load has no DDL).
    const ddl = /unknown table/i.test(message)
      ? `. Create it over the MySQL port (${this.config.feHost}:${this.config.mysqlPort}), for example:\n\n${this.createTableSql()};\n`
      : '';
    return new AttemptError(
      `Stream Load status ${result.Status}: ${message}${result.ErrorURL ? ` (details: ${result.ErrorURL})` : ''}${ddl}`,
      retriable,
    );
  }

  /** The `create` option's DDL, or a duplicate-key table keyed and distributed on the first column. */
  private createTableSql(): string {
    const first = this.config.columns[0].table;
    return createTableSqlFor(
      this.config,
      this.config.create ?? { duplicateKey: [first], distributedBy: [first], replicationNum: 1 },
      this.config.columns,
    );
  }
}
