/**
 * Shared retry with exponential backoff and full jitter, for sinks and sources alike: each component says only
 * which errors are retriable and may name a server-requested delay (e.g. HTTP Retry-After).
 */
export interface RetryPolicy {
  /** Attempts after the first one; 0 disables retrying. */
  maxRetries: number;
  /** First backoff, doubled each retry up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 10, initialDelayMs: 100, maxDelayMs: 10_000 };

export interface RetryHooks {
  /** False for errors that retrying cannot fix (bad credentials, bad data): they are thrown at once. */
  isRetriable(error: unknown): boolean;
  /** A delay the server asked for, in ms, if any. */
  requestedDelayMs?(error: unknown): number | undefined;
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
  /** Injected for tests; defaults to a real timer. */
  sleep?(ms: number): Promise<void>;
}

/** Delay before retry number `attempt` (1-based): full jitter over an exponentially growing cap. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

export async function withRetry<T>(operation: () => Promise<T>, policy: RetryPolicy, hooks: RetryHooks): Promise<T> {
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt > policy.maxRetries || !hooks.isRetriable(error)) throw error;
      const delay = Math.min(hooks.requestedDelayMs?.(error) ?? backoffDelay(attempt, policy), policy.maxDelayMs * 6);
      hooks.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}

/**
 * The policy for opening a connection. In a check (`validate --connect`, `failFast`) a server that is down is
 * reported at once: retries are for a job, which may outlive a server's restart.
 */
export function retriesFor(policy: RetryPolicy, context: { failFast?: boolean }): RetryPolicy {
  return context.failFast ? { ...policy, maxRetries: 0 } : policy;
}

/**
 * The end of a retry warning, saying how long the component will keep trying: `retry 3/10 in 2000 ms (gives up
 * after ~30 s more)`. The estimate is this delay plus the mean of the backoffs still ahead (the attempts' own time
 * is not counted: a refused connection takes none, a timeout takes its timeout).
 */
/** Whether a log line is a retry warning (it ends with describeRetry's text): what /metrics counts as a retry. */
export function isRetryWarning(message: string): boolean {
  return RETRY_WARNING.test(message);
}

const RETRY_WARNING = /\bretry \d+\/\d+ in \d+ ms\b/;

export function describeRetry(attempt: number, delayMs: number, policy: RetryPolicy): string {
  const head = `retry ${attempt}/${policy.maxRetries} in ${delayMs} ms`;
  if (attempt >= policy.maxRetries) return `${head} (the last one)`;
  let waitMs = delayMs;
  for (let next = attempt + 1; next <= policy.maxRetries; next++) {
    waitMs += 0.75 * Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (next - 1));
  }
  return `${head} (gives up after ~${Math.max(1, Math.round(waitMs / 1000))} s more)`;
}
