/**
 * streamlab's own kafka sink and kafka source as contestants of `npm run bench -- kafka`, measured as jobs use them.
 *
 * - produce: the workload's records as rows `{ value }` (text: the record number then filler, the workload's size),
 *   handed to the kafka sink's foreachBatch in micro-batches of BENCH_MICRO_BATCH rows (default 100,000), batch ids
 *   0, 1, ...: exactlyOnce (one transaction per batch with its marker) or atLeastOnce. The clock runs over every call.
 * - consume: a real StreamingQuery (availableNow, a checkpoint in a temp folder) with the kafka source from the
 *   earliest offsets, maxOffsetsPerTrigger BENCH_MAX_OFFSETS (default 100,000, as a job reading a backlog would set it;
 *   0: the whole backlog in one batch), and a foreachBatch that only counts and checks the values: every record
 *   exactly once. The clock
 *   starts before the query (its open and planning included) and stops when the query ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { asyncScheduler } from 'rxjs';
import { createSource } from '../../src/api/build.js';
import { silentLogger } from '../../src/core/logger.js';
import { StreamingQuery } from '../../src/core/query.js';
import type { Row } from '../../src/core/row.js';
import { kafkaSink } from '../../src/sinks/kafka/index.js';
import { kafkaSource } from '../../src/sources/kafka/index.js';
import { buildContext } from '../../test/support/conformance/build-context.js';
import type { BenchSettings, Contestant } from './contestant.js';
import type { Workload } from './records.js';

const MICRO_BATCH = Number(process.env.BENCH_MICRO_BATCH ?? 100_000);
/** Records per batch of the reading query (maxOffsetsPerTrigger); 0: the whole backlog in one batch. */
const MAX_OFFSETS = Number(process.env.BENCH_MAX_OFFSETS ?? 100_000);
const NUMBER_WIDTH = 10;

/** Record i's value as text of `size` characters: i in 10 digits, then filler. */
function textValues(workload: Workload): string[] {
  const filler = 'streamlab-kafka-bench '.repeat(Math.ceil(workload.size / 22)).slice(0, workload.size - NUMBER_WIDTH);
  return Array.from({ length: workload.records }, (_, i) => String(i).padStart(NUMBER_WIDTH, '0') + filler);
}

/** Every record once, no other: the check the other contestants' readers make, on text values. */
function checkText(values: Iterable<unknown>, workload: Workload, seen: Uint8Array): string | undefined {
  let foreign = 0;
  let duplicates = 0;
  for (const value of values) {
    const i = typeof value === 'string' && value.length === workload.size ? Number(value.slice(0, NUMBER_WIDTH)) : -1;
    if (!(i >= 0 && i < workload.records)) foreign++;
    else if (seen[i]++ > 0) duplicates++;
  }
  return foreign + duplicates > 0 ? `${duplicates} duplicates, ${foreign} foreign values` : undefined;
}

export function streamlabContestant(settings: BenchSettings, deliveryGuarantee: 'exactlyOnce' | 'atLeastOnce'): Contestant {
  let texts: string[] | undefined;
  return {
    name: `streamlab kafka sink (${deliveryGuarantee}) / kafka source`,

    async produce(topic: string, workload: Workload) {
      texts ??= textValues(workload);
      const rows: Row[] = texts.map((value) => ({ value }));
      const options = kafkaSink.options.parse({
        bootstrapServers: settings.broker,
        topic,
        deliveryGuarantee,
        commitsTopic: `${topic}-commits`,
      });
      const sink = kafkaSink.create(options, buildContext([{ name: 'value', type: 'string' }]));
      const queryId = `bench-${topic}`;
      const start = performance.now();
      await sink.open({ queryId, queryName: 'kafka-bench', outputMode: 'append', logger: silentLogger });
      try {
        for (let batch = 0; batch * MICRO_BATCH < rows.length; batch++) {
          await sink.foreachBatch(rows.slice(batch * MICRO_BATCH, (batch + 1) * MICRO_BATCH), batch);
        }
      } finally {
        await sink.close();
      }
      return workload.records / ((performance.now() - start) / 1000);
    },

    async consume(topic: string, workload: Workload) {
      const seen = new Uint8Array(workload.records);
      let problem: string | undefined;
      const folder = mkdtempSync(join(tmpdir(), 'streamlab-kafka-bench-'));
      const fetchBytes = process.env.BENCH_FETCH_BYTES ? { maxBytesPerFetch: Number(process.env.BENCH_FETCH_BYTES) } : {};
      const source = createSource(kafkaSource, {
        bootstrapServers: settings.broker,
        subscribe: topic,
        startingOffsets: 'earliest',
        ...fetchBytes,
        ...(MAX_OFFSETS > 0 ? { maxOffsetsPerTrigger: MAX_OFFSETS } : {}),
      });
      const query = new StreamingQuery(
        {
          name: 'kafka-bench-read',
          source,
          operators: [],
          sink: {
            description: 'count and check',
            async open() {},
            async foreachBatch(rows) {
              problem ??= checkText(
                (function* () {
                  for (const row of rows) yield row.value;
                })(),
                workload,
                seen,
              );
            },
            async close() {},
          },
          trigger: { kind: 'availableNow' },
          outputMode: 'append',
          checkpointLocation: join(folder, 'checkpoint'),
          sourceIdentity: { type: 'kafka', options: {} },
        },
        { scheduler: asyncScheduler },
      );
      const start = performance.now();
      try {
        await query.run();
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
      const seconds = (performance.now() - start) / 1000;
      const missing = seen.reduce((n, s) => n + (s === 0 ? 1 : 0), 0);
      if (problem || missing) throw new Error(`streamlab kafka source read ${topic}: ${missing} missing; ${problem ?? ''}`);
      return workload.records / seconds;
    },
  };
}
