/**
 * The InfluxDB baseline: line protocol written by hand and POSTed with node:http, what a careful user writes without
 * a client library. Fair and strong on purpose:
 * - the same endpoint as the sink (v2 `/api/v2/write` or v1 `/write`), the same batches, each split into requests of
 *   the sink's `batchSize` lines, the sink's `concurrency` requests in flight, a keep-alive agent with that many
 *   sockets, gzip when the sink has it on;
 * - each line compiled once per schema (tags sorted, as the server stores them), escaped only where a value needs it,
 *   times in milliseconds (13 digits, not the sink's 19 nanosecond ones);
 * - no retries, no bad-record checks, no collision offsets: it relies on (key columns, time) identifying a row, as
 *   the SQL and Cassandra targets do, so rows sharing both would be merged and fail verification.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { gzipSync } from 'node:zlib';
import type { Row, Value } from '../../core/row.js';
import type { Baseline, DestinationSpec } from '../target.js';
import { influxFields } from './influxdb-fields.js';
import type { InfluxServer } from './influxdb-server.js';

export interface LineBaselineOptions {
  batchSize: number;
  concurrency: number;
  gzip: boolean;
}

const KEY_ESCAPES = /[,= ]/g;
const escapeKey = (text: string) => (/[,= ]/.test(text) ? text.replace(KEY_ESCAPES, '\\$&') : text);
const quoted = (text: string) => `"${/["\\]/.test(text) ? text.replace(/["\\]/g, '\\$&') : text}"`;

/** `(row) => line` for the spec: measurement = spec.name, tags = key columns, fields = influxFields(spec). */
export function compileLine(spec: DestinationSpec): (row: Row) => string {
  const prefix = spec.name.replace(/[, ]/g, '\\$&');
  const tags = [...spec.keyColumns].sort().map((name) => ({ name, key: `,${escapeKey(name)}=` }));
  const fields = influxFields(spec).map((c) => {
    const format: (v: Value) => string =
      c.type === 'long' ? (v) => `${v}i` : c.type === 'string' ? (v) => quoted(String(v)) : (v) => String(v);
    return { name: c.name, key: `${escapeKey(c.name)}=`, format };
  });
  const time = spec.timeColumn;
  return (row) => {
    let line = prefix;
    for (const tag of tags) {
      const v = row[tag.name];
      if (v !== null && v !== undefined && v !== '') line += tag.key + escapeKey(String(v));
    }
    let separator = ' ';
    for (const field of fields) {
      const v = row[field.name];
      if (v === null || v === undefined) continue;
      line += separator + field.key + field.format(v);
      separator = ',';
    }
    const t = row[time];
    return `${line} ${t instanceof Date ? t.getTime() : Number(t)}`;
  };
}

export function lineProtocolBaseline(server: InfluxServer, options: LineBaselineOptions): Baseline {
  return {
    name: `hand-written line protocol (node:http, ${options.batchSize} lines/request, ${options.concurrency} in flight${options.gzip ? ', gzip' : ''})`,
    async write(batches, _destination, spec) {
      const toLine = compileLine(spec);
      const post = poster(server, writePath(server, spec.name), options);
      try {
        for (const batch of batches) await writeBatch(batch, toLine, post.send, options);
      } finally {
        post.close();
      }
    },
  };
}

/** One batch: requests of batchSize lines, `concurrency` workers taking them in order. */
async function writeBatch(batch: Row[], toLine: (row: Row) => string, send: (body: string) => Promise<void>, o: LineBaselineOptions) {
  let next = 0;
  const worker = async () => {
    while (next < batch.length) {
      const from = next;
      next += o.batchSize;
      const to = Math.min(batch.length, from + o.batchSize);
      const lines = new Array<string>(to - from);
      for (let i = from; i < to; i++) lines[i - from] = toLine(batch[i]);
      await send(lines.join('\n'));
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, Math.ceil(batch.length / o.batchSize)) }, worker));
}

function writePath(server: InfluxServer, database: string): string {
  const db = encodeURIComponent(database);
  return server.api === 'v2' ? `/api/v2/write?bucket=${db}&precision=ms` : `/write?db=${db}&precision=ms`;
}

function poster(server: InfluxServer, path: string, o: LineBaselineOptions) {
  const https = server.url.startsWith('https:');
  const agent = https
    ? new HttpsAgent({ keepAlive: true, maxSockets: o.concurrency })
    : new HttpAgent({ keepAlive: true, maxSockets: o.concurrency });
  const request = https ? httpsRequest : httpRequest;
  const url = new URL(path, server.url);
  const send = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const body = o.gzip ? gzipSync(text) : text;
      const headers = server.headers({ 'content-type': 'text/plain; charset=utf-8', ...(o.gzip ? { 'content-encoding': 'gzip' } : {}) });
      const req = request(url, { method: 'POST', agent, headers }, (res) => {
        let answer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          answer += chunk;
        });
        res.on('end', () => {
          if (res.statusCode === 204) resolve();
          else
            reject(
              new Error(`baseline: InfluxDB at ${server.url} answered HTTP ${res.statusCode} to ${url.pathname}: ${answer.slice(0, 300)}`),
            );
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}
