/**
 * The StarRocks baseline: a bare Stream Load PUT per batch, as a hand-written client sends it (bench/starrocks.ts):
 * the rows as one JSON array (JSON.stringify, dates as StarRocks' DATETIME text), a fresh label, `Expect:
 * 100-continue` to the FE, the 307 followed to the BE, the answer's Status checked and nothing else: no label
 * protocol, no retries, no replay handling.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Row, Value } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import { datetimeText } from '../../sinks/starrocks/body.js';
import type { Baseline } from '../target.js';

export interface StreamLoadEndpoint {
  feHost: string;
  httpPort: number;
  user: string;
  password: string;
  database: string;
}

interface Answer {
  status: number;
  location?: string;
  text: string;
}

/**
 * One PUT with `Expect: 100-continue`: the body goes only to a server that says `100 Continue` (the BE, not the FE).
 * An error after the answer (the request destroyed unsent) comes after resolve and changes nothing; one before it (a
 * refused connection) rejects, where ignoring it would leave the caller waiting forever.
 */
export function put(url: string, headers: Record<string, string>, body: Buffer, agent: http.Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'PUT',
      headers: { ...headers, Expect: '100-continue', 'Content-Length': String(body.length) },
      agent,
    });
    let sent = false;
    req.on('continue', () => {
      sent = true;
      req.end(body);
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, location: res.headers.location, text });
        if (!sent) req.destroy();
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

const jsonReady = (value: Value | undefined, column: string): unknown =>
  value instanceof Date ? datetimeText(value, column) : typeof value === 'bigint' ? Number(value) : value;

function jsonBody(rows: readonly Row[], schema: Schema): Buffer {
  const names = schema.map((c) => c.name);
  return Buffer.from(JSON.stringify(rows.map((row) => Object.fromEntries(names.map((n) => [n, jsonReady(row[n], n)])))));
}

export function bareStreamLoadBaseline(endpoint: StreamLoadEndpoint): Baseline {
  return {
    name: 'bare Stream Load PUT',
    async write(batches, destination, spec) {
      const table = String(destination.sinkOptions.table);
      const url = `http://${endpoint.feHost}:${endpoint.httpPort}/api/${endpoint.database}/${table}/_stream_load`;
      const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
      const headers = {
        Authorization: `Basic ${Buffer.from(`${endpoint.user}:${endpoint.password}`).toString('base64')}`,
        format: 'json',
        strip_outer_array: 'true',
        columns: spec.schema.map((c) => c.name).join(','),
      };
      try {
        for (const rows of batches) {
          if (rows.length === 0) continue;
          const body = jsonBody(rows, spec.schema);
          const batchHeaders = { ...headers, label: `sb-bare-${randomUUID()}` };
          const first = await put(url, batchHeaders, body, agent);
          const answer = first.status === 307 && first.location ? await put(first.location, batchHeaders, body, agent) : first;
          if (!/"Status"\s*:\s*"Success"/.test(answer.text)) {
            throw new Error(
              `bare Stream Load into ${endpoint.database}.${table} at ${endpoint.feHost}:${endpoint.httpPort} failed: ${answer.text.slice(0, 300)}`,
            );
          }
        }
      } finally {
        agent.destroy();
      }
    },
  };
}
