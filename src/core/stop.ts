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

/**
 * Waits `ms`, or rejects with StopRequestedError(`why`) as soon as `signal` aborts (the timer is then cleared, so it
 * keeps nothing alive). `sleep` replaces the timer in tests.
 */
export function sleepUnlessStopped(
  ms: number,
  signal: AbortSignal | undefined,
  why: () => string,
  sleep?: (ms: number) => Promise<void>,
): Promise<void> {
  if (signal?.aborted) return Promise.reject(new StopRequestedError(why()));
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(new StopRequestedError(why()));
    };
    const done = (error?: unknown) => {
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (sleep)
      sleep(ms).then(
        () => done(),
        (error: unknown) => done(error ?? new Error('sleep failed')),
      );
    else timer = setTimeout(done, ms);
  });
}
