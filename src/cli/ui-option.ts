import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { QueryMetrics } from '../serve/metrics.js';
import type { QueryHub } from '../serve/query-hub.js';
import { UiServer } from '../serve/http-server.js';

/** Spark's UI port; when it is taken, the next free one (as Spark does). */
export const DEFAULT_UI_PORT = 4040;

export const UI_FLAGS = {
  host: { type: 'string' },
  token: { type: 'string' },
} as const;

export const UI_USAGE = `  --host HOST            address the UI listens on (default 127.0.0.1); any other needs a token
  --token TOKEN          required by the API's start/stop/restart (Authorization: Bearer TOKEN); default
                         $STREAMLAB_UI_TOKEN`;

/**
 * `--ui` takes an optional port (`--ui`, `--ui 4050`, `--ui=4050`), which node's parseArgs cannot say: the flag and
 * its port are taken out of the arguments here, before they are parsed.
 */
export function takeUiFlag(args: string[]): { args: string[]; port?: number } {
  const rest: string[] = [];
  let port: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--ui') {
      const next = args[i + 1];
      port = next !== undefined && /^\d+$/.test(next) ? parsePort(args[++i]) : DEFAULT_UI_PORT;
    } else if (arg.startsWith('--ui=')) port = parsePort(arg.slice(5));
    else rest.push(arg);
  }
  return { args: rest, ...(port === undefined ? {} : { port }) };
}

export function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw ConfigError.single({ message: `expected a port number (0-65535), found '${text}'` });
  }
  return port;
}

/** Starts the UI server over `hub` and prints where it is. */
export async function openUi(hub: QueryHub, options: { port: number; host?: string; token?: string }, logger: Logger): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? process.env.STREAMLAB_UI_TOKEN ?? undefined;
  let server: UiServer;
  try {
    server = new UiServer({ hub, metrics: new QueryMetrics(hub), host, ...(token ? { token } : {}) });
  } catch (error) {
    throw ConfigError.single({ message: (error as Error).message });
  }
  const port = await server.listen(options.port);
  const shown = host.includes(':') ? `[${host}]` : host;
  const moved = port !== options.port && options.port !== 0 ? ` (${options.port} was taken)` : '';
  logger.info(`UI at http://${shown}:${port}/${moved}; metrics at /metrics`);
  return server;
}

/** Resolves at the first SIGINT or SIGTERM (the UI stays up after a query ended, until then). */
export function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
