import cassandra from 'cassandra-driver';
import { errorMessage, RuntimeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { DEFAULT_RETRY, describeRetry, retriesFor, withRetry, type RetryPolicy } from '../../core/retry.js';
import type { Consistency, ConnectionOptions } from './connection-options.js';
import { describeCluster, describeConnectError, isRetriable, shortReason } from './errors.js';

const { consistencies, distance } = cassandra.types;

const CONSISTENCY_CODES: Record<Consistency, number> = {
  ANY: consistencies.any,
  ONE: consistencies.one,
  TWO: consistencies.two,
  THREE: consistencies.three,
  QUORUM: consistencies.quorum,
  ALL: consistencies.all,
  LOCAL_QUORUM: consistencies.localQuorum,
  EACH_QUORUM: consistencies.eachQuorum,
  LOCAL_ONE: consistencies.localOne,
};

/** How a sink or source reaches the cluster: the parsed connection options in the units the driver wants. */
export interface ConnectionConfig {
  contactPoints: string[];
  localDataCenter: string;
  username?: string;
  password?: string;
  consistency: Consistency;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxRetries: number;
  /** Connections per node; more than one only pays when one connection's socket is the bottleneck (see the bench). */
  connectionsPerHost?: number;
  /** Rows per page when reading. */
  fetchSize?: number;
  /** Backoff delays (from the `backoff` option) and the timer (tests replace it). Default: the shared 100 ms doubling to 10 s. */
  retry?: Partial<Omit<RetryPolicy, 'maxRetries'>> & { sleep?: (ms: number) => Promise<void> };
}

export function connectionConfig(options: ConnectionOptions): ConnectionConfig {
  return {
    contactPoints: options.contactPoints,
    localDataCenter: options.localDataCenter,
    // An empty user (e.g. `${CASSANDRA_USERNAME:-}` unset) means: no authentication.
    username: options.username || undefined,
    password: options.password || undefined,
    consistency: options.consistency,
    timeoutMs: options.timeout,
    connectTimeoutMs: options.connectTimeout,
    maxRetries: options.maxRetries,
    retry: { initialDelayMs: options.backoff.initial, maxDelayMs: options.backoff.max },
  };
}

export function retryPolicy(config: ConnectionConfig): RetryPolicy {
  const { sleep: _sleep, ...delays } = config.retry ?? {};
  return { ...DEFAULT_RETRY, ...delays, maxRetries: config.maxRetries };
}

/**
 * The driver's options. Every request is prepared and idempotent (INSERTs of whole rows and SELECTs), at the
 * configured consistency. Reconnection to a node that went down is tried every 0.5 s growing to 5 s: the driver's
 * default grows to 10 minutes, which would keep a job waiting long after a restarted node is back.
 */
export function clientOptions(config: ConnectionConfig): cassandra.ClientOptions {
  return {
    contactPoints: config.contactPoints,
    localDataCenter: config.localDataCenter,
    ...(config.username !== undefined ? { credentials: { username: config.username, password: config.password ?? '' } } : {}),
    queryOptions: {
      consistency: CONSISTENCY_CODES[config.consistency],
      prepare: true,
      isIdempotent: true,
      ...(config.fetchSize ? { fetchSize: config.fetchSize } : {}),
    },
    socketOptions: { connectTimeout: config.connectTimeoutMs, readTimeout: config.timeoutMs },
    pooling: config.connectionsPerHost ? { coreConnectionsPerHost: { [distance.local]: config.connectionsPerHost } } : undefined,
    policies: { reconnection: new cassandra.policies.reconnection.ExponentialReconnectionPolicy(500, 5000, false) },
  };
}

/**
 * A connected client. Connecting is retried with backoff while no node answers (a cluster still starting); a
 * refused login or an unresolvable host fails at once. Each attempt uses a new client, as a client whose first
 * connect failed keeps that failure. A check (`failFast`, validate --connect) does not retry.
 */
export async function connect(config: ConnectionConfig, logger: Logger, who: string, failFast = false): Promise<cassandra.Client> {
  const { sleep } = config.retry ?? {};
  const policy = retriesFor(retryPolicy(config), { failFast });
  let attempts = 1;
  try {
    return await withRetry(
      async () => {
        const client = new cassandra.Client(clientOptions(config));
        try {
          await client.connect();
          stopRemovedHosts(client);
          return client;
        } catch (error) {
          await client.shutdown().catch(() => undefined);
          throw error;
        }
      },
      policy,
      {
        isRetriable: (error) => isRetriable(error) && !/could be resolved/.test(errorMessage(error)),
        onRetry: (error, attempt, delayMs) => {
          attempts++;
          logger.warn(
            `${who}: cannot connect to ${describeCluster(config.contactPoints)} (${shortReason(error)}); ${describeRetry(attempt, delayMs, policy)}`,
          );
        },
        ...(sleep ? { sleep } : {}),
      },
    );
  } catch (error) {
    const gaveUp = isRetriable(error) && attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
    throw new RuntimeError(`${who}: ${describeConnectError(error, config.contactPoints, config.username)}${gaveUp}`, { cause: error });
  }
}

/**
 * When a node restarts, the driver (4.10) may replace its Host object (hostRemove, then hostAdd for the same
 * address). It drains the old one's pool, but draining puts the pool back in its initial state, so the old Host
 * goes on reconnecting on its own schedule, forever: connections the client no longer uses, and timers that keep
 * the process alive after shutdown() (found by the test that restarts Cassandra mid-run). Shut such hosts down.
 */
function stopRemovedHosts(client: cassandra.Client): void {
  client.on('hostRemove', (host: { shutdown?: (waitForPending: boolean) => Promise<void> }) => {
    void host.shutdown?.(false).catch(() => undefined);
  });
}
