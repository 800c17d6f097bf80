#!/usr/bin/env node
import { buildJob } from '../config/build-job.js';
import { loadJob } from '../config/load-job.js';
import { redact } from '../core/redact.js';
import { ConfigError, RuntimeError } from '../core/errors.js';
import { parseCommandArgs } from './args.js';
import { benchCommand } from './bench.js';
import { realBenchDeps } from './bench-deps.js';
import { handleBrokenPipes } from './broken-pipe.js';
import { formatExplain } from './explain.js';
import { didYouMean } from './did-you-mean.js';
import { listJobs } from './list.js';
import { resetCommand } from './reset.js';
import { redactingLogger, runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { SERVICES_FLAGS, SERVICES_USAGE, servicesChoice } from './services-option.js';
import { validateCommand } from './validate.js';

const USAGE = `streamlab: Spark-Structured-Streaming-style micro-batch jobs for Node

Usage: streamlab <command> [options]

Commands:
  run <job>             run a job (jobs/<job>.yaml or a path) until stopped (--ui: a live web UI)
  serve <job>...        run several jobs in one process, with a web UI, a REST API and /metrics
  list                  the jobs in jobs/ with their descriptions
  validate <job|--all>  check jobs without running them (exit 2 when invalid)
  explain <job>         the query plan: input, each step with its columns, output, trigger, checkpoint
  reset <job>           delete a job's checkpoint, so that it starts again from batch 0 (asks first)
  bench [bench] [opts]  benchmark sinks on the same rows, verified, with a report (bench compare a.json b.json)

Run 'streamlab <command> --help' for a command's options.`;

const EXPLAIN_USAGE = `Usage: streamlab explain <job name | path.yaml> [--services]\n\n${SERVICES_USAGE}`;
const COMMANDS = ['run', 'serve', 'list', 'validate', 'explain', 'reset', 'bench', 'help'];

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'run':
      return runCommand(args);
    case 'serve':
      return serveCommand(args);
    case 'validate':
      return validateCommand(args);
    case 'bench':
      return benchCommand(args, realBenchDeps());
    case 'reset':
      return resetCommand(args);
    case 'list':
      process.stdout.write(listJobs());
      return 0;
    case 'explain': {
      const options = { ...SERVICES_FLAGS, help: { type: 'boolean', short: 'h' } } as const;
      const { values, positionals } = parseCommandArgs(args, options, EXPLAIN_USAGE);
      if (values.help) return print(EXPLAIN_USAGE);
      if (positionals.length !== 1) throw ConfigError.single({ message: EXPLAIN_USAGE });
      const services = servicesChoice(values);
      const job = loadJob(positionals[0], { env: services.env });
      const servers = services.describe(job);
      if (servers) redactingLogger.info(`[${job.name}] ${servers}`);
      process.stdout.write(formatExplain(buildJob(job)));
      return 0;
    }
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      return print(USAGE);
    default:
      throw ConfigError.single({
        message: `unknown command '${command}'${didYouMean(command, COMMANDS)}\nCommands: ${COMMANDS.join(', ')}. Run 'streamlab --help' for what each does.`,
      });
  }
}

function print(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}

/** Config errors exit 2 and runtime errors 1, both without a stack trace (set STREAMLAB_DEBUG=1 to see one). */
function report(error: unknown): number {
  if (error instanceof ConfigError) {
    process.stderr.write(redact(`${error.problems.length > 1 ? `${error.problems.length} problems:\n` : ''}${error.message}\n`));
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(redact(`error: ${message}\n`));
  if (process.env.STREAMLAB_DEBUG && error instanceof Error && !(error instanceof RuntimeError))
    process.stderr.write(redact(`${error.stack}\n`));
  return 1;
}

handleBrokenPipes();
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => process.exit(report(error)),
);
