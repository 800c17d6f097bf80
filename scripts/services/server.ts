/**
 * What one server file provides. `up`, `down` and `status` are written once against this shape; a server file
 * only says how to install, configure, start and query its server.
 */
import type { PortSpec } from './ports.js';
import type { Launch } from './process.js';

export interface ServerContext {
  name: string;
  /** `.services/<name>/`: data, config and log of this server. */
  dir: string;
  /** Resolved ports by key (defaults, or the env overrides). */
  ports: Record<string, number>;
  host: '127.0.0.1';
}

export interface Server {
  name: string;
  /** One line for `--help` and the docs: what it is and what streamlab uses it for. */
  summary: string;
  /** Key of its line in `.services/env`, e.g. `STREAMLAB_TEST_MARIADB`. */
  envKey: string;
  /** The first port is the address written to `.services/env`. */
  ports: readonly PortSpec[];
  readyTimeoutMs: number;
  /** How it shuts down cleanly (postgres: SIGINT is "fast shutdown"; SIGTERM would wait for clients). */
  stopSignal: NodeJS.Signals;
  stopTimeoutMs: number;
  /** Installs or builds what is missing; cached, so it costs nothing the second time. */
  install(): Promise<void> | void;
  /** Writes config, initialises the data dir on first use, and returns the command that runs the server. */
  prepare(ctx: ServerContext): Promise<Launch> | Launch;
  /** Throws unless the server answered a real query. */
  probe(ctx: ServerContext): Promise<void>;
  /** One-time setup once it answers (the `streamlab` database); must be idempotent. */
  afterReady?(ctx: ServerContext): Promise<void>;
}

/** `key=value` lines, the format of Kafka's server.properties and log4j.properties. */
export function properties(values: Record<string, string | number>): string {
  return `${Object.entries(values)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}
