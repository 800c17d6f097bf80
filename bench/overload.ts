/**
 * `npm run bench -- overload`: push-source overload. A producer process writes lines to a loopback socket as fast
 * as it can; a query reads them with the socket source into a sink slower than the producer (SINK_MS per batch plus
 * SINK_US_PER_ROW per row). For each onBufferFull policy it reports what reached the sink (rows/s, batches/s, the
 * longest wait between two batches) and the rows dropped. Baselines in the same run: a plain reader that only counts
 * the lines (what the producer offers), and, for the buffer itself, evicting the oldest row from a plain array queue
 * (Array.shift, as the buffer did before) against the ring buffer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readStream, socket } from '../src/index.js';
import type { OverflowPolicy } from '../src/core/push-buffer.js';
import { RingBuffer } from '../src/core/ring-buffer.js';
import { startLineProducer as startProducer } from '../test/support/line-producer.js';
import { formatRate } from './stats.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SINK_MS = Number(process.env.BENCH_SINK_MS ?? 50);
const SINK_US_PER_ROW = Number(process.env.BENCH_SINK_US_PER_ROW ?? 2);
const BUFFER = Number(process.env.BENCH_BUFFER ?? 100_000);

/** Baseline: what the producer offers this process, counted by a plain reader (no rows, no buffer, no engine). */
async function plainReader(port: number): Promise<number> {
  const s = connect(port, '127.0.0.1');
  let lines = 0;
  s.on('data', (chunk: Buffer) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  });
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  s.destroy();
  return lines / SECONDS;
}

interface Delivery {
  rowsPerSecond: number;
  batchesPerSecond: number;
  longestGapMs: number;
  dropped: number;
}

async function policyRun(port: number, policy: OverflowPolicy, dir: string): Promise<Delivery> {
  let rows = 0;
  let batches = 0;
  let last = performance.now();
  let longestGapMs = 0;
  const running = readStream(socket({ host: '127.0.0.1', port, onBufferFull: policy, maxBufferedRows: BUFFER }))
    .writeStream({ checkpointLocation: join(dir, policy) })
    .foreachBatch(async (batch) => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - last);
      last = now;
      rows += batch.length;
      batches++;
      await new Promise((r) => setTimeout(r, SINK_MS + (batch.length * SINK_US_PER_ROW) / 1000));
    });
  const started = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const seconds = (performance.now() - started) / 1000;
  const result = { rows, batches, longestGapMs: Math.max(longestGapMs, performance.now() - last) };
  const dropped = Number(running.query.lastProgress?.sources[0].metrics.droppedRows ?? 0);
  running.stop();
  await running.awaitTermination();
  return { rowsPerSecond: result.rows / seconds, batchesPerSecond: result.batches / seconds, longestGapMs: result.longestGapMs, dropped };
}

/** Evictions of the oldest of `capacity` rows per second, for about one second each: Array.shift against the ring. */
function evictionRates(capacity: number): { array: number; ring: number } {
  const row = { value: 'x' };
  const rate = (evict: () => void) => {
    const start = performance.now();
    let done = 0;
    while (performance.now() - start < 1000) {
      for (let i = 0; i < 1000; i++) evict();
      done += 1000;
    }
    return done / ((performance.now() - start) / 1000);
  };
  const array: unknown[] = Array.from({ length: capacity }, () => row);
  const ring = new RingBuffer<unknown>(capacity);
  for (let i = 0; i < capacity; i++) ring.push(row);
  return {
    array: rate(() => {
      array.shift();
      array.push(row);
    }),
    ring: rate(() => {
      ring.shift();
      ring.push(row);
    }),
  };
}

async function main() {
  const eviction = evictionRates(BUFFER);
  console.log(`dropOldest eviction, ${BUFFER.toLocaleString()} rows held:`);
  console.log(`  array queue (Array.shift): ${formatRate(eviction.array)} evictions/s`);
  console.log(`  ring buffer:               ${formatRate(eviction.ring)} evictions/s  (${(eviction.ring / eviction.array).toFixed(1)}x)`);

  const dir = await mkdtemp(join(tmpdir(), 'streamlab-bench-overload-'));
  const producer = await startProducer();
  try {
    console.log(
      `\noverload: producer as fast as it can -> socket source (maxBufferedRows ${BUFFER.toLocaleString()}) -> sink taking ${SINK_MS} ms + ${SINK_US_PER_ROW} µs/row per batch, ${SECONDS} s each`,
    );
    const offered = await plainReader(producer.port);
    console.log(`  plain reader (baseline):   ${formatRate(offered)} lines/s offered`);
    for (const policy of ['block', 'dropNewest', 'dropOldest'] as const) {
      const d = await policyRun(producer.port, policy, dir);
      console.log(
        `  ${policy.padEnd(11)} delivered ${formatRate(d.rowsPerSecond).padStart(6)} rows/s (${((d.rowsPerSecond / offered) * 100).toFixed(1)}% of offered), ` +
          `${d.batchesPerSecond.toFixed(1)} batches/s, longest gap ${d.longestGapMs.toFixed(0)} ms, dropped ${d.dropped.toLocaleString()}`,
      );
    }
  } finally {
    producer.child.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
