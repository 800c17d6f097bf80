/**
 * `--services` / `--no-services` for `streamlab run`, `validate` and `explain`: the same mapping as `streamlab bench`
 * (config/services-env.ts) from `.services/env` to the profiles' variables (INFLUX_URL, MYSQL_PORT, ...).
 *
 * Off unless asked for, unlike bench: a job writes to a store its checkpoint belongs to, so which server it writes to
 * must not change because a git-ignored `.services` folder appeared (the tests and CI create one), and a user's own
 * InfluxDB in `.env` stays the target. With --services the services win over the environment and `.env` for the
 * variables they set (as in bench). Either way one line on stderr says which servers the job's profiles use.
 */
import { join } from 'node:path';
import { type Env, loadEnv } from '../config/env.js';
import type { LoadedJob } from '../config/load-job.js';
import { findServicesDir, type ServicesEnv, servicesEnv, servicesEnvFile } from '../config/services-env.js';
import { ConfigError } from '../core/errors.js';

export const SERVICES_FLAGS = {
  services: { type: 'boolean' },
  'no-services': { type: 'boolean' },
} as const;

export const SERVICES_USAGE = `  --services             use the servers of \`npm run services -- up\`: their addresses from .services/env (or
                         $STREAMLAB_SERVICES_DIR/env) set the profiles' variables (INFLUX_URL, MYSQL_PORT,
                         CASSANDRA_CONTACT_POINTS, STARROCKS_*...), over the environment and .env
  --no-services          the profiles' variables from the environment and .env only (the default)`;

export interface ServicesChoice {
  /** The environment to load jobs with. */
  env: Env;
  /** One line for stderr: the servers this job's profiles use, or undefined when it uses none. */
  describe(job: LoadedJob): string | undefined;
}

export function servicesChoice(values: Record<string, unknown>, cwd = process.cwd()): ServicesChoice {
  if (values.services && values['no-services']) throw ConfigError.single({ message: '--services and --no-services: choose one' });
  const base = loadEnv(cwd);
  const dir = findServicesDir(cwd, base);
  if (values.services && !dir) {
    throw ConfigError.single({
      message: `--services: no ${servicesEnvFile(base)} in ${cwd}: start the servers with \`npm run services -- up\` (or set STREAMLAB_SERVICES_DIR to its folder)`,
    });
  }
  const services = dir ? servicesEnv(dir, base) : undefined;
  if (values.services && services) {
    return { env: { ...base, ...services.vars }, describe: (job) => describeUsed(job, services, true) };
  }
  return { env: base, describe: (job) => describeUsed(job, values['no-services'] ? undefined : services, false) };
}

/** The profiles of the job's source and sink that a server of `npm run services` can serve. */
function describeUsed(job: LoadedJob, services: ServicesEnv | undefined, chosen: boolean): string | undefined {
  const profiles = [...new Set([job.source.profile, job.sink.profile])].filter((p): p is string => p !== undefined);
  if (profiles.length === 0) return undefined;
  const used = services?.used.filter((u) => u.profiles.some((p) => profiles.includes(p))) ?? [];
  const listed = used.map((u) => `${u.service} ${u.address}`).join(', ');
  const where = services ? join(services.dir, 'env') : '';
  if (chosen) {
    const missing = profiles.filter((p) => !used.some((u) => u.profiles.includes(p)));
    const rest = missing.length > 0 ? `; profile ${missing.join(', ')} from the environment and .env (no server of ${where} for it)` : '';
    return `servers: ${listed || 'none'} (--services, from ${where})${rest}`;
  }
  const hint = used.length > 0 ? `; --services would use ${listed} of ${where}` : '';
  return `servers: profile ${profiles.join(', ')} from the environment and .env${hint}`;
}
