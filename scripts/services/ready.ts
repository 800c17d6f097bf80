/**
 * Waiting for a server to answer a real query (not just an open port: a port opens well before MariaDB has run
 * its recovery or Cassandra has loaded its schema). Gives up early when the process has already exited.
 */
export class NotReady extends Error {
  constructor(
    readonly reason: 'timeout' | 'exited',
    message: string,
  ) {
    super(message);
  }
}

export interface WaitOptions {
  timeoutMs: number;
  /** False once the process is gone: no point in waiting out the timeout. */
  alive: () => boolean;
  intervalMs?: number;
}

/** Resolves with the milliseconds it took; rejects with NotReady carrying the last probe error. */
export async function waitUntilReady(probe: () => Promise<void>, options: WaitOptions): Promise<number> {
  const started = Date.now();
  let lastError = 'no answer yet';
  for (;;) {
    try {
      await probe();
      return Date.now() - started;
    } catch (error) {
      // First line only: client errors (cassandra-driver's above all) carry pages of nested detail.
      lastError = (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 300);
    }
    if (!options.alive()) throw new NotReady('exited', `the process exited before answering (last probe: ${lastError})`);
    if (Date.now() - started > options.timeoutMs) {
      throw new NotReady('timeout', `not ready within ${options.timeoutMs / 1000}s (last probe: ${lastError})`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}

/** Runs a probe with its own deadline, so a hung connection cannot stall the readiness loop. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
