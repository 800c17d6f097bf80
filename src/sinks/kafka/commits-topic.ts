import type { Admin } from '@platformatic/kafka';

/**
 * Creates the commits topic when it is missing: one partition (the markers are read from partition 0) and
 * cleanup.policy=compact, so that with the query id as key only the newest marker of each query is kept for good.
 * A topic that exists is left as it is.
 */
export async function ensureCommitsTopic(admin: Admin, topic: string): Promise<void> {
  const existing = await admin.listTopics();
  if (existing.includes(topic)) return;
  try {
    await admin.createTopics({ topics: [topic], partitions: 1, replicas: -1, configs: [{ name: 'cleanup.policy', value: 'compact' }] });
  } catch (error) {
    // Another writer created it in between.
    if (!(error as { findBy?: (k: string, v: unknown) => unknown }).findBy?.('apiId', 'TOPIC_ALREADY_EXISTS')) throw error;
  }
}
