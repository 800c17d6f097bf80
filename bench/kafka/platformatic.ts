/** @platformatic/kafka (the version on main) as a contestant of `npm run bench -- kafka`. */
import { performance } from 'node:perf_hooks';
import { Consumer, type MessagesStream, Producer } from '@platformatic/kafka';
import { type BenchSettings, type Contestant, compareCommitted, TXN_RECORDS, transactionValues, within } from './contestant.js';
import { chunks, ExactlyOnceCheck, pipelined, type Workload } from './records.js';

const ACKS_ALL = -1;

/** Reads `stream` until `enough(count)`; resolves with the time the last record needed came. */
function readUntil(stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>, onRecord: (value: Buffer) => boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    stream.on('error', reject);
    stream.on('data', (message) => {
      if (onRecord(message.value)) resolve(performance.now());
    });
  });
}

export function platformaticContestant(settings: BenchSettings, version: string): Contestant {
  const base = { bootstrapBrokers: [settings.broker], clientId: 'streamlab-bench-platformatic' };

  async function read(topic: string, onRecord: (value: Buffer) => boolean, timeoutMs: number): Promise<{ start: number; end: number }> {
    const consumer = new Consumer({ ...base, groupId: `${topic}-reader` });
    try {
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
      const start = performance.now();
      try {
        const end = await within(readUntil(stream, onRecord), timeoutMs, `@platformatic/kafka read of ${topic}`);
        return { start, end };
      } finally {
        await stream.close();
      }
    } finally {
      await consumer.close();
    }
  }

  return {
    name: `@platformatic/kafka ${version}`,

    async produce(topic: string, workload: Workload) {
      const producer = new Producer({ ...base, acks: ACKS_ALL, autocreateTopics: false });
      const messages = workload.values.map((value) => ({ topic, value }));
      try {
        const start = performance.now();
        await pipelined(chunks(messages, settings.chunk), settings.inFlight, (batch) => producer.send({ messages: batch }));
        return workload.records / ((performance.now() - start) / 1000);
      } finally {
        await producer.close();
      }
    },

    async consume(topic: string, workload: Workload) {
      const check = new ExactlyOnceCheck(workload);
      const { start, end } = await read(
        topic,
        (value) => {
          check.add(value);
          return check.count === workload.records;
        },
        600_000,
      );
      const problem = check.problem();
      if (problem) throw new Error(`@platformatic/kafka read ${topic}: ${problem}`);
      return workload.records / ((end - start) / 1000);
    },

    async transactions(topic: string) {
      const producer = new Producer({ ...base, idempotent: true, transactionalId: `${topic}-txn` });
      try {
        for (const n of [1, 2, 3]) {
          const transaction = await producer.beginTransaction();
          await transaction.send({ messages: transactionValues(n).map((value) => ({ topic, value: Buffer.from(value) })) });
          await (n === 2 ? transaction.abort() : transaction.commit());
        }
      } finally {
        await producer.close();
      }
      const values: string[] = [];
      // An aborted record leaking through would come before the third transaction's, in offset order: reading the
      // expected count is enough to see it.
      await read(
        topic,
        (value) => {
          values.push(value.toString());
          return values.length === 2 * TXN_RECORDS;
        },
        30_000,
      );
      return compareCommitted(values);
    },
  };
}
