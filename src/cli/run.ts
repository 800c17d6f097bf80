import { buildJob } from '../config/build-job.js';
import { loadJob } from '../config/load-job.js';
import { redact } from '../core/redact.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { StreamingQuery } from '../core/query.js';
import { parseCommandArgs } from './args.js';
import { BacklogBar } from './backlog-bar.js';
import { whenOutputCloses, writeTo } from './broken-pipe.js';
import { batchCheckpoint } from './batch-run.js';
import { HOUR_FLAGS, HOUR_USAGE, withHour } from './hour-option.js';
import { nothingNewMessage } from './nothing-new.js';
import { openProgressOutput, parseProgressOption } from './progress-output.js';
import { SERVICES_FLAGS, SERVICES_USAGE, servicesChoice } from './services-option.js';
import { formatExplain } from './explain.js';
import { QueryHub } from '../serve/query-hub.js';
import { nextSignal, openUi, takeUiFlag, UI_FLAGS, UI_USAGE } from './ui-option.js';

export const RUN_USAGE = `Usage: streamlab run <job name | path.yaml> [options]

Runs a job until it is stopped (Ctrl-C finishes the batch in flight, commits it, writes what a push source still
buffers and exits; a sink that is only waiting may leave its batch to the next start; a second Ctrl-C aborts),
or until --max-batches, or, with the availableNow trigger, until everything available has been processed.

Options:
  --max-batches N        stop after N batches
  --cores N              threads for stateless steps over big columnar batches (overrides the job's cores; 1: none)
  --progress text|json|json=FILE
                         text (default): one line per batch on stderr. json: one progress object per line on stdout,
                         or on stderr when the sink prints to stdout (console; the log lines there are JSON objects
                         too). json=FILE: the objects in FILE, the text lines on stderr
  --checkpoint DIR       checkpoint directory, relative to the working directory (overrides the job's checkpointLocation)
  --ui [PORT]            a live web UI on 127.0.0.1 (port 4040, or the next free one): rates, phases, watermark, state,
                         batches, plan; /metrics for Prometheus. It stays up after the query ends, until Ctrl-C
${UI_USAGE}
${HOUR_USAGE}
${SERVICES_USAGE}
  -h, --help             this help`;

/** A logger whose every line passes the redactor, so no secret reaches the terminal. */
export const redactingLogger: Logger = {
  info: (m) => writeTo(process.stderr, `${redact(m)}\n`),
  warn: (m) => writeTo(process.stderr, `warning: ${redact(m)}\n`),
  error: (m) => writeTo(process.stderr, `error: ${redact(m)}\n`),
};

/** stderr for the progress bar: writes that skip a closed stream, its TTY-ness and width read when drawn. */
const stderrOut = {
  write: (text: string) => writeTo(process.stderr, text),
  get isTTY() {
    return process.stderr.isTTY === true;
  },
  get columns() {
    return process.stderr.columns;
  },
};

export async function runCommand(allArgs: string[]): Promise<number> {
  const { args, port: uiPort } = takeUiFlag(allArgs);
  const { values, positionals } = parseCommandArgs(
    args,
    {
      'max-batches': { type: 'string' },
      cores: { type: 'string' },
      progress: { type: 'string', default: 'text' },
      checkpoint: { type: 'string' },
      ...UI_FLAGS,
      ...HOUR_FLAGS,
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
  const cores = values.cores === undefined ? undefined : Number(values.cores);
  if (cores !== undefined && !(Number.isInteger(cores) && cores >= 1)) {
    throw ConfigError.single({ message: `--cores: expected a whole number >= 1, found '${values.cores}'` });
  }
  const progressOption = parseProgressOption(values.progress as string);

  const services = servicesChoice(values);
  const job = loadJob(positionals[0], { env: withHour(services.env, values.hour) });
  // A batch job starts from nothing every run: a checkpoint of its own, deleted at the end (see batch-run.ts).
  const batch = job.batch && !values.checkpoint ? batchCheckpoint(job) : undefined;
  if (cores !== undefined) job.cores = cores;
  if (values.checkpoint) job.checkpointLocation = values.checkpoint as string;
  else if (batch) job.checkpointLocation = batch.dir;
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
  // availableNow on a terminal: a progress bar on stderr below the text lines (never among JSON progress).
  const bar =
    progressOption.format === 'text' && built.query.trigger.kind === 'availableNow' ? new BacklogBar(stderrOut, job.name) : undefined;
  const progress = openProgressOutput(
    progressOption,
    built.query.sink.writesStdout === true,
    bar?.wrap(redactingLogger) ?? redactingLogger,
  );
  const hub = uiPort === undefined ? undefined : new QueryHub();
  const watched = hub?.watch(job.name, formatExplain(built), progress.logger);
  const logger = watched?.logger ?? progress.logger;
  const ui =
    hub &&
    (await openUi(
      hub,
      { port: uiPort as number, host: values.host as string | undefined, token: values.token as string | undefined },
      logger,
    ));
  const query = new StreamingQuery(built.query, { logger, maxBatches });
  watched?.attach(query);
  batch?.watch(query);
  query.progress$.subscribe((p) => {
    progress.write(p);
    bar?.afterBatch(query, p);
  });

  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      logger.info(
        `${signal}: finishing the batch in flight, then stopping (${signal === 'SIGINT' ? 'Ctrl-C again' : 'a second signal'} aborts)`,
      );
      query.stop();
    } else {
      logger.info(`${signal} again: aborting; the batch in flight will be re-run on the next start`);
      bar?.finish();
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // `--progress json | head`: the reader left; stop as on Ctrl-C, quietly (no stack, exit 0).
  const restoreOutputs = whenOutputCloses((stream) => {
    logger.info(`${stream} was closed by its reader: finishing the batch in flight, then stopping`);
    query.stop();
  });
  const servers = services.describe(job);
  if (servers) logger.info(`[${job.name}] ${servers}`);
  let failure: unknown;
  try {
    logger.info(
      batch
        ? `[${job.name}] starting a batch run (from scratch; its checkpoint ${job.checkpointLocation} is deleted at the end)`
        : `[${job.name}] starting (checkpoint ${job.checkpointLocation}); Ctrl-C to stop`,
    );
    await query.run();
    if (batch) {
      logger.info(`[${job.name}] ${batch.summary(query)}`);
      return 0;
    }
    const run = { job: positionals[0], checkpoint: job.checkpointLocation, fromFlag: Boolean(values.checkpoint), maxBatches };
    const idle = nothingNewMessage(query, { ...run, stoppedBySignal: interrupts > 0 });
    if (idle) logger.info(`[${job.name}] ${idle}`);
    return 0;
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    await batch?.remove();
    bar?.finish();
    restoreOutputs();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (hub && ui) {
      // The final state stays on the page (a stopped or failed query is worth looking at) until Ctrl-C.
      hub.ended(job.name, failure);
      if (interrupts === 0) {
        progress.logger.info(`[${job.name}] the query ended; the UI keeps its final state until Ctrl-C`);
        await nextSignal();
      }
      await ui.close();
    }
    progress.close();
  }
}
