import { z } from 'zod';
import { durationOption } from '../../component/options.js';
import { secret } from '../../component/secret.js';

/**
 * The options the postgres sink and the postgres table source share: where the server is and who connects. One
 * profile (config/postgres.yaml, libpq's PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE) serves both; spread this into
 * a component's zod options and pass the parsed values to `openSession` (session.ts).
 */
export const postgresConnectionOptions = {
  host: z.string().min(1).default('127.0.0.1').describe('Server host name or address (libpq: PGHOST).'),
  port: z.number().int().min(1).max(65535).default(5432).describe('Server port (libpq: PGPORT; PostgreSQL: 5432).'),
  user: z.string().min(1).default('postgres').describe('User name (libpq: PGUSER).'),
  password: secret('Password of the user; empty for none (trust authentication). Never printed: errors and logs show ***.').default(''),
  database: z.string().min(1).describe('Database to connect to (libpq: PGDATABASE); it must exist.'),
  connectTimeout: durationOption('How long to wait for a connection.', { default: '10s', positive: true }),
};

/** The connection options once parsed (durations in milliseconds). */
export interface PostgresConnectionOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  connectTimeout: number;
}

/** `127.0.0.1:5433/streamlab`, for messages (never the user's password). */
export const serverAddress = (options: Pick<PostgresConnectionOptions, 'host' | 'port'>): string => `${options.host}:${options.port}`;
