import { buildJob } from '../config/build-job.js';
import { loadJob, type LoadedJob } from '../config/load-job.js';
import { ConfigError } from '../core/errors.js';
import { StreamingQuery } from '../core/query.js';
import { QueryHub } from '../serve/query-hub.js';
import { parseCommandArgs } from './args.js';
import { formatExplain } from './explain.js';
import { redactingLogger } from './run.js';
import { SERVICES_FLAGS, SERVICES_USAGE, servicesChoice } from './services-option.js';
import { DEFAULT_UI_PORT, nextSignal, openUi, parsePort, UI_FLAGS, UI_USAGE } from './ui-option.js';

export const SERVE_USAGE = `Usage: streamlab serve <job>... [options]

Runs several jobs in one process, each with its own checkpoint: one that fails does not stop the others (its error
is shown, and it can be restarted). A web UI and a REST API (docs/serve.md) start, stop and restart them; /metrics
serves Prometheus metrics. Ctrl-C stops every job gracefully (each finishes and commits its batch).

Options:
  --port PORT            port of the UI, the API and /metrics (default 4040, or the next free one)
${UI_USAGE}
${SERVICES_USAGE}
  -h, --help             this help`;

export async function serveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { port: { type: 'string' }, ...UI_FLAGS, ...SERVICES_FLAGS, help: { type: 'boolean', short: 'h' } },
    SERVE_USAGE,
  );
  if (values.help) {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) throw ConfigError.single({ message: `serve takes one or more job names or files\n\n${SERVE_USAGE}` });
  const port = values.port === undefined ? DEFAULT_UI_PORT : parsePort(values.port as string);
  const services = servicesChoice(values);
  // Every job is loaded and built once before anything starts: a config error stops serve at once (exit 2).
  const jobs = new Map<string, string>();
  for (const reference of positionals) {
    const job = loadJob(reference, { env: services.env });
    buildJob(job);
    if (jobs.has(job.name)) throw ConfigError.single({ file: job.file, message: `two jobs named '${job.name}': give each job once` });
    jobs.set(job.name, reference);
    const servers = services.describe(job);
    if (servers) redactingLogger.info(`[${job.name}] ${servers}`);
  }
  // Each start loads and builds the job again: a restart picks up an edited job file, with fresh sources and sinks.
  const hub = new QueryHub((name, logger) => {
    const job: LoadedJob = loadJob(jobs.get(name) as string, { env: services.env });
    const built = buildJob(job);
    return { query: new StreamingQuery(built.query, { logger }), explain: formatExplain(built) };
  }, redactingLogger);
  const ui = await openUi(
    hub,
    { port, host: values.host as string | undefined, token: values.token as string | undefined },
    redactingLogger,
  );
  for (const name of jobs.keys()) {
    hub.register(name);
    hub.start(name);
  }
  const signal = await nextSignal();
  redactingLogger.info(`${signal}: stopping every job (each finishes and commits its batch)`);
  await hub.stopAll();
  await ui.close();
  return 0;
}
