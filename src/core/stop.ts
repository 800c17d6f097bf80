/**
 * Stopping while a sink waits. The engine aborts the query's stop signal when it is asked to stop (the first Ctrl-C
 * or SIGTERM). A sink that is only waiting (for a server to settle an earlier load, or a retry backoff) may then give
 * up at once by throwing StopRequestedError: the batch is not committed and runs again on the next start, exactly
 * as after a crash, which every sink must survive anyway. Writes in flight are not interrupted.
 */
export class StopRequestedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StopRequestedError';
  }
}

/** Waits `ms` (with `sleep`, injectable for tests), or rejects with StopRequestedError(`why`) as soon as `signal` aborts. */
export function sleepUnlessStopped(
  ms: number,
  signal: AbortSignal | undefined,
  why: () => string,
  sleep: (ms: number) => Promise<void> = (delay) => new Promise((resolve) => setTimeout(resolve, delay)),
): Promise<void> {
  if (signal?.aborted) return Promise.reject(new StopRequestedError(why()));
  if (!signal) return sleep(ms);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(new StopRequestedError(why()));
    signal.addEventListener('abort', onAbort, { once: true });
    sleep(ms).then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
