import { asyncScheduler } from 'rxjs';
import { buildJob } from '../config/build-job.js';
import { configDir, listYaml, loadJob } from '../config/load-job.js';
import { redact } from '../core/redact.js';
import { ConfigError, formatProblem } from '../core/errors.js';
import { parseCommandArgs } from './args.js';
import { redactingLogger } from './run.js';
import { SERVICES_FLAGS, SERVICES_USAGE, servicesChoice } from './services-option.js';

export const VALIDATE_USAGE = `Usage: streamlab validate <job name | path.yaml | --all> [--connect] [--services]

Checks jobs in phases: YAML and schemas (no I/O), then building the components (expressions, columns).
With --connect, also opens each job's source and sink (connects to servers) and closes them again.
Exit code 0 when every job is valid, 2 when any is not.

${SERVICES_USAGE}`;

export async function validateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      all: { type: 'boolean' },
      connect: { type: 'boolean' },
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
      const job = loadJob(target, { env: services.env });
      const servers = values.connect ? services.describe(job) : undefined;
      if (servers) redactingLogger.info(`[${job.name}] ${servers}`);
      const built = buildJob(job);
      if (values.connect) {
        const { source, sink } = built.query;
        await source.open({ scheduler: asyncScheduler, logger: redactingLogger });
        await source.stop();
        await sink.open({ queryId: 'validate', queryName: built.job.name, outputMode: built.job.outputMode, logger: redactingLogger });
        await sink.close();
      }
      process.stdout.write(`ok      ${target}${values.connect ? ' (connected)' : ''}\n`);
    } catch (error) {
      failures++;
      const text =
        error instanceof ConfigError
          ? [...error.problems.map(formatProblem), ...error.notes.map((n) => `note: ${n}`)].join('\n        ')
          : (error as Error).message;
      process.stdout.write(redact(`invalid ${target}\n        ${text}\n`));
    }
  }
  return failures > 0 ? 2 : 0;
}
