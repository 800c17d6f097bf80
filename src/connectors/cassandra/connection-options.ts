import { z } from 'zod';
import { durationOption, retryOptions, type RetryOptions } from '../../component/options.js';
import { secret } from '../../component/secret.js';
import { nameOption } from './identifiers.js';

/** The consistency levels a plain INSERT or SELECT may use, as CQL (and cqlsh's CONSISTENCY) names them. */
export const CONSISTENCIES = ['ANY', 'ONE', 'TWO', 'THREE', 'QUORUM', 'ALL', 'LOCAL_QUORUM', 'EACH_QUORUM', 'LOCAL_ONE'] as const;
export type Consistency = (typeof CONSISTENCIES)[number];

/**
 * `127.0.0.1:9042,10.0.0.2` (the form an environment variable gives) or a YAML list; each a host with an optional
 * port (default 9042).
 */
const contactPoints = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((point) => point.trim()).filter((point) => point.length > 0))
  .pipe(
    z
      .array(
        z
          .string()
          .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(:\d{1,5})?$/, { message: 'expected host or host:port, e.g. 127.0.0.1:9042' }),
      )
      .min(1, { message: 'give at least one contact point, e.g. 127.0.0.1:9042' }),
  );

/**
 * The options the sink and the source share: where the cluster is, who connects, at which consistency. One profile
 * (config/cassandra.yaml) serves both.
 */
export const connectionOptions = {
  contactPoints: contactPoints
    .default(['127.0.0.1:9042'])
    .describe(
      'Nodes to connect to first, as host or host:port (default port 9042): a list, or one comma-separated string such as "${CASSANDRA_CONTACT_POINTS}". The driver finds the other nodes of the cluster from them.',
    ),
  localDataCenter: z
    .string()
    .min(1)
    .default('datacenter1')
    .describe("The data center the driver sends requests to (nodetool status shows it; a single node's is datacenter1)."),
  keyspace: nameOption('Keyspace of the table, exactly as named in Cassandra (case matters: it is quoted in CQL).'),
  username: z.string().optional().describe('User for PasswordAuthenticator; leave unset (or empty) for a cluster without authentication.'),
  password: secret('Password of `username`. Never printed: errors and logs show ***.').optional(),
  consistency: z
    .enum(CONSISTENCIES)
    .default('LOCAL_QUORUM')
    .describe('Consistency level of every request: LOCAL_QUORUM (default) waits for a majority of the replicas in the local data center.'),
  timeout: durationOption(
    "How long one request may take before the driver gives up on it (and the sink retries it): the driver's readTimeout.",
    { default: '12s', positive: true },
  ),
  connectTimeout: durationOption('How long to wait for a connection to a node.', { default: '5s', positive: true }),
  ...retryOptions({
    after: 'no node could be reached, a timeout, or an overloaded or unavailable cluster',
    giveUp: '10 retries with the default backoff wait about 40 s in all; then the job stops, and restarted, carries on where it stopped.',
  }),
};

/** The connection options once parsed. */
export interface ConnectionOptions extends RetryOptions {
  contactPoints: string[];
  localDataCenter: string;
  keyspace: string;
  username?: string;
  password?: string;
  consistency: Consistency;
  /** Milliseconds, as every duration option gives them. */
  timeout: number;
  connectTimeout: number;
}
