/** The engine's logger: lines on stderr, so stdout stays free for data (console sink, `--progress json`). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const stderrLogger: Logger = {
  info: (m) => process.stderr.write(`${m}\n`),
  warn: (m) => process.stderr.write(`warning: ${m}\n`),
  error: (m) => process.stderr.write(`error: ${m}\n`),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
