import { hostname, type } from 'node:os';
import { type Subscription, interval } from 'rxjs';
import si from 'systeminformation';
import { z } from 'zod';
import { defineSource } from '../component/definition.js';
import { durationOption } from '../component/options.js';
import { PushBuffer, pushBufferOptions, type OverflowPolicy } from '../core/push-buffer.js';
import { PushSource } from '../core/push-source.js';
import type { Row } from '../core/row.js';
import type { Schema } from '../core/schema.js';
import type { Source, SourceContext } from '../core/source.js';

const options = z.strictObject({
  interval: durationOption("Time between two samples (the workshop's PERIOD_SEC).", { default: '5s', positive: true }),
  ...pushBufferOptions,
});

/** The telemetry workshop's `sys_metrics` model: tags hostname and os, fields cpu_percent, mem_used_mb, mem_percent. */
export const SYSTEM_SCHEMA: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'hostname', type: 'string' },
  { name: 'os', type: 'string' },
  { name: 'cpu_percent', type: 'double' },
  { name: 'mem_used_mb', type: 'double' },
  { name: 'mem_percent', type: 'double' },
];

export type Sampler = () => Promise<Omit<Row, 'timestamp'>>;

/**
 * CPU and memory as psutil reports them to the workshop's Python agent: cpu_percent over the last interval, memory
 * used = total - free - buffers - cache (systeminformation's `active`), percent = (total - available) / total.
 */
export const sampleMachine: Sampler = async () => {
  const [load, mem] = await Promise.all([si.currentLoad(), si.mem()]);
  return {
    hostname: hostname(),
    os: type(),
    cpu_percent: round2(load.currentLoad),
    mem_used_mb: round2(mem.active / 1024 / 1024),
    mem_percent: round2(((mem.total - mem.available) / mem.total) * 100),
  };
};

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * Samples this machine every `interval` into a bounded buffer. A push source: the samples exist only in this
 * process, so it is not replayable (a batch lost in a crash is not sampled again), as Spark's socket source.
 * Sampling cannot pause, so `block` drops the new sample when the buffer is full.
 */
export class SystemSource extends PushSource implements Source {
  readonly schema = SYSTEM_SCHEMA;
  readonly description: string;
  private subscription?: Subscription;
  private context!: SourceContext;

  constructor(
    private readonly intervalMs: number,
    maxBufferedRows: number,
    policy: OverflowPolicy,
    private readonly sample: Sampler = sampleMachine,
  ) {
    super(new PushBuffer(maxBufferedRows, policy));
    this.description = `SystemMetrics(interval=${intervalMs}ms, host=${hostname()})`;
  }

  async open(context: SourceContext) {
    this.context = context;
    this.limitBatches(context);
    await this.takeSample(); // a first sample at once, so the first batch does not wait a whole interval
    this.subscription = interval(this.intervalMs, context.scheduler).subscribe(() => void this.takeSample());
  }

  private async takeSample(): Promise<void> {
    const timestamp = new Date(this.context.scheduler.now());
    try {
      this.buffer.push({ timestamp, ...(await this.sample()) });
    } catch (error) {
      this.context.logger.warn(`system sampler: could not read CPU/memory: ${(error as Error).message}`);
    }
  }

  protected stopProducing(): void {
    this.subscription?.unsubscribe();
  }
}

export const systemSource = defineSource({
  type: 'system',
  summary: "Samples this machine's CPU and memory every interval (the telemetry workshop's sys_metrics). Push source: not replayable.",
  options,
  examples: [{}, { interval: '1s', maxBufferedRows: 1000, onBufferFull: 'dropOldest' }],
  create: (o) => new SystemSource(o.interval, o.maxBufferedRows, o.onBufferFull),
});
