/** kafkajs 2.2.4 as a contestant of `npm run bench -- kafka`. */
import { performance } from 'node:perf_hooks';
import { CompressionTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import { type BenchSettings, type Contestant, compareCommitted, transactionValues, TXN_RECORDS, within } from './contestant.js';
import { chunks, ExactlyOnceCheck, pipelined } from './records.js';

export function kafkajsContestant(settings: BenchSettings): Contestant {
  const kafka = new Kafka({ clientId: 'streamlab-bench-kafkajs', brokers: [settings.broker], logLevel: logLevel.ERROR });

  return {
    name: 'kafkajs 2.2.4',

    async produce(topic, workload) {
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
      await producer.connect();
      const messages = workload.values.map((value) => ({ value }));
      const start = performance.now();
      await pipelined(chunks(messages, settings.chunk), settings.inFlight, (batch) =>
        producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages: batch }),
      );
      const seconds = (performance.now() - start) / 1000;
      await producer.disconnect();
      return workload.records / seconds;
    },

    async consume(topic, workload) {
      const consumer = kafka.consumer({ groupId: `${topic}-reader` });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const check = new ExactlyOnceCheck(workload);
      let start = 0;
      consumer.on(consumer.events.GROUP_JOIN, () => (start = performance.now()));
      const done = new Promise<number>((resolve) => {
        void consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) check.add(message.value);
            if (check.count >= workload.records) resolve(performance.now());
          },
        });
      });
      const end = await within(done, 600_000, `kafkajs read of ${topic}`);
      await consumer.disconnect();
      const problem = check.problem();
      if (problem) throw new Error(`kafkajs read ${topic}: ${problem}`);
      return workload.records / ((end - start) / 1000);
    },

    async transactions(topic) {
      const producer = kafka.producer({
        transactionalId: `${topic}-txn`,
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      for (const n of [1, 2, 3]) {
        const transaction = await producer.transaction();
        await transaction.send({ topic, messages: transactionValues(n).map((value) => ({ value })) });
        await (n === 2 ? transaction.abort() : transaction.commit());
      }
      await producer.disconnect();
      const consumer = kafka.consumer({ groupId: `${topic}-reader`, readUncommitted: false });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const read: string[] = [];
      const enough = new Promise<void>((resolve) => {
        void consumer.run({
          autoCommit: false,
          eachMessage: async ({ message }) => {
            read.push(String(message.value));
            if (read.length >= 2 * TXN_RECORDS) resolve();
          },
        });
      });
      try {
        // An aborted record leaking through would come before the third transaction's, in offset order.
        await within(enough, 30_000, `kafkajs read_committed of ${topic}`);
      } finally {
        await consumer.disconnect();
      }
      return compareCommitted(read);
    },
  };
}
