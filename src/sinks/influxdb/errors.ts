/**
 * What the InfluxDB servers answer, turned into decisions (retry or not, how long to wait) and into messages that
 * say what happened, where, and what to do. The answers were read from InfluxDB 1.6.7 (`/write`) and 1.8.10
 * (`/api/v2/write`) and from the 2.x API documentation:
 *
 *   401/403                    {"error":"authorization failed"} / {"code":"unauthorized","message":"..."}
 *   404 unknown database       {"error":"database not found: \"x\""}          (1.x, also behind /api/v2/write)
 *   404 unknown bucket / org   {"code":"not found","message":"bucket \"x\" not found"}   (2.x)
 *   404 text "404 page not found"                                              (no /api/v2/write: InfluxDB <= 1.7)
 *   500 unknown retention      {"error":"retention policy not found: rp"}
 *   400 partial write          {"error":"partial write: unable to parse 'm v= 2': missing field value dropped=0"}
 *   400 type conflict          {"error":"partial write: field type conflict: input field \"v\" on measurement
 *                              \"m\" is type integer, already exists as type float dropped=1"}     (2.x: 422)
 *   429/503 + Retry-After      overload, rate limits (Cloud)
 */
import { AbortError, HttpError, RequestTimedOutError } from '@influxdata/influxdb-client';
import { isNetworkErrorCode } from '../../core/errors.js';

export interface WriteTarget {
  api: 'v1' | 'v2';
  url: string;
  /** As configured: a bucket, or database[/retention-policy]. */
  bucket: string;
  org?: string;
}

const RETRIABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** The text the server gave: `message` (2.x), `error` (1.x), or the body itself. */
export function serverMessage(error: HttpError): string {
  const json = errorBody(error);
  const text = json?.message ?? json?.error ?? error.body ?? '';
  return String(text).trim();
}

export function isRetriable(error: unknown): boolean {
  if (error instanceof HttpError) {
    // A missing retention policy is a 500 that no retry fixes.
    return RETRIABLE_STATUS.has(error.statusCode) && !/retention policy not found/.test(serverMessage(error));
  }
  if (error instanceof RequestTimedOutError || error instanceof AbortError) return true;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return isNetworkErrorCode(code);
}

/** Retry-After in ms: delta-seconds or an HTTP date (RFC 9110). The client's own parser reads it as ms. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  if (!(error instanceof HttpError)) return undefined;
  const raw = error.headers?.['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function isRejection(error: unknown): error is HttpError {
  return error instanceof HttpError && (error.statusCode === 400 || error.statusCode === 422);
}

/** `db` and `rp` of a v1 target, or of a 1.8 bucket written `db/rp`. */
export function splitBucket(bucket: string): { database: string; retentionPolicy?: string } {
  const slash = bucket.indexOf('/');
  return slash < 0 ? { database: bucket } : { database: bucket.slice(0, slash), retentionPolicy: bucket.slice(slash + 1) };
}

/** One sentence (or two) for any failed write: what happened, where, what to do. Never includes the token. */
export function describeWriteError(error: unknown, target: WriteTarget): string {
  const at = `InfluxDB at ${target.url}`;
  const noun = target.api === 'v1' ? 'database' : 'bucket';
  if (!(error instanceof HttpError)) return describeConnectionError(error, at);
  const said = serverMessage(error);
  const http = `HTTP ${error.statusCode}${said ? `: ${said}` : ''}`;
  const { database, retentionPolicy } = splitBucket(target.bucket);

  if (error.statusCode === 401 || error.statusCode === 403) {
    const hint =
      target.api === 'v1' || /^\d+\.\d/.test(error.headers?.['x-influxdb-version']?.toString() ?? '')
        ? 'on InfluxDB 1.x the token is username:password of a user with WRITE on the database'
        : 'use a token with write access to the bucket (influx auth create --write-bucket <bucket id>)';
    return `${at}: the token is invalid or has no write permission on ${noun} "${target.bucket}" (${http}). Check INFLUX_TOKEN / the token option; ${hint}`;
  }
  const bucketMissing = /database not found|bucket "?[^"]*"? not found|bucket not found/i.exec(said);
  if (error.statusCode === 404 && bucketMissing) {
    return `${at}: ${noun} "${target.bucket}" does not exist (${http}). Create it: ${howToCreate(target, database)}`;
  }
  if ((error.statusCode === 404 || error.statusCode === 400) && /organization|orgID or org/i.test(said)) {
    return `${at}: organization "${target.org ?? ''}" does not exist or the token cannot see it (${http}). Set org (INFLUX_ORG) to the name or ID shown by \`influx org list\``;
  }
  if (error.statusCode === 404 && target.api === 'v2') {
    return `${at} has no /api/v2/write (${http}): InfluxDB 1.7 and older only have the 1.x API; set \`api: v1\` in the sink`;
  }
  if (/retention policy not found/.test(said)) {
    return (
      `${at}: retention policy "${retentionPolicy ?? ''}" does not exist in database "${database}" (${http}). ` +
      `Create it with CREATE RETENTION POLICY "${retentionPolicy ?? ''}" ON "${database}" DURATION INF REPLICATION 1, or write to "${database}" alone (its default policy)`
    );
  }
  if (error.statusCode === 413) {
    return `${at}: the request is too large for the server (${http}); lower batchSize`;
  }
  return `${at} answered ${http}`;
}

function describeConnectionError(error: unknown, at: string): string {
  if (error instanceof RequestTimedOutError) return `${at} did not answer in time (request timed out); raise timeout, or lower batchSize`;
  const e = error as NodeJS.ErrnoException;
  const code = e?.code;
  if (code === 'ECONNREFUSED') return `cannot reach ${at}: connection refused (${e.message}); is the server running on that port?`;
  if (code === 'ENOTFOUND') return `cannot reach ${at}: the host name does not resolve (${e.message}); check url`;
  return `cannot reach ${at}: ${code ? `${code} ` : ''}${e?.message ?? String(error)}`;
}

function howToCreate(target: WriteTarget, database: string): string {
  const query = `${target.url.replace(/\/$/, '')}/query --data-urlencode 'q=CREATE DATABASE "${database}"'`;
  if (target.api === 'v1') return `influx -execute 'CREATE DATABASE "${database}"', or curl -XPOST ${query}`;
  return `on InfluxDB 2.x/3.x/Cloud: influx bucket create --name ${target.bucket}${target.org ? ` --org ${target.org}` : ''} (or Load Data > Buckets in the UI); on InfluxDB 1.8: curl -XPOST ${query}`;
}

/**
 * The lines of one request that the server rejected, as indexes into `lines`, and why. InfluxDB 1.x quotes each
 * line it could not parse (`unable to parse '<line>': <reason>`); 2.x also gives the first one's number (`line`);
 * a field type conflict names the field, and every line that has it is refused.
 */
export interface Rejection {
  /** Indexes (0-based) into the request's lines. */
  indexes: number[];
  reasons: string[];
  /** The field of a type conflict, if that is the reason. */
  conflictField?: string;
  /** Points the server says it dropped, if it says. */
  dropped?: number;
}

export function parseRejection(error: HttpError, lines: readonly string[]): Rejection {
  const said = serverMessage(error);
  const indexes = new Set<number>();
  const reasons: string[] = [];
  const byText = new Map<string, number>();
  lines.forEach((line, i) => {
    byText.set(line, i);
  });
  for (const match of said.matchAll(/unable to parse '([\s\S]*?)': ([^\n]*?)(?=\s+dropped=\d+\s*$|\n|$)/g)) {
    let index = byText.get(match[1]);
    if (index === undefined) index = lines.findIndex((line) => said.includes(`unable to parse '${line}'`));
    if (index >= 0) indexes.add(index);
    reasons.push(match[2]);
  }
  const conflict = /field type conflict: input field "([^"]+)" on measurement "[^"]*" is type (\w+), already exists as type (\w+)/.exec(
    said,
  );
  if (conflict) reasons.push(`field "${conflict[1]}" is written as ${conflict[2]} but the measurement already holds it as ${conflict[3]}`);
  const line = Number(errorBody(error)?.line);
  if (Number.isInteger(line) && line >= 1 && line <= lines.length) indexes.add(line - 1);
  const dropped = /dropped=(\d+)/.exec(said);
  if (reasons.length === 0 && said) reasons.push(said);
  return {
    indexes: [...indexes].sort((a, b) => a - b),
    reasons,
    conflictField: conflict?.[1],
    dropped: dropped ? Number(dropped[1]) : undefined,
  };
}

/** The fields of an error body this file reads: 2.x `{ code, message, line? }`, 1.x `{ error }`. */
interface ErrorBody {
  message?: unknown;
  error?: unknown;
  line?: unknown;
}

/** The JSON error body, as the client parsed it or from the raw text; undefined when there is none. */
function errorBody(error: HttpError): ErrorBody | undefined {
  const json: unknown = error.json ?? tryJson(error.body);
  return typeof json === 'object' && json !== null ? (json as ErrorBody) : undefined;
}

function tryJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
