import type { Logger } from '../core/logger.js';
import type { StreamingQuery } from '../core/query.js';
import { openWindows } from './open-windows.js';
import { QueryRecord, type QueryEvent } from './query-record.js';

/** A query made ready to run: what `serve` gets from the CLI for a job name (loading and building live there). */
export interface LaunchedQuery {
  query: StreamingQuery;
  explain: string;
}

/** Builds a fresh query for a job each time it is (re)started; `logger` is where the query logs. */
export type Launcher = (name: string, logger: Logger) => LaunchedQuery;

/** A query the hub runs (serve) or only watches (run --ui): how to stop it and when its run ends. */
interface Running {
  query: StreamingQuery;
  done: Promise<void>;
}

/** Thrown for a request the hub cannot do; the HTTP layer maps `status` to the response code. */
export class HubError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The queries of one process, for the UI, the REST API and /metrics. Each job has a record that outlives its runs;
 * under `serve` the hub also starts, stops and restarts them, each on its own (one failing does not touch the others).
 * Listeners get every event synchronously and must not block: the engine calls in here from its batch loop.
 */
export class QueryHub {
  private readonly records = new Map<string, QueryRecord>();
  private readonly running = new Map<string, Running>();
  private readonly listeners = new Set<(event: QueryEvent) => void>();
  /** run --ui: resolves the `done` of a watched query when the CLI says its run ended. */
  private readonly finishers = new Map<string, () => void>();

  constructor(
    private readonly launcher?: Launcher,
    private readonly logger?: Logger,
    private readonly historySize = 300,
  ) {}

  listen(listener: (event: QueryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): QueryRecord[] {
    return [...this.records.values()];
  }

  get(name: string): QueryRecord {
    const record = this.records.get(name);
    if (!record) throw new HubError(404, `no query named '${name}' (known: ${[...this.records.keys()].join(', ') || 'none'})`);
    return record;
  }

  /**
   * run --ui: watch a query the CLI runs itself. Give the query the returned logger (it feeds the record's errors
   * too), then `attach` it; call `ended` when its run is over.
   */
  watch(name: string, explain: string, logger: Logger): { logger: Logger; attach(query: StreamingQuery): void } {
    const record = this.recordFor(name, explain, false);
    record.begin();
    return {
      logger: this.teeLogger(record, logger),
      attach: (query) => {
        let finish = () => {};
        const done = new Promise<void>((resolve) => {
          finish = resolve;
        });
        this.finishers.set(name, finish);
        this.follow(query, record);
        this.running.set(name, { query, done });
        record.setStatus('running');
      },
    };
  }

  /** run --ui: the watched query's run ended (with its error, if it failed). */
  ended(name: string, error?: unknown): void {
    this.running.delete(name);
    this.finishers.get(name)?.();
    this.get(name).setStatus(error === undefined ? 'stopped' : 'failed', error);
  }

  /** serve: the job is known (listed, startable) without running yet. */
  register(name: string): QueryRecord {
    return this.recordFor(name, '', true);
  }

  /** serve: starts a job; a job already running is a conflict. Resolves once its query is built (not when it ends). */
  start(name: string): QueryRecord {
    if (!this.launcher) throw new HubError(409, 'this process runs one query (streamlab run --ui): it cannot start another');
    if (this.running.has(name)) throw new HubError(409, `'${name}' is already running`);
    const record = this.recordFor(name, '', true);
    record.begin();
    const logger = this.teeLogger(record, this.prefixed(name));
    let launched: LaunchedQuery;
    try {
      launched = this.launcher(name, logger);
    } catch (error) {
      record.setStatus('failed', error);
      return record;
    }
    record.explain = launched.explain;
    record.setStatus('running');
    const { query } = launched;
    this.follow(query, record);
    const done = query.run().then(
      () => record.setStatus('stopped'),
      (error) => {
        logger.error(error instanceof Error ? error.message : String(error));
        record.setStatus('failed', error);
      },
    );
    const running = { query, done: done.finally(() => this.running.delete(name)) };
    this.running.set(name, running);
    return record;
  }

  /** Graceful: the batch in flight finishes and commits. Resolves when the run has ended. */
  async stop(name: string): Promise<QueryRecord> {
    const record = this.get(name);
    const running = this.running.get(name);
    if (!running) throw new HubError(409, `'${name}' is not running (${record.status})`);
    record.setStatus('stopping');
    running.query.stop();
    await running.done;
    return record;
  }

  async restart(name: string): Promise<QueryRecord> {
    if (this.running.has(name)) await this.stop(name);
    return this.start(name);
  }

  /** Stops every query this hub runs (serve's Ctrl-C), each gracefully. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((name) => this.stop(name).catch(() => undefined)));
  }

  /** Each batch's progress, and for windowed queries the windows open in the state after it, go to the record. */
  private follow(query: StreamingQuery, record: QueryRecord): void {
    const stateful = query.definition.operators.flatMap((o) => (o.stateful ? [o.stateful] : []));
    query.progress$.subscribe({ next: (p) => record.addProgress(p, stateful.length > 0 ? openWindows(stateful) : undefined) });
  }

  private recordFor(name: string, explain: string, restartable: boolean): QueryRecord {
    let record = this.records.get(name);
    if (!record) {
      record = new QueryRecord(name, explain, restartable, this.historySize, (event) => this.emit(event));
      this.records.set(name, record);
    }
    return record;
  }

  private emit(event: QueryEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** The query's logger: every line to `logger`, warnings and errors also to the record. */
  private teeLogger(record: QueryRecord, logger: Logger): Logger {
    return {
      info: (m) => logger.info(m),
      warn: (m) => {
        logger.warn(m);
        record.addLog('warn', m);
      },
      error: (m) => {
        logger.error(m);
        record.addLog('error', m);
      },
    };
  }

  private prefixed(name: string): Logger {
    const logger = this.logger;
    return {
      info: (m) => logger?.info(`[${name}] ${m}`),
      warn: (m) => logger?.warn(`[${name}] ${m}`),
      error: (m) => logger?.error(`[${name}] ${m}`),
    };
  }
}
