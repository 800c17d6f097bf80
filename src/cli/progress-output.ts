import { closeSync, openSync, writeSync } from 'node:fs';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { formatProgressLine, type QueryProgress } from '../core/progress.js';
import { redact } from '../core/redact.js';
import { writeTo } from './broken-pipe.js';

/** `--progress text`, `--progress json` or `--progress json=FILE`. */
export type ProgressOption = { format: 'text' } | { format: 'json'; file?: string };

export function parseProgressOption(value: string): ProgressOption {
  if (value === 'text' || value === 'json') return { format: value };
  if (value.startsWith('json=') && value.length > 'json='.length) return { format: 'json', file: value.slice('json='.length) };
  throw ConfigError.single({ message: `--progress: expected text, json or json=FILE, found '${value}'` });
}

/** Where a run's progress and log lines go, chosen once the job is built. */
export interface ProgressOutput {
  logger: Logger;
  write(progress: QueryProgress): void;
  close(): void;
}

/**
 * Gives the JSON progress a stream of its own, so `| jq` always parses every line:
 * - json=FILE: one object per line in FILE (truncated at start); the terminal keeps the text lines on stderr;
 * - json, when the sink does not print to stdout: stdout holds only the objects, the log stays text on stderr;
 * - json, when the sink prints to stdout (console): the objects go to stderr, and so that stderr stays JSON lines,
 *   the log lines there become objects too (`{"level":"info","message":...}`), starting with one that says so.
 */
export function openProgressOutput(option: ProgressOption, sinkWritesStdout: boolean, textLogger: Logger): ProgressOutput {
  const textLine = (progress: QueryProgress) => textLogger.info(formatProgressLine(progress));
  if (option.format === 'text') return { logger: textLogger, write: textLine, close() {} };
  const json = (value: unknown) => `${redact(JSON.stringify(value))}\n`;
  if (option.file !== undefined) {
    const file = openFile(option.file);
    return {
      logger: textLogger,
      write: (progress) => {
        writeSync(file, json(progress));
        textLine(progress);
      },
      close: () => closeSync(file),
    };
  }
  if (!sinkWritesStdout) return { logger: textLogger, write: (p) => writeTo(process.stdout, json(p)), close() {} };
  const line = (level: string) => (message: string) => writeTo(process.stderr, json({ level, message }));
  const logger: Logger = { info: line('info'), warn: line('warning'), error: line('error') };
  logger.info(
    'progress: JSON lines on stderr, as the sink prints its batches on stdout; log lines are JSON too. ' +
      '--progress json=FILE writes the progress objects alone to a file',
  );
  return { logger, write: (p) => writeTo(process.stderr, json(p)), close() {} };
}

function openFile(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (error) {
    throw ConfigError.single({ message: `--progress json=${path}: cannot write the file (${errorMessage(error)})` });
  }
}
