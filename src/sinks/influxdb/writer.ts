import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { InfluxDB, type Transport } from '@influxdata/influxdb-client';
import { splitBucket, type WriteTarget } from './errors.js';
import type { Precision } from './options.js';

export interface WriterConfig extends WriteTarget {
  token?: string;
  precision: Precision;
  gzip: boolean;
  timeoutMs: number;
  /** Sockets kept open: one per request in flight. */
  concurrency: number;
}

/** Bodies above this many bytes are gzipped when `gzip` is on (the client library's own default threshold). */
const GZIP_THRESHOLD = 1000;
/** 1.x spells two of the precisions differently on `/write`. */
const V1_PRECISION: Record<Precision, string> = { ns: 'n', us: 'u', ms: 'ms', s: 's' };

/**
 * Sends line-protocol bodies through @influxdata/influxdb-client's HTTP transport (its request building, gzip,
 * timeouts and `HttpError`s with status, body and headers), to the endpoint of the configured API:
 *   v2: POST /api/v2/write?org=&bucket=&precision=   Authorization: Token <token>
 *   v1: POST /write?db=&rp=&precision=               Authorization: Basic <username:password>
 * Batching, concurrency and retries are the sink's: the client's WriteApi buffers points in the background and
 * retries on its own schedule, which hides the "is this batch written" moment the sink must wait for.
 */
export class LineProtocolWriter {
  readonly path: string;
  private readonly transport: Transport;
  private readonly agent: HttpAgent;
  private readonly gzipThreshold: number | undefined;

  constructor(config: WriterConfig) {
    this.agent = config.url.startsWith('https:')
      ? new HttpsAgent({ keepAlive: true, maxSockets: config.concurrency })
      : new HttpAgent({ keepAlive: true, maxSockets: config.concurrency });
    const headers: Record<string, string> = {};
    if (config.api === 'v1' && config.token) headers.authorization = `Basic ${Buffer.from(config.token).toString('base64')}`;
    const client = new InfluxDB({
      url: config.url,
      token: config.api === 'v2' ? config.token : undefined,
      timeout: config.timeoutMs,
      headers,
      transportOptions: { agent: this.agent },
    });
    this.transport = client.transport;
    this.gzipThreshold = config.gzip ? GZIP_THRESHOLD : undefined;
    this.path = writePath(config);
  }

  /** Resolves once the server has answered 2xx for the whole body; rejects with the client's error otherwise. */
  async write(body: string): Promise<void> {
    await this.transport.request(this.path, body, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      gzipThreshold: this.gzipThreshold,
    });
  }

  /** Closes the kept-alive sockets, so a finished job does not hold the process open. */
  close(): void {
    this.agent.destroy();
  }
}

export function writePath(config: Pick<WriterConfig, 'api' | 'bucket' | 'org' | 'precision'>): string {
  if (config.api === 'v2') {
    // Without org, InfluxDB 2.x answers 400 "Please provide either orgID or org"; 1.8 ignores it either way.
    const query = new URLSearchParams({ ...(config.org ? { org: config.org } : {}), bucket: config.bucket, precision: config.precision });
    return `/api/v2/write?${query}`;
  }
  const { database, retentionPolicy } = splitBucket(config.bucket);
  const query = new URLSearchParams({
    db: database,
    ...(retentionPolicy ? { rp: retentionPolicy } : {}),
    precision: V1_PRECISION[config.precision],
  });
  return `/write?${query}`;
}
