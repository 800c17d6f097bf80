/** The engine's logger: lines on stderr, so stdout stays free for data (console sink, `--progress json`). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
