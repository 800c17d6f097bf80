/**
 * A process for the kafka sink's crash tests (test/sinks/kafka-crash.test.ts): a query from the rate-micro-batch
 * source (value = offset, so a replay gives the same rows) through the real kafka sink (exactly-once) into a topic
 * with three partitions, every record field set (key, value, headers, partition). It kills itself with SIGKILL at the
 * point the environment names, in batch KILL_AT:
 *
 *   KILL_WHERE=after-write      the batch's transaction is committed, commits/N is not written (the engine's gap)
 *   KILL_WHERE=in-transaction   the rows and the marker are sent, the transaction is neither committed nor aborted
 *
 * Without KILL_WHERE it runs MAX_BATCHES batches and exits 0. It prints `replayed N` for a batch the engine runs again.
 * Run as `node dist/test/support/kafka-sink-child.js` with KAFKA_SINK_CHILD=1 (the test passes the environment);
 * without it the file does nothing, as node's runner also loads it as a file of its own.
 */
import { Producer } from '@platformatic/kafka';
import { mapRows } from '../../src/core/operator.js';
import { StreamingQuery } from '../../src/core/query.js';
import type { Row } from '../../src/core/row.js';
import type { Sink, SinkContext } from '../../src/core/sink.js';
import { kafkaSink } from '../../src/sinks/kafka/index.js';
import { RateMicroBatchSource } from '../../src/sources/rate-micro-batch.js';
import { buildContext } from './conformance/build-context.js';

export const ROWS_PER_BATCH = 7;

/** The record fields of rate row `v`: what the sink must write, and what the test expects to read back. */
export function crashRecord(v: number) {
  return {
    key: `k-${v}`,
    value: JSON.stringify({ v, text: `row ${v} é ✓` }),
    headers: [
      { key: 'source', value: 'rate' },
      { key: 'v', value: String(v) },
    ],
    partition: v % 3,
  };
}

async function main() {
  const env = process.env;
  const killAt = Number(env.KILL_AT ?? -1);
  const killWhere = env.KILL_WHERE ?? '';
  let currentBatch = -1;
  const kill = () => process.kill(process.pid, 'SIGKILL');

  if (killWhere === 'in-transaction') {
    // The sink's transaction object is not exported: wrap commit() on each one beginTransaction() returns.
    const begin = Producer.prototype.beginTransaction as (this: Producer) => Promise<{ commit: () => Promise<void> }>;
    (Producer.prototype as unknown as { beginTransaction: unknown }).beginTransaction = async function (this: Producer) {
      const transaction = await begin.call(this);
      const commit = transaction.commit.bind(transaction);
      transaction.commit = () => {
        if (currentBatch === killAt) kill();
        return commit();
      };
      return transaction;
    };
  }

  class KillingSink implements Sink {
    readonly description: string;
    constructor(private readonly inner: Sink) {
      this.description = inner.description;
    }
    open(context: SinkContext) {
      return this.inner.open(context);
    }
    async foreachBatch(rows: Row[], batchId: number) {
      currentBatch = batchId;
      await this.inner.foreachBatch(rows, batchId);
      if (killWhere === 'after-write' && batchId === killAt) kill();
    }
    close() {
      return this.inner.close();
    }
  }

  const schema = [
    { name: 'key', type: 'string' as const },
    { name: 'value', type: 'string' as const },
    { name: 'headers', type: 'array' as const },
    { name: 'partition', type: 'long' as const },
  ];
  const options = kafkaSink.options.parse({
    bootstrapServers: env.KAFKA_ADDRESS,
    topic: env.TOPIC,
    commitsTopic: env.COMMITS_TOPIC,
    maxRetries: 3,
  });
  const query = new StreamingQuery(
    {
      name: 'kafka-crash',
      source: new RateMicroBatchSource(ROWS_PER_BATCH, 0, 1000),
      operators: [mapRows((rows) => rows.map((row) => crashRecord(row.value as number)))],
      sink: new KillingSink(kafkaSink.create(options, buildContext(schema))),
      trigger: { kind: 'default' },
      outputMode: 'append',
      checkpointLocation: env.CHECKPOINT!,
    },
    {
      maxBatches: env.MAX_BATCHES ? Number(env.MAX_BATCHES) : undefined,
      logger: { info: (m) => console.log(m), warn: (m) => console.log(`warn: ${m}`), error: (m) => console.log(`error: ${m}`) },
    },
  );
  query.progress$.subscribe((p) => console.log(`${p.recovered ? 'replayed' : 'ran'} ${p.batchId}`));
  await query.run();
}

if (process.env.KAFKA_SINK_CHILD === '1') await main();
