import http from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
  /** The URL that gave this answer, after redirects (the BE's, for a Stream Load). */
  url: string;
  /** Whether the body was sent (false when the server answered before `100 Continue`, as the FE does). */
  bodySent: boolean;
}

/** A request that failed below HTTP (refused, reset, timed out): the load may or may not have happened. */
export class HttpTransportError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'HttpTransportError';
  }
}

export interface RequestOptions {
  method: 'PUT' | 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer;
  /** Give up on a request after this long without an answer. */
  timeoutMs: number;
  agent?: http.Agent;
  /** How long to wait for `100 Continue` before sending the body anyway (curl waits 1 s). */
  expectContinueMs?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 3;

/**
 * Sends a request with node:http, following redirects itself. fetch() cannot do what Stream Load needs:
 * - `Expect: 100-continue`: the body is held back until the server says `100 Continue`. The FE never says it; it
 *   answers `307 Temporary Redirect` to a BE straight away, so the body (possibly many MB) is not sent to the FE
 *   at all. The BE says `100 Continue` and gets the body.
 * - the redirect is followed with the same method, the same headers (Basic auth included) and the body again.
 *   fetch would drop the Authorization header on a redirect to another host, and replay a stream body not at all.
 */
export async function request(url: string, options: RequestOptions): Promise<HttpAnswer> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const answer = await once(current, options);
    if (!REDIRECTS.has(answer.status)) return answer;
    if (hop >= MAX_REDIRECTS)
      throw new HttpTransportError(`more than ${MAX_REDIRECTS} redirects, the last to ${current}`, current, undefined);
    if (!answer.location)
      throw new HttpTransportError(`HTTP ${answer.status} from ${current} without a Location header`, current, undefined);
    current = new URL(answer.location, current).toString();
  }
}

function once(url: string, options: RequestOptions): Promise<HttpAnswer & { location?: string }> {
  const { body } = options;
  const headers: Record<string, string> = { ...options.headers };
  if (body) {
    headers['Content-Length'] = String(body.length);
    headers.Expect = '100-continue';
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    let bodySent = false;
    const fail = (error: Error & { code?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(continueTimer);
      reject(new HttpTransportError(`${options.method} ${url}: ${error.message}`, url, error.code));
    };
    const req = http.request(url, { method: options.method, headers, agent: options.agent });
    const sendBody = () => {
      if (bodySent || settled) return;
      bodySent = true;
      clearTimeout(continueTimer);
      req.end(body);
    };
    const continueTimer = body ? setTimeout(sendBody, options.expectContinueMs ?? 1000) : undefined;
    req.setTimeout(options.timeoutMs, () =>
      req.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })),
    );
    req.on('continue', sendBody);
    req.on('error', fail);
    req.on('response', (res) => {
      clearTimeout(continueTimer);
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('end', () => {
        if (settled) return;
        settled = true;
        const location = res.headers.location;
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), url, bodySent, location });
        // Answered before we sent the body (the FE's redirect): this request can never complete, drop its socket.
        if (body && !bodySent) req.destroy();
      });
    });
    if (body) req.flushHeaders();
    else req.end();
  });
}

/** `Basic base64(user:password)`. The header never appears in messages or logs. */
export const basicAuth = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
