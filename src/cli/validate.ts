import { asyncScheduler } from 'rxjs';
import { buildJob } from '../config/build-job.js';
import { configDir, listYaml, loadJob } from '../config/load-job.js';
import { redact } from '../core/redact.js';
import { ConfigError, formatProblem } from '../core/errors.js';
import { parseCommandArgs } from './args.js';
import { connectHint } from './connect-hint.js';
import { redactingLogger } from './run.js';
import { HOUR_FLAGS, HOUR_USAGE, withHour } from './hour-option.js';
import { SERVICES_FLAGS, SERVICES_USAGE, servicesChoice } from './services-option.js';

export const VALIDATE_USAGE = `Usage: streamlab validate <job name | path.yaml | --all> [--connect] [--services]

Checks jobs in phases: YAML and schemas (no I/O), then building the components (expressions, columns).
With --connect, also opens each job's source and sink (connects to servers) and closes them again; a server that
does not answer is reported at once (no retries), with its address and how to start it.
Exit code 0 when every job is valid, 2 when any is not.

${HOUR_USAGE}
${SERVICES_USAGE}`;

export async function validateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      all: { type: 'boolean' },
      connect: { type: 'boolean' },
      ...HOUR_FLAGS,
      ...SERVICES_FLAGS,
      help: { type: 'boolean', short: 'h' },
    },
    VALIDATE_USAGE,
  );
  if (values.help) {
    process.stdout.write(`${VALIDATE_USAGE}\n`);
    return 0;
  }
  const targets = values.all ? listYaml(configDir('jobs')) : positionals;
  if (targets.length === 0) throw ConfigError.single({ message: `name a job, a file, or --all\n\n${VALIDATE_USAGE}` });
  const services = servicesChoice(values);
  let failures = 0;
  for (const target of targets) {
    try {
      const job = loadJob(target, { env: withHour(services.env, values.hour) });
      const servers = values.connect ? services.describe(job) : undefined;
      if (servers) redactingLogger.info(`[${job.name}] ${servers}`);
      const built = buildJob(job);
      if (values.connect) {
        const { source, sink } = built.query;
        await source.open({ scheduler: asyncScheduler, logger: redactingLogger, failFast: true });
        await source.stop();
        const { name, outputMode } = built.job;
        await sink.open({ queryId: 'validate', queryName: name, outputMode, logger: redactingLogger, failFast: true });
        await sink.close();
      }
      process.stdout.write(`ok      ${target}${values.connect ? ' (connected)' : ''}\n`);
    } catch (error) {
      failures++;
      const hint = values.connect ? connectHint(error) : undefined;
      const text =
        error instanceof ConfigError
          ? [...error.problems.map(formatProblem), ...error.notes.map((n) => `note: ${n}`)].join('\n        ')
          : `${(error as Error).message}${hint ? `\n        ${hint}` : ''}`;
      process.stdout.write(redact(`invalid ${target}\n        ${text}\n`));
    }
  }
  return failures > 0 ? 2 : 0;
}
