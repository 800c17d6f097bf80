/**
 * The peer's frontend (FE), after StarRocks' fe-core http/rest: RestBaseAction (auth), LoadAction
 * (`PUT /api/{db}/{table}/_stream_load`) and GetStreamLoadState (`GET /api/{db}/get_load_state?label=`).
 *
 * - Every request needs Basic auth with a known user and its password, else `401` with `WWW-Authenticate` and a
 *   RestBaseResult (`{"status":"FAILED",...,"msg":"Access denied for root@127.0.0.1"}`).
 * - A Stream Load over HTTP/1.1 must carry `Expect: 100-continue`, else the answer is a RestBaseResult with
 *   "There is no 100-continue header" (LoadAction).
 * - Otherwise the FE answers `307 Temporary Redirect` to the BE, same path and query, and closes the connection. It
 *   never sends `100 Continue`: the body is meant for the BE only.
 * - `POST /api/{db}/{label}/_cancel` (CancelStreamLoad): aborts the label's transaction if it is PREPARE, through
 *   DatabaseTransactionMgr.abortTransaction(label, "user cancel"); else a RestBaseResult with "transaction not found,
 *   label=..." or "running transaction not found, label=..." (a COMMITTED/VISIBLE or ABORTED label is not touched).
 *   Like every FE error it is HTTP 200 with status FAILED (RestBaseAction.handleRequest).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticates, parseBasicAuth, restResult, sendJson, type LoggedRequest } from './http-util.js';
import type { PeerStore } from './store.js';

export interface FeOptions {
  users: Record<string, string>;
  store: PeerStore;
  /** host:port of the BE to redirect to. */
  beAddress: () => string;
  log: LoggedRequest[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function createFe(options: FeOptions): http.Server {
  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const entry: LoggedRequest = {
      server: 'fe',
      method: req.method ?? '',
      url: req.url ?? '',
      headers: { ...req.headers },
      bodyBytes: 0,
      continued: false,
    };
    options.log.push(entry);
    req.on('data', (chunk: Buffer) => (entry.bodyBytes += chunk.length));
    res.on('finish', () => (entry.status = res.statusCode));
    route(req, res, options).catch((error: unknown) => sendJson(res, 500, restResult(String(error))));
  };
  const server = http.createServer(handle);
  // Without this listener Node would answer `100 Continue` by itself; the FE must not.
  server.on('checkContinue', handle);
  return server;
}

async function route(req: http.IncomingMessage, res: http.ServerResponse, options: FeOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fe');
  const load = /^\/api\/([^/]+)\/([^/]+)\/_stream_load$/.exec(url.pathname);
  const state = /^\/api\/([^/]+)\/get_load_state$/.exec(url.pathname);
  const cancel = /^\/api\/([^/]+)\/([^/]+)\/_cancel$/.exec(url.pathname);
  if (!(load && req.method === 'PUT') && !(state && req.method === 'GET') && !(cancel && req.method === 'POST')) {
    sendJson(res, 404, restResult(`no handler for ${req.method} ${url.pathname}`), { Connection: 'close' });
    return;
  }
  const credentials = parseBasicAuth(req);
  if (!authenticates(options.users, credentials)) {
    const message = credentials
      ? `Access denied for ${credentials.user}@${req.socket.remoteAddress?.replace(/^::ffff:/, '')}`
      : 'Need auth information.';
    sendJson(res, 401, restResult(message), { 'WWW-Authenticate': 'Basic realm=""', Connection: 'close' });
    return;
  }
  if (load) {
    if (req.httpVersion === '1.1' && (req.headers.expect ?? '').toLowerCase() !== '100-continue') {
      sendJson(res, 200, restResult('class com.starrocks.common.DdlException: There is no 100-continue header'), { Connection: 'close' });
      return;
    }
    // Same path and query on the BE; the client sends the body (and its credentials) there.
    res.writeHead(307, {
      Location: `http://${options.beAddress()}${url.pathname}${url.search}`,
      'Content-Length': '0',
      Connection: 'close',
    });
    res.end();
    return;
  }
  if (cancel) return cancelLoad(res, options.store, decodeURIComponent(cancel[1]), decodeURIComponent(cancel[2]));
  const db = decodeURIComponent(state![1]);
  const label = url.searchParams.get('label');
  if (!label) return sendJson(res, 200, restResult('No label selected.'));
  if (!IDENTIFIER.test(db) || !(await options.store.databaseExists(db)))
    return sendJson(res, 200, restResult(`unknown database, database=${db}`));
  const txn = await options.store.labelTxn(db, label);
  sendJson(res, 200, restResult(undefined, { state: txn?.state ?? 'UNKNOWN', ...(txn?.reason ? { reason: txn.reason } : {}) }));
}

async function cancelLoad(res: http.ServerResponse, store: PeerStore, db: string, label: string): Promise<void> {
  if (!IDENTIFIER.test(db) || !(await store.databaseExists(db))) return sendJson(res, 200, restResult(`unknown database, database=${db}`));
  try {
    await store.abortLabel(db, label, 'user cancel');
  } catch (error) {
    return sendJson(res, 200, restResult((error as Error).message));
  }
  sendJson(res, 200, restResult(undefined));
}

export const addressOf = (server: http.Server): string => {
  const address = server.address() as AddressInfo;
  return `${address.address}:${address.port}`;
};
