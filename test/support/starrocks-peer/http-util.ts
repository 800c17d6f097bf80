/** Small pieces shared by the peer's FE and BE: Basic auth, JSON replies, the request log. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Credentials {
  user: string;
  password: string;
}

/** `Authorization: Basic base64(user:password)`; the password may contain colons, the user may carry `@host`. */
export function parseBasicAuth(req: IncomingMessage): Credentials | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const [scheme, encoded, ...rest] = header.split(' ');
  if (scheme !== 'Basic' || !encoded || rest.length) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  return { user: decoded.slice(0, colon).split('@')[0], password: decoded.slice(colon + 1) };
}

export const authenticates = (users: Record<string, string>, credentials: Credentials | undefined): boolean =>
  credentials !== undefined && Object.hasOwn(users, credentials.user) && users[credentials.user] === credentials.password;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body, null, 4);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The FE's RestBaseResult: {status, code, msg, message}. */
export const restResult = (message: string | undefined, extra: Record<string, unknown> = {}) =>
  message === undefined
    ? { ...extra, status: 'OK', code: '0', msg: 'Success', message: 'OK' }
    : { ...extra, status: 'FAILED', code: '1', msg: message, message };

/** What the peer saw, for tests: which server, what was asked, with which headers, and how much body arrived. */
export interface LoggedRequest {
  server: 'fe' | 'be';
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Body bytes received before the answer (0 at the FE: it redirects before `100 Continue`). */
  bodyBytes: number;
  /** Whether the server sent `100 Continue`. */
  continued: boolean;
  status?: number;
}
