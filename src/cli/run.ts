import { buildJob } from '../config/build-job.js';
import { loadJob } from '../config/load-job.js';
import { redact } from '../core/redact.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { formatProgressLine } from '../core/progress.js';
import { StreamingQuery } from '../core/query.js';
import { parseCommandArgs } from './args.js';
import { whenOutputCloses, writeTo } from './broken-pipe.js';
import { SERVICES_FLAGS, SERVICES_USAGE, servicesChoice } from './services-option.js';

export const RUN_USAGE = `Usage: streamlab run <job name | path.yaml> [options]

Runs a job until it is stopped (Ctrl-C finishes the batch in flight, commits it, writes what a push source still
buffers and exits; a sink that is only waiting may leave its batch to the next start; a second Ctrl-C aborts),
or until --max-batches, or, with the availableNow trigger, until everything available has been processed.

Options:
  --max-batches N        stop after N batches
  --progress text|json   text (default): one line per batch on stderr; json: one progress object per line on stdout
  --checkpoint DIR       checkpoint directory, relative to the working directory (overrides the job's checkpointLocation)
${SERVICES_USAGE}
  -h, --help             this help`;

/** A logger whose every line passes the redactor, so no secret reaches the terminal. */
export const redactingLogger: Logger = {
  info: (m) => writeTo(process.stderr, `${redact(m)}\n`),
  warn: (m) => writeTo(process.stderr, `warning: ${redact(m)}\n`),
  error: (m) => writeTo(process.stderr, `error: ${redact(m)}\n`),
};

export async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      'max-batches': { type: 'string' },
      progress: { type: 'string', default: 'text' },
      checkpoint: { type: 'string' },
      ...SERVICES_FLAGS,
      help: { type: 'boolean', short: 'h' },
    },
    RUN_USAGE,
  );
  if (values.help) {
    process.stdout.write(`${RUN_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw ConfigError.single({ message: `run takes one job name or file\n\n${RUN_USAGE}` });
  const maxBatches = values['max-batches'] === undefined ? undefined : Number(values['max-batches']);
  if (maxBatches !== undefined && !(Number.isInteger(maxBatches) && maxBatches >= 0)) {
    throw ConfigError.single({ message: `--max-batches: expected a whole number >= 0, found '${values['max-batches']}'` });
  }
  const progressFormat = values.progress as string;
  if (progressFormat !== 'text' && progressFormat !== 'json') {
    throw ConfigError.single({ message: `--progress: expected text or json, found '${progressFormat}'` });
  }

  const services = servicesChoice(values);
  const job = loadJob(positionals[0], { env: services.env });
  if (values.checkpoint) job.checkpointLocation = values.checkpoint as string;
  else if (job.checkpointMovedFrom) {
    throw ConfigError.single({
      file: job.file,
      path: 'checkpointLocation',
      message:
        `this job's checkpoint is now ${job.checkpointLocation} (a relative checkpoint location is relative to the job's ` +
        `project folder, no longer to the working directory), but ${job.checkpointMovedFrom} holds its checkpoint from an ` +
        `earlier run. Starting without it would write everything again: move it there (mv ${job.checkpointMovedFrom} ` +
        `${job.checkpointLocation}), or run with --checkpoint ${job.checkpointMovedFrom}.`,
    });
  }
  const built = buildJob(job);
  const query = new StreamingQuery(built.query, { logger: redactingLogger, maxBatches });
  query.progress$.subscribe((progress) => {
    if (progressFormat === 'json') writeTo(process.stdout, `${redact(JSON.stringify(progress))}\n`);
    else redactingLogger.info(formatProgressLine(progress));
  });

  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      redactingLogger.info(
        `${signal}: finishing the batch in flight, then stopping (${signal === 'SIGINT' ? 'Ctrl-C again' : 'a second signal'} aborts)`,
      );
      query.stop();
    } else {
      redactingLogger.info(`${signal} again: aborting; the batch in flight will be re-run on the next start`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // `--progress json | head`: the reader left; stop as on Ctrl-C, quietly (no stack, exit 0).
  const restoreOutputs = whenOutputCloses((stream) => {
    redactingLogger.info(`${stream} was closed by its reader: finishing the batch in flight, then stopping`);
    query.stop();
  });
  const servers = services.describe(job);
  if (servers) redactingLogger.info(`[${job.name}] ${servers}`);
  try {
    redactingLogger.info(`[${job.name}] starting (checkpoint ${job.checkpointLocation}); Ctrl-C to stop`);
    await query.run();
    return 0;
  } finally {
    restoreOutputs();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
