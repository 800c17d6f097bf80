/**
 * Overload: a producer far faster than the sink, into the socket source, once per onBufferFull policy. Each policy
 * must keep delivering batches, and the accounting must be exact: every line read is either delivered once or
 * counted as dropped (nothing silently lost, nothing doubled, lines in order), and `block` drops nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OverflowPolicy } from '../../src/core/push-buffer.js';
import { readStream, socket } from '../../src/index.js';
import { lineNumber, startLineProducer } from '../support/line-producer.js';
import { exited } from '../support/cli.js';
import { emptyTally, type Tally } from './job-process.js';

export interface OverloadResult extends Tally {
  policy: OverflowPolicy;
  batches: number;
  dropped: number;
}

export const POLICIES: OverflowPolicy[] = ['block', 'dropNewest', 'dropOldest'];

/** A sink slower than the producer: 50 ms per batch plus 2 µs per row. */
const slowSink = (rows: number) => new Promise((r) => setTimeout(r, 50 + rows / 500));

export async function overloadRun(policy: OverflowPolicy, lines: number): Promise<OverloadResult> {
  const result: OverloadResult = { ...emptyTally(`socket, ${policy}`), policy, batches: 0, dropped: 0, expected: lines };
  const producer = await startLineProducer(lines);
  const dir = await mkdtemp(join(tmpdir(), 'streamlab-chaos-overload-'));
  const numbers: number[] = [];
  try {
    const running = readStream(socket({ host: '127.0.0.1', port: producer.port, onBufferFull: policy, maxBufferedRows: 20_000 }))
      .writeStream({ checkpointLocation: join(dir, 'checkpoint'), maxRowsPerBatch: 50_000 })
      .foreachBatch(async (rows) => {
        result.batches++;
        for (const row of rows) numbers.push(lineNumber(String(row.value)));
        await slowSink(rows.length);
      });
    const dropped = () => Number(running.query.lastProgress?.sources[0].metrics.droppedRows ?? 0);
    const deadline = Date.now() + 120_000;
    while (numbers.length + dropped() < lines && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    running.stop();
    await running.awaitTermination();
    result.dropped = dropped();
  } finally {
    producer.child.kill('SIGKILL');
    await exited(producer.child);
    await rm(dir, { recursive: true, force: true });
  }
  account(numbers, result);
  return result;
}

/** Lines in order, none twice; delivered + dropped = every line written; block drops none; more than one batch. */
function account(numbers: number[], result: OverloadResult): void {
  result.found = numbers.length;
  for (let i = 1; i < numbers.length; i++) {
    if (numbers[i] === numbers[i - 1]) result.duplicates++;
    else if (numbers[i] < numbers[i - 1]) result.failures.push(`line ${numbers[i]} delivered after line ${numbers[i - 1]}`);
  }
  result.missing = Math.max(0, result.expected - (numbers.length - result.duplicates) - result.dropped);
  result.unexpected = Math.max(0, numbers.length - result.duplicates + result.dropped - result.expected);
  if (result.duplicates > 0) result.failures.push(`${result.duplicates} lines delivered twice`);
  if (result.missing > 0) result.failures.push(`${result.missing} lines neither delivered nor counted as dropped`);
  if (result.unexpected > 0) result.failures.push(`${result.unexpected} more lines delivered or dropped than were written`);
  if (result.policy === 'block' && result.dropped > 0) result.failures.push(`block dropped ${result.dropped} lines`);
  if (result.batches < 2) result.failures.push(`only ${result.batches} batch: the sink starved`);
}
