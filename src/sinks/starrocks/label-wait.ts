import { errorMessage, RuntimeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { sleepUnlessStopped } from '../../core/stop.js';
import type { LoadState, StreamLoadClient } from './stream-load.js';

export interface LabelWaitConfig {
  client: StreamLoadClient;
  database: string;
  logger: Logger;
  /** Seconds; the `timeout` the loads are sent with (StarRocks aborts a PREPARE load after it). */
  loadTimeoutS: number;
  /** Seconds the sink waits for a label that stays PREPARE/PREPARED and cannot be cancelled. */
  maxWaitS: number;
  /** SinkContext.stopSignal: a stop ends the wait at once. */
  stopSignal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** How often the sink says, while it waits, what it waits for. */
const REPORT_EVERY_MS = 30_000;

/**
 * After `Label Already Exists`: what became of the earlier load under this query's own `label`?
 *   VISIBLE / COMMITTED  the rows are in: 'loaded';
 *   ABORTED              it failed: 'aborted' (load again under the same label, which StarRocks frees on abort);
 *   UNKNOWN              contradicts "already exists": an error, rather than risk loading twice;
 *   PREPARE / PREPARED   still open. The label holds a batch of this query, and the checkpoint's lock lets one
 *                        process run it, so the load was left by an earlier attempt whose client died (a crash, a
 *                        lost connection). The sink cancels it (POST /api/{db}/{label}/_cancel). Safe either way:
 *                        the FE commits or aborts a transaction, never both, so a load that was about to commit
 *                        stays VISIBLE and is not loaded again. If the FE refuses, the sink waits, saying so every
 *                        30 s, at most maxWaitS, and a stop ends the wait at once (StopRequestedError).
 */
export async function settleLabel(label: string, batchId: number, config: LabelWaitConfig): Promise<'loaded' | 'aborted'> {
  const { client, logger } = config;
  const now = config.now ?? Date.now;
  const started = now();
  let cancelTried = false;
  let reportedAt: number | undefined;
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    const { state, reason } = await client.loadState(label, 30_000);
    switch (state) {
      case 'VISIBLE':
      case 'COMMITTED':
        return 'loaded';
      case 'ABORTED':
        logger.info(`starrocks sink: the earlier load under label ${label} was aborted${reason ? ` (${reason})` : ''}; loading again`);
        return 'aborted';
      case 'UNKNOWN':
        throw new RuntimeError(
          `starrocks sink: label ${label} at FE ${client.feUrl}: StarRocks answered "Label Already Exists", but get_load_state does not know the label (UNKNOWN). ` +
            'Is another database or cluster involved? The sink stops rather than risk loading the rows twice.',
        );
    }
    if (!cancelTried) {
      cancelTried = true;
      if (await cancelOrphan(label, state, batchId, config)) continue;
    }
    const waitedMs = now() - started;
    if (waitedMs >= config.maxWaitS * 1000) throw waitExceeded(label, state, batchId, config);
    if (reportedAt === undefined || waitedMs - reportedAt >= REPORT_EVERY_MS) {
      reportedAt = waitedMs;
      logger.info(
        `starrocks sink: batch ${batchId}: waiting for label ${label} (state ${state}) at FE ${client.feUrl} to commit or abort; ` +
          `${Math.round(waitedMs / 1000)} s so far, at most ${config.maxWaitS} s (labelWaitTimeout); Ctrl-C stops`,
      );
    }
    await sleepUnlessStopped(
      wait,
      config.stopSignal,
      () => `stopped while waiting for label ${label} (state ${state}) at FE ${client.feUrl}`,
      config.sleep,
    );
  }
}

/** Asks the FE to abort the open load under `label`; true if it did. */
async function cancelOrphan(label: string, state: LoadState, batchId: number, config: LabelWaitConfig): Promise<boolean> {
  const { client, logger } = config;
  logger.info(
    `starrocks sink: batch ${batchId}: label ${label} is ${state} at FE ${client.feUrl}: an earlier attempt of this query left its load open; cancelling it to load the batch again`,
  );
  try {
    const { cancelled, message } = await client.cancel(label, 30_000);
    if (cancelled) return true;
    logger.warn(`starrocks sink: FE ${client.feUrl} did not cancel label ${label}: ${message}`);
  } catch (error) {
    logger.warn(`starrocks sink: cancelling label ${label} at FE ${client.feUrl} failed: ${errorMessage(error)}`);
  }
  return false;
}

function waitExceeded(label: string, state: LoadState, batchId: number, config: LabelWaitConfig): RuntimeError {
  const { client } = config;
  return new RuntimeError(
    `starrocks sink: batch ${batchId}: label ${label} is still ${state} at FE ${client.feUrl} after ${config.maxWaitS} s (labelWaitTimeout), and the FE did not cancel it. ` +
      `${state === 'PREPARED' ? `A PREPARED (two-phase) transaction is ended only by a commit or rollback through /api/transaction/{commit,rollback} with this label` : `StarRocks aborts a PREPARE load once its timeout (${config.loadTimeoutS} s here) has passed; abort it sooner with curl -X POST -u <user> ${client.feUrl}/api/${config.database}/${label}/_cancel`}. ` +
      `Then start the job again; nothing of batch ${batchId} was committed.`,
  );
}
