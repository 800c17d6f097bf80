/**
 * The peer's backend (BE), after StarRocks' be/src/http/action/stream_load.cpp and runtime/stream_load:
 *
 * On the headers (before any body): Basic auth must be present ("no valid Basic authorization") and valid; database
 * and table must exist; the label (header `label`, or a generated one) begins a transaction, unless a transaction
 * that is not ABORTED holds it: then `Label Already Exists` with ExistingJobStatus RUNNING (PREPARE/PREPARED) or
 * FINISHED (COMMITTED/VISIBLE). An aborted label can be used again, as in StarRocks' DatabaseTransactionMgr.
 * Only then `100 Continue`, and the body is read and parsed (parse.ts). If filtered / (total - unselected) exceeds
 * max_filter_ratio (default 0) the transaction aborts with "too many filtered rows"; otherwise the rows and the
 * VISIBLE state commit together (store.ts). Every answer is HTTP 200 with StarRocks' JSON (StreamLoadContext::to_json);
 * filtered rows are listed behind ErrorURL (`GET /api/_load_error_log?file=...`).
 *
 * A client that goes away before its body is complete, at any moment (before, during or after the label's
 * transaction begins): StarRocks' BE cancels the body pipe (StreamLoadAction::free_handler_ctx), the load fragment
 * fails, and the last reference to the load's context rolls the transaction back (~StreamLoadContext calls
 * rollback_txn while need_rollback is set). The peer aborts the transaction too. A client that goes away after the
 * whole body arrived does not stop the load: it commits. The transaction carries the load's `timeout` (default 600,
 * stream_load_default_timeout_second), after which the FE aborts it if it is still PREPARE (store.ts).
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { authenticates, parseBasicAuth, sendJson, type LoggedRequest } from './http-util.js';
import { BodyError, parseBody, type ParsedBody } from './parse.js';
import type { PeerStore, TxnState } from './store.js';

export interface Faults {
  /** Answer the next loads with `Fail` and this message (the transaction is aborted). */
  failures: string[];
  /** Commit the next loads, then drop the connection without an answer (a lost response). */
  dropAnswers: number;
  /** Begin the next loads' transactions, then drop the connection without rolling back, as a BE that crashed. */
  orphans: number;
  /** Hold the next loads after their transaction began, before `100 Continue`: tell the test, wait for release. */
  holds: LoadHold[];
}

export interface LoadHold {
  reached(label: string): void;
  released: Promise<void>;
}

/** Default of the `timeout` header: the FE's stream_load_default_timeout_second. */
const DEFAULT_TIMEOUT_S = 600;

export interface BeOptions {
  users: Record<string, string>;
  store: PeerStore;
  log: LoggedRequest[];
  faults: Faults;
  /** host:port of this BE, for ErrorURL. */
  selfAddress: () => string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL = /^[-_A-Za-z0-9:]{1,128}$/;

interface LoadContext {
  TxnId: number;
  Label: string;
  Status: string;
  ExistingJobStatus?: string;
  Message: string;
  NumberTotalRows: number;
  NumberLoadedRows: number;
  NumberFilteredRows: number;
  NumberUnselectedRows: number;
  LoadBytes: number;
  LoadTimeMs: number;
  BeginTxnTimeMs: number;
  StreamLoadPlanTimeMs: number;
  ReadDataTimeMs: number;
  WriteDataTimeMs: number;
  CommitAndPublishTimeMs: number;
  ErrorURL?: string;
}

export function createBe(options: BeOptions): http.Server & { errorLogs: Map<string, string> } {
  const errorLogs = new Map<string, string>();
  let beginLock: Promise<unknown> = Promise.resolve();
  /** Label check and transaction begin, one at a time, so two loads with one label cannot both begin. */
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = beginLock.then(work, work);
    beginLock = next.catch(() => undefined);
    return next;
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, expectsContinue: boolean) => {
    const entry: LoggedRequest = {
      server: 'be',
      method: req.method ?? '',
      url: req.url ?? '',
      headers: { ...req.headers },
      bodyBytes: 0,
      continued: false,
    };
    options.log.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    const url = new URL(req.url ?? '/', 'http://be');
    const load = /^\/api\/([^/]+)\/([^/]+)\/_stream_load$/.exec(url.pathname);
    if (load && req.method === 'PUT') {
      streamLoad(req, res, expectsContinue, decodeURIComponent(load[1]), decodeURIComponent(load[2]), entry).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { status: 'FAILED', msg: String(error) });
      });
    } else if (url.pathname === '/api/_load_error_log' && req.method === 'GET') {
      const text = errorLogs.get(url.searchParams.get('file') ?? '');
      res.writeHead(text === undefined ? 404 : 200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(text ?? 'no such error log\n');
    } else {
      sendJson(res, 404, { status: 'FAILED', msg: `no handler for ${req.method} ${url.pathname}` });
    }
  };

  async function streamLoad(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    expectsContinue: boolean,
    db: string,
    table: string,
    entry: LoggedRequest,
  ): Promise<void> {
    // Listened for before anything is awaited, so a client that goes away at any moment is seen.
    let clientGone = false;
    const gone = new Promise<void>((resolve) =>
      res.once('close', () => {
        if (!res.writableFinished) clientGone = true;
        resolve();
      }),
    );
    const started = Date.now();
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const ctx: LoadContext = {
      TxnId: -1,
      Label: header('label') || randomUUID(),
      Status: 'Success',
      Message: 'OK',
      NumberTotalRows: 0,
      NumberLoadedRows: 0,
      NumberFilteredRows: 0,
      NumberUnselectedRows: 0,
      LoadBytes: 0,
      LoadTimeMs: 0,
      BeginTxnTimeMs: 0,
      StreamLoadPlanTimeMs: 0,
      ReadDataTimeMs: 0,
      WriteDataTimeMs: 0,
      CommitAndPublishTimeMs: 0,
    };
    const reply = (fields: Partial<LoadContext>, bodyRead: boolean) => {
      Object.assign(ctx, fields);
      ctx.LoadTimeMs = Date.now() - started;
      // Answered before the body was read: the connection cannot be reused.
      sendJson(res, 200, ctx, bodyRead ? {} : { Connection: 'close' });
    };
    const fail = (message: string, bodyRead = false) => reply({ Status: 'Fail', Message: message }, bodyRead);

    // 1. Headers: auth, database, table, label.
    const credentials = parseBasicAuth(req);
    if (!credentials) return fail('no valid Basic authorization');
    if (!authenticates(options.users, credentials))
      return fail(`Access denied for ${credentials.user}@${req.socket.remoteAddress?.replace(/^::ffff:/, '')}`);
    if (!IDENTIFIER.test(db) || !(await options.store.databaseExists(db))) return fail(`unknown database, database=${db}`);
    const columns = IDENTIFIER.test(table) ? await options.store.columns(db, table) : [];
    if (columns.length === 0) return fail(`unknown table "${db}.${table}"`);
    if (!LABEL.test(ctx.Label)) return fail(`Invalid label format: ${ctx.Label}. Labels match ${LABEL.source}`);
    const maxFilterRatio = Number(header('max_filter_ratio') ?? '0');
    const timeoutS = header('timeout') === undefined ? DEFAULT_TIMEOUT_S : Number(header('timeout'));
    if (!Number.isInteger(timeoutS) || timeoutS < 0) return fail('Invalid timeout format');

    // 2. Begin the transaction under the label.
    const begun = await serialized(async () => {
      const existing = await options.store.labelTxn(db, ctx.Label);
      if (existing && existing.state !== 'ABORTED') return { existing: existing.state };
      return { txnId: await options.store.beginTxn(db, ctx.Label, 'PREPARE', timeoutS) };
    });
    if ('existing' in begun) {
      const finished: TxnState[] = ['COMMITTED', 'VISIBLE'];
      return reply(
        {
          Status: 'Label Already Exists',
          ExistingJobStatus: finished.includes(begun.existing!) ? 'FINISHED' : 'RUNNING',
          Message: `Label [${ctx.Label}] has already been used.`,
        },
        false,
      );
    }
    ctx.TxnId = begun.txnId!;
    const abort = (reason: string) => options.store.abortTxn(ctx.TxnId, reason);
    const hold = options.faults.holds.shift();
    if (hold) {
      hold.reached(ctx.Label);
      await Promise.race([hold.released, gone]);
    }
    if (options.faults.orphans > 0) {
      options.faults.orphans--;
      req.socket.destroy(); // the BE "crashes": nobody rolls back, the FE's timeout will
      return;
    }
    if (clientGone) {
      await abort('Cancelled: the client went away before sending the body');
      return;
    }

    // 3. The body: only now `100 Continue`.
    if (expectsContinue) {
      entry.continued = true;
      res.writeContinue();
    }
    const chunks: Buffer[] = [];
    const complete = await new Promise<boolean>((resolve) => {
      req.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        entry.bodyBytes += chunk.length;
      });
      req.on('end', () => resolve(true));
      req.on('error', () => resolve(false));
      void gone.then(() => resolve(req.complete));
    });
    if (!complete) return void (await abort('Cancelled: the client went away before the body was complete'));
    const body = Buffer.concat(chunks);
    ctx.LoadBytes = body.length;

    const injected = options.faults.failures.shift();
    if (injected !== undefined) {
      await abort(injected);
      return fail(injected, true);
    }

    // 4. Parse, filter, apply max_filter_ratio.
    let parsed: ParsedBody;
    try {
      parsed = parseBody(body, req.headers, columns, table);
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      await abort(error.message);
      return fail(error.message, true);
    }
    ctx.NumberTotalRows = parsed.total;
    ctx.NumberFilteredRows = parsed.filtered.length;
    if (parsed.filtered.length > 0) {
      const file = `__shard_0/error_log_insert_stmt_${ctx.TxnId}`;
      errorLogs.set(file, `${parsed.filtered.join('\n')}\n`);
      ctx.ErrorURL = `http://${options.selfAddress()}/api/_load_error_log?file=${encodeURIComponent(file)}`;
    }
    const selected = parsed.total - ctx.NumberUnselectedRows;
    if (selected > 0 && parsed.filtered.length / selected > maxFilterRatio) {
      await abort('too many filtered rows');
      return fail('too many filtered rows', true);
    }

    // 5. Commit rows and VISIBLE together.
    try {
      await options.store.commitRows(ctx.TxnId, db, table, parsed.columns, parsed.rows);
    } catch (error) {
      await abort(String(error));
      return fail(`write failed: ${(error as Error).message}`, true);
    }
    ctx.NumberLoadedRows = parsed.rows.length;
    if (options.faults.dropAnswers > 0) {
      options.faults.dropAnswers--;
      req.socket.destroy(); // committed, but the client never hears of it
      return;
    }
    reply({}, true);
  }

  const server = http.createServer((req, res) => handle(req, res, false)) as http.Server & { errorLogs: Map<string, string> };
  server.on('checkContinue', (req, res) => handle(req, res, true));
  server.errorLogs = errorLogs;
  return server;
}
