/**
 * One streamlab contestant's direction alone, for a CPU profile of the sink or the source without the rest of the
 * bench in it:
 *
 *   node dist/bench/kafka/profile.js sink|sink-alo|source [records] [profile.cpuprofile]
 *
 * `sink` / `sink-alo` write the records to a fresh topic (exactlyOnce / atLeastOnce); `source` first writes them with
 * atLeastOnce, outside the profile, then reads them back through a query. Prints records/s; topics deleted. The
 * profile (the same format as node --cpu-prof's) covers the measured direction only.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { randomBytes } from 'node:crypto';
import { Admin } from '@platformatic/kafka';
import { service } from '../../test/support/services.js';
import { formatRate } from '../stats.js';
import { makeWorkload } from './records.js';
import { streamlabContestant } from './streamlab.js';

const [what = 'source', count = '500000', profileFile] = process.argv.slice(2);
const kafka = service('kafka');
if (kafka.skip) throw new Error(kafka.skip);
const settings = { broker: kafka.address, chunk: 2000, inFlight: 4 };
const workload = makeWorkload(Number(count), 200);
const topic = `kafka-profile-${randomBytes(3).toString('hex')}`;
const admin = new Admin({ clientId: 'streamlab-bench-profile', bootstrapBrokers: [kafka.address] });
await admin.createTopics({ topics: [topic], partitions: Number(process.env.BENCH_PARTITIONS ?? 1), replicas: 1 });
const session = new Session();
session.connect();
await session.post('Profiler.enable');
const profiled = async <T>(run: () => Promise<T>): Promise<T> => {
  if (profileFile) await session.post('Profiler.start');
  const result = await run();
  if (profileFile) writeFileSync(profileFile, JSON.stringify((await session.post('Profiler.stop')).profile));
  return result;
};
try {
  const exactlyOnce = streamlabContestant(settings, 'exactlyOnce');
  const atLeastOnce = streamlabContestant(settings, 'atLeastOnce');
  if (what === 'source') {
    await atLeastOnce.produce(topic, workload);
    process.stdout.write(`source: ${formatRate(await profiled(() => atLeastOnce.consume(topic, workload)))} records/s\n`);
  } else {
    const rate = await profiled(() => (what === 'sink' ? exactlyOnce : atLeastOnce).produce(topic, workload));
    process.stdout.write(`${what}: ${formatRate(rate)} records/s\n`);
  }
} finally {
  const extra = what === 'sink' ? [`${topic}-commits`] : [];
  await admin.deleteTopics({ topics: [topic, ...extra] }).catch(() => undefined);
  await admin.close();
}
