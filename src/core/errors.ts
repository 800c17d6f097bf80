/**
 * Error types with the exit codes the CLI maps them to.
 * - ConfigError: the job or profile is wrong (exit 2, no stack trace). Carries every problem found, not just the first.
 * - RuntimeError: the job was valid but something failed while running (exit 1), e.g. a server refused a connection.
 */
export interface ConfigProblem {
  /** File the problem is in, when known. */
  file?: string;
  /** Dotted path inside the file, e.g. `sink.port` or `operators[1].filter`. */
  path?: string;
  /** 1-based line and column in the file, when known. */
  line?: number;
  column?: number;
  /** What is wrong: expected vs. found. */
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  const where = [p.file && (p.line ? `${p.file}:${p.line}${p.column ? `:${p.column}` : ''}` : p.file), p.path].filter(Boolean).join(' ');
  return where ? `${where}: ${p.message}` : p.message;
}

export class ConfigError extends Error {
  readonly exitCode = 2;
  /**
   * `notes` say what could not be checked because of the problems (e.g. operators whose input columns are not known);
   * they follow the problems in the message and are not counted as problems.
   */
  constructor(
    readonly problems: ConfigProblem[],
    readonly notes: string[] = [],
  ) {
    super([...problems.map(formatProblem), ...notes.map((n) => `note: ${n}`)].join('\n'));
    this.name = 'ConfigError';
  }
  static single(problem: ConfigProblem): ConfigError {
    return new ConfigError([problem]);
  }
}

export class RuntimeError extends Error {
  readonly exitCode = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RuntimeError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Node's codes for a connection that failed or broke (refused: a server restarting; reset or aborted: a dropped
 * keep-alive socket; timed out, unreachable, DNS not answering): worth another attempt, for every client.
 */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

export function isNetworkErrorCode(code: unknown): boolean {
  return typeof code === 'string' && NETWORK_ERROR_CODES.has(code);
}
