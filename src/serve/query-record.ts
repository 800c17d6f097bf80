import type { QueryProgress } from '../core/progress.js';
import { redact } from '../core/redact.js';
import type { OpenWindow } from './open-windows.js';

/** Where a query is in its life, as the UI and the API show it. */
export type QueryStatus = 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

/** A warning or error the query logged (retries, a failure), kept for the UI, secrets already redacted. */
export interface LogEntry {
  time: string;
  level: 'warn' | 'error';
  message: string;
}

/** What the UI and the API send about one query. */
export interface QuerySnapshot {
  name: string;
  status: QueryStatus;
  id?: string;
  runId?: string;
  startedAt?: string;
  endedAt?: string;
  error?: string;
  /** The plan as `streamlab explain` prints it (secrets shown as ***). */
  explain: string;
  /** Whether the API can start and restart this query (serve) or only stop it (run --ui). */
  restartable: boolean;
  /** The most recent progress objects, oldest first (at most `historySize`). */
  progress: QueryProgress[];
  /** Windowed queries: the windows open in the state after each batch of `progress` (same batches). */
  windows: BatchWindows[];
  errors: LogEntry[];
}

/** The event-time windows open in the state after one batch. */
export interface BatchWindows {
  batchId: number;
  open: OpenWindow[];
}

/** What the hub tells its listeners (the SSE clients, the metrics). */
export type QueryEvent =
  | { type: 'progress'; name: string; progress: QueryProgress; windows?: BatchWindows }
  | { type: 'status'; name: string; status: QueryStatus; error?: string }
  | { type: 'log'; name: string; entry: LogEntry };

const MAX_ERRORS = 50;

/**
 * One query's history for the UI: its status, its recent progress objects (a bounded ring, so a query that runs for
 * days keeps a constant footprint) and its last warnings and errors. It outlives the run, so a stopped or failed query
 * still shows its final state. Everything it keeps is already redacted.
 */
export class QueryRecord {
  status: QueryStatus = 'starting';
  id: string | undefined;
  runId: string | undefined;
  startedAt: string | undefined;
  endedAt: string | undefined;
  error: string | undefined;
  private progress: QueryProgress[] = [];
  private windows: BatchWindows[] = [];
  private errors: LogEntry[] = [];

  constructor(
    readonly name: string,
    public explain: string,
    readonly restartable: boolean,
    private readonly historySize: number,
    private readonly emit: (event: QueryEvent) => void,
  ) {}

  /** A new run of this query begins: its history is that of the new run. */
  begin(): void {
    this.progress = [];
    this.windows = [];
    this.errors = [];
    this.error = undefined;
    this.endedAt = undefined;
    this.startedAt = new Date().toISOString();
    this.setStatus('starting');
  }

  addProgress(progress: QueryProgress, open?: OpenWindow[]): void {
    this.id = progress.id;
    this.runId = progress.runId;
    if (this.status === 'starting') this.setStatus('running');
    this.progress.push(progress);
    if (this.progress.length > this.historySize) this.progress.shift();
    const windows = open ? { batchId: progress.batchId, open } : undefined;
    if (windows) {
      this.windows.push(windows);
      if (this.windows.length > this.historySize) this.windows.shift();
    }
    this.emit({ type: 'progress', name: this.name, progress, ...(windows ? { windows } : {}) });
  }

  addLog(level: LogEntry['level'], message: string): void {
    const entry = { time: new Date().toISOString(), level, message: redact(message) };
    this.errors.push(entry);
    if (this.errors.length > MAX_ERRORS) this.errors.shift();
    this.emit({ type: 'log', name: this.name, entry });
  }

  setStatus(status: QueryStatus, error?: unknown): void {
    this.status = status;
    if (status === 'stopped' || status === 'failed') this.endedAt = new Date().toISOString();
    if (error !== undefined) this.error = redact(error instanceof Error ? error.message : String(error));
    this.emit({ type: 'status', name: this.name, status, ...(this.error ? { error: this.error } : {}) });
  }

  /** Progress of one batch of the current run, if it is still in the history. */
  batch(batchId: number): QueryProgress | undefined {
    for (let i = this.progress.length - 1; i >= 0; i--) if (this.progress[i].batchId === batchId) return this.progress[i];
    return undefined;
  }

  snapshot(): QuerySnapshot {
    return {
      name: this.name,
      status: this.status,
      ...(this.id ? { id: this.id, runId: this.runId } : {}),
      ...(this.startedAt ? { startedAt: this.startedAt } : {}),
      ...(this.endedAt ? { endedAt: this.endedAt } : {}),
      ...(this.error ? { error: this.error } : {}),
      explain: this.explain,
      restartable: this.restartable,
      progress: [...this.progress],
      windows: [...this.windows],
      errors: [...this.errors],
    };
  }
}
