/**
 * A logger for tests that keeps every line, so a test can look at retries, skips and warnings. Lines carry their
 * level (`warn: batch 3 ...`); `messages(level)` gives the bare messages of one level.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import type { Logger } from '../../src/core/logger.js';

type Level = 'info' | 'warn' | 'error';

export interface MemoryLogger extends Logger {
  /** Every line so far, `level: message`. */
  readonly lines: string[];
  /** The messages of one level, without the prefix. */
  messages(level: Level): string[];
}

export function memoryLogger(): MemoryLogger {
  const entries: Array<[Level, string]> = [];
  const lines: string[] = [];
  const log = (level: Level) => (message: string) => {
    entries.push([level, message]);
    lines.push(`${level}: ${message}`);
  };
  return {
    lines,
    messages: (level) => entries.filter(([l]) => l === level).map(([, m]) => m),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
}
