import type { StateInspector } from '../../component/definition.js';
import { formatDuration } from '../../core/duration.js';
import type { StatefulOperator, TraceEvent } from '../../core/operator.js';
import type { Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';
import { formatCell, formatTable } from './format.js';

/**
 * The console's `showState`: after each batch, what the stateful operators did with its rows (counted, or dropped as
 * late and why, or kept / dropped as duplicate), the watermark this batch used and the one the next will use, and
 * the state table. It is the late-data example's narration, printed from the operators' own per-batch traces.
 */
export function formatState(inspector: StateInspector, numRows: number, truncate: boolean): string {
  const out: string[] = [];
  const trace = inspector.stateful.find((o) => o.trace)?.trace;
  const watermark = watermarkLine(inspector, trace?.watermarkMs);
  if (watermark) out.push(watermark);
  if (trace?.enabled) out.push(lateRowLine(trace.watermarkMs, trace.lateWatermarkMs));
  inspector.stateful.forEach((operator, id) => {
    const name = `${operator.operatorName} (operator ${id})`;
    if (operator.trace?.enabled) {
      const { events, lateWatermarkMs } = operator.trace;
      if (events.length === 0)
        out.push(`Rows of this batch in ${name}: none (a batch without new rows still applies the watermark: it may emit or evict)`);
      else {
        out.push(`Rows of this batch in ${name}:`);
        out.push(formatTable(traceRows(events, lateWatermarkMs), traceSchema(events), numRows, truncate));
      }
    }
    const state = operator.stateRows();
    const m = operator.metrics();
    out.push(
      `State of ${name} after this batch: ${m.numRowsTotal} rows, ${m.numRowsUpdated} updated, ${m.numRowsRemoved} removed` +
        `${m.numRowsDroppedByWatermark ? `, ${m.numRowsDroppedByWatermark} late rows dropped` : ''}`,
    );
    out.push(formatTable(state.rows, state.schema, numRows, truncate));
  });
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/** `Watermark: this batch 12:04:00, next batch 12:11:00 (latest timestamp seen 12:21:00 - 10m)`. */
function watermarkLine(inspector: StateInspector, batchMs: number | undefined): string | undefined {
  const [operator] = inspector.watermarks;
  if (!operator) return undefined;
  const time = (ms: number) => formatCell(new Date(ms), 'timestamp');
  const stats = operator.stats();
  const used = batchMs === undefined ? '' : `this batch used ${batchMs === 0 ? 'none yet (0)' : time(batchMs)}`;
  if (!stats) return `Watermark: ${used || 'unchanged'}${used ? '; no event times in this batch, so it stays' : ''}`;
  const proposal = stats.max - operator.delayMs;
  const next = batchMs === undefined ? proposal : Math.max(batchMs, proposal);
  const why = `latest ${operator.column} seen ${time(stats.max)} - ${formatDuration(operator.delayMs)}${batchMs !== undefined && proposal < batchMs ? ' is behind it, and it never moves back' : ''}`;
  return `Watermark: ${used ? `${used}, ` : ''}the next batch uses ${time(next)} (${why})`;
}

/**
 * Spark 4 judges late rows by the previous batch's watermark and evicts/emits by this batch's
 * (spark.sql.streaming.statefulOperator.allowMultiple=true): say which one the rows below were compared with.
 */
function lateRowLine(batchMs: number, lateMs: number): string {
  const time = (ms: number) => (ms === 0 ? 'none yet (0)' : formatCell(new Date(ms), 'timestamp'));
  if (lateMs === batchMs) return `Late rows: judged by the same watermark, ${time(lateMs)} (the previous batch ran with it too)`;
  return (
    `Late rows: judged by the previous batch's watermark, ${time(lateMs)}, as Spark 4 does; this batch's, ${time(batchMs)}, ` +
    'only decides what is final (emitted in append mode, forgotten from the state)'
  );
}

function traceSchema(events: TraceEvent[]): Schema {
  const names = new Set<string>();
  for (const e of events) for (const k of Object.keys(e.row)) names.add(k);
  return [
    ...[...names].map((name) => ({ name, type: 'any' as const })),
    { name: 'outcome', type: 'string' },
    { name: 'why', type: 'string' },
  ];
}

function traceRows(events: TraceEvent[], watermarkMs: number): Row[] {
  const time = (ms: number) => formatCell(new Date(ms), 'timestamp');
  return events.map((e) => ({
    ...e.row,
    outcome: e.outcome === 'late' ? 'dropped' : e.outcome,
    why: e.deadline
      ? `${e.outcome === 'late' ? 'late: ' : ''}${e.deadline.what} ${time(e.deadline.atMs)} ${e.outcome === 'late' ? '<=' : '>'} watermark ${time(watermarkMs)}`
      : e.outcome === 'duplicate'
        ? 'key seen before'
        : '',
  }));
}

/** Turns tracing on in every stateful operator that can trace (it costs memory per row, so only on request). */
export function enableTracing(stateful: readonly StatefulOperator[]): void {
  for (const operator of stateful) if (operator.trace) operator.trace.enabled = true;
}
