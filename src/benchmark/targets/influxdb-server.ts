/**
 * The InfluxDB 1.x server a bench target talks to besides the sink: `/ping` for its version, InfluxQL over `/query`
 * for databases, read-back and `SHOW STATS`. Both servers of `npm run services` answer these (1.6.7 and 1.8.10);
 * InfluxDB 2.x/3.x have no InfluxQL DDL (CREATE DATABASE), so the target refuses them by their version.
 */
import { TargetError } from '../target.js';

export type InfluxApi = 'v1' | 'v2';

/** An answer of `/query`: one result per statement. */
interface InfluxQLAnswer {
  error?: string;
  results?: { error?: string; series?: InfluxSeries[] }[];
}

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

export class InfluxServer {
  private readonly authorization: string | undefined;

  constructor(
    readonly url: string,
    readonly api: InfluxApi,
    token: string | undefined,
    /** The `npm run services` server to name in "start it with" messages. */
    private readonly service: string,
  ) {
    // v1: username:password as basic auth; v2 (1.8's compatibility API): `Token username:password` or a 2.x token.
    if (token) this.authorization = api === 'v1' ? `Basic ${Buffer.from(token).toString('base64')}` : `Token ${token}`;
  }

  /** Headers for requests of this server (the baseline's writes use them too). */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.authorization ? { ...extra, authorization: this.authorization } : extra;
  }

  /** `InfluxDB 1.8.10` from the X-Influxdb-Version header; a TargetError when the server is not up or not 1.x. */
  async version(): Promise<string | undefined> {
    const response = await this.request('/ping', { method: 'GET' });
    await response.arrayBuffer();
    const version = response.headers.get('x-influxdb-version') ?? undefined;
    if (version && !/^v?1\./.test(version)) {
      throw new TargetError(
        `InfluxDB at ${this.url} is version ${version}: the influxdb bench target creates a database per run with InfluxQL (CREATE DATABASE), which only InfluxDB 1.x has (1.8 for the v2 API)`,
      );
    }
    return version ? `InfluxDB ${version.replace(/^v/, '')}` : undefined;
  }

  /** Runs one InfluxQL statement and returns its series; throws with the statement and the server's error. */
  async query(q: string, db?: string): Promise<InfluxSeries[]> {
    const body = new URLSearchParams({ q, epoch: 'ms' });
    if (db) body.set('db', db);
    const response = await this.request('/query', { method: 'POST', body });
    // 1.x sends the status line before it runs the statement: read the whole answer before trusting it.
    const text = await response.text();
    let json: InfluxQLAnswer = {};
    try {
      json = text ? (JSON.parse(text) as InfluxQLAnswer) : {};
    } catch {
      // not JSON: reported below with the text
    }
    const error = json.error ?? json.results?.find((r) => r.error)?.error;
    if (!response.ok || error || !json.results) {
      throw new Error(`InfluxDB at ${this.url}: ${q}: HTTP ${response.status} ${error ?? text.slice(0, 200)}`);
    }
    return json.results[0]?.series ?? [];
  }

  private async request(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.url}${path}`, { ...init, headers: this.headers() });
    } catch (error) {
      const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new TargetError(
        `InfluxDB at ${this.url} is not up (${reason}): start it with \`npm run services -- up ${this.service}\`, or point the ${this.api === 'v1' ? 'influxdb-v1' : 'influxdb'} profile's url at your server`,
      );
    }
  }
}

/** A quoted InfluxQL identifier. */
export const ident = (name: string): string => `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
