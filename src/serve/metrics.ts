import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { QueryProgress } from '../core/progress.js';
import { isRetryWarning } from '../core/retry.js';
import type { QueryHub } from './query-hub.js';
import type { QueryEvent, QueryStatus } from './query-record.js';

/**
 * /metrics in Prometheus' text format: per query (label `query`, the job name) what progress reports, as counters and
 * gauges Grafana can rate and graph, plus the process's own metrics (CPU, memory, event-loop lag) from prom-client.
 * Updated from the hub's events, so a scrape costs the engine nothing.
 */
export class QueryMetrics {
  readonly registry = new Registry();
  private readonly inputRows = this.counter('streamlab_input_rows_total', 'Rows read by the source.');
  private readonly outputRows = this.counter('streamlab_output_rows_total', 'Rows handed to the sink.');
  private readonly batches = this.counter('streamlab_batches_total', 'Batches committed.');
  private readonly droppedRows = new Counter({
    name: 'streamlab_dropped_rows_total',
    help: 'Rows dropped: reason="late" by the watermark (stateful operators), reason="buffer_full" by a push source.',
    labelNames: ['query', 'reason'],
    registers: [this.registry],
  });
  private readonly badRecords = new Counter({
    name: 'streamlab_bad_records_total',
    help: 'Records left out by onBadRecord skip or deadLetter, by stage (source or sink).',
    labelNames: ['query', 'stage'],
    registers: [this.registry],
  });
  private readonly retries = this.counter('streamlab_retries_total', 'Retries of a source or sink call (each retry warning).');
  private readonly errors = this.counter('streamlab_errors_total', 'Errors logged, including the one that failed a run.');
  private readonly batchDuration = new Histogram({
    name: 'streamlab_batch_duration_seconds',
    help: 'Time from trigger to commit of each batch (progress triggerExecution).',
    labelNames: ['query'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly watermarkLag = this.gauge(
    'streamlab_watermark_lag_seconds',
    'How far the watermark trails the time the last batch started (queries with a watermark).',
  );
  private readonly stateRows = new Gauge({
    name: 'streamlab_state_rows',
    help: 'Rows (keys) in the state of each stateful operator after the last batch.',
    labelNames: ['query', 'operator'],
    registers: [this.registry],
  });
  private readonly stateBytes = new Gauge({
    name: 'streamlab_state_memory_bytes',
    help: 'Estimated memory of the state of each stateful operator.',
    labelNames: ['query', 'operator'],
    registers: [this.registry],
  });
  private readonly up = this.gauge('streamlab_query_up', '1 while the query runs, 0 once it stopped or failed.');
  /** The push source's droppedRows is a running total per run: only its growth is added to the counter. */
  private readonly lastBufferDrops = new Map<string, number>();

  constructor(hub: QueryHub) {
    collectDefaultMetrics({ register: this.registry });
    hub.listen((event) => this.update(event));
  }

  private update(event: QueryEvent): void {
    const query = event.name;
    if (event.type === 'status') this.statusChanged(query, event.status);
    else if (event.type === 'log') {
      if (event.entry.level === 'error') this.errors.inc({ query });
      else if (isRetryWarning(event.entry.message)) this.retries.inc({ query });
    } else this.progressed(query, event.progress);
  }

  private statusChanged(query: string, status: QueryStatus): void {
    this.up.set({ query }, status === 'running' || status === 'stopping' ? 1 : 0);
    if (status === 'starting') this.lastBufferDrops.set(query, 0);
  }

  private progressed(query: string, p: QueryProgress): void {
    this.inputRows.inc({ query }, p.numInputRows);
    this.outputRows.inc({ query }, p.sink.numOutputRows);
    this.batches.inc({ query });
    this.batchDuration.observe({ query }, p.durationMs.triggerExecution / 1000);
    if (p.eventTime) this.watermarkLag.set({ query }, (Date.parse(p.timestamp) - Date.parse(p.eventTime.watermark)) / 1000);
    let late = 0;
    p.stateOperators.forEach((s, id) => {
      const operator = `${id}:${s.operatorName}`;
      this.stateRows.set({ query, operator }, s.numRowsTotal);
      this.stateBytes.set({ query, operator }, s.memoryUsedBytes);
      late += s.numRowsDroppedByWatermark;
    });
    if (late > 0) this.droppedRows.inc({ query, reason: 'late' }, late);
    const bufferTotal = p.sources[0]?.metrics.droppedRows ?? 0;
    const growth = bufferTotal - (this.lastBufferDrops.get(query) ?? 0);
    if (growth > 0) this.droppedRows.inc({ query, reason: 'buffer_full' }, growth);
    this.lastBufferDrops.set(query, bufferTotal);
    const sourceBad = p.sources[0]?.metrics.numBadRecords ?? 0;
    const sinkBad = p.sink.metrics?.numBadRecords ?? 0;
    if (sourceBad > 0) this.badRecords.inc({ query, stage: 'source' }, sourceBad);
    if (sinkBad > 0) this.badRecords.inc({ query, stage: 'sink' }, sinkBad);
  }

  private counter(name: string, help: string): Counter<'query'> {
    return new Counter({ name, help, labelNames: ['query'], registers: [this.registry] });
  }

  private gauge(name: string, help: string): Gauge<'query'> {
    return new Gauge({ name, help, labelNames: ['query'], registers: [this.registry] });
  }
}
