import { join } from 'node:path';
import type { z } from 'zod';
import type { BadRecordPolicy } from '../core/bad-records.js';
import { formatDuration } from '../core/duration.js';
import { describeSchema } from '../core/schema.js';
import type { OutputMode } from '../core/sink.js';
import { describeTrigger } from '../core/trigger.js';
import type { BuiltJob, PlanStep } from '../config/build-job.js';
import { REDACTED, redact } from '../core/redact.js';
import { isDurationOption } from '../component/options.js';
import { secretKeys } from '../component/secret.js';
import { findComponent, allComponents } from '../registry.js';
import { allOperators } from '../core/execution/union-operator.js';
import { PARALLEL_MIN_ROWS, parallelStageRuns } from '../core/columnar/parallel/plan.js';

/**
 * The query plan as a tree, in the order data flows (Spark prints it bottom-up; reading top-down is easier to
 * teach): input, each processing step with the columns it produces, output; then trigger, output mode and
 * checkpoint. Secret options are shown as ***.
 */
export function formatExplain(built: BuiltJob): string {
  const { job, plan } = built;
  const lines = [`== Streaming query '${job.name}' (${job.file}) ==`];
  if (job.description) lines.push(job.description);
  lines.push('');
  plan.forEach((step, i) => {
    const heading = step.kind === 'source' ? 'Input' : step.kind === 'sink' ? 'Output' : `Step ${i}`;
    lines.push(`${i === 0 ? '' : '   |\n   v\n'}${heading}: ${step.description}`);
    const options = formatOptions(step);
    if (options) lines.push(`     options: ${options}`);
    if (step.kind !== 'sink') lines.push(`     columns: ${describeSchema(step.schema)}`);
    for (const note of step.notes ?? []) lines.push(`     note: ${note}`);
    for (const [b, branch] of (step.branches ?? []).entries()) lines.push(...formatBranch(branch, b + 1));
  });
  const operators = allOperators(built.query.operators);
  const watermarks = operators.flatMap((o) => (o.watermark ? [o.watermark] : []));
  const watermark = watermarks[0];
  const stateful = operators.flatMap((o) => (o.stateful ? [o.stateful] : []));
  lines.push('');
  lines.push(`Trigger:        ${describeTrigger(job.trigger)}`);
  lines.push(`Output mode:    ${job.outputMode} (${OUTPUT_MODES[job.outputMode]})`);
  if (watermarks.length > 1) {
    const each = watermarks.map((w) => `${w.column} - ${formatDuration(w.delayMs)}`).join(', ');
    lines.push(
      `Watermark:      ${job.multipleWatermarkPolicy} over the streams' watermarks (${each}; multipleWatermarkPolicy), each the latest event time it saw minus its delay; kept in commits/ and offsets/, never moves back`,
    );
  } else if (watermark) {
    lines.push(
      `Watermark:      latest ${watermark.column} seen - ${formatDuration(watermark.delayMs)}; kept in commits/ and offsets/, never moves back`,
    );
  }
  lines.push(`Checkpoint:     ${job.checkpointLocation} (offsets/, commits/, metadata${stateful.length > 0 ? ', state/' : ''})`);
  stateful.forEach((operator, id) => {
    lines.push(`State:          state/${id}: ${operator.operatorName} (one <batchId>.delta per batch, a .snapshot every 10)`);
  });
  const sources = [built.query.source, ...(built.query.unionSources ?? []).map((u) => u.source)];
  if (sources.length > 1)
    lines.push(`Sources:        ${sources.length}, one end offset each in offsets/<N> (the job's source, then each union branch's)`);
  lines.push(
    `Replayable:     ${sources.every((s) => s.replayable) ? 'yes: a batch interrupted by a crash is re-run with the same rows' : 'no: a push source; rows of a batch lost in a crash are not read again'}`,
  );
  if (job.maxRowsPerBatch) lines.push(`Max rows/batch: ${job.maxRowsPerBatch}`);
  lines.push(`Cores:          ${describeCores(built)}`);
  lines.push(`Bad records:    ${describeBadRecords(job.onBadRecord, job.deadLetterPath ?? join(job.checkpointLocation, 'deadLetters'))}`);
  return redact(`${lines.join('\n')}\n`);
}

/** A union branch's steps, indented under the union step: its source, then its own operators. */
function formatBranch(steps: PlanStep[], number: number): string[] {
  const lines = [`     branch ${number}:`];
  for (const step of steps) {
    lines.push(`       ${step.kind === 'source' ? 'Input' : '-> '}${step.kind === 'source' ? ': ' : ''}${step.description}`);
    const options = formatOptions(step);
    if (options) lines.push(`           options: ${options}`);
    lines.push(`           columns: ${describeSchema(step.schema)}`);
    for (const note of step.notes ?? []) lines.push(`           note: ${note}`);
  }
  return lines;
}

/** Which steps run over slices on worker threads (core/columnar/parallel), or why none do. */
function describeCores(built: BuiltJob): string {
  const cores = built.query.cores ?? 1;
  const runs = parallelStageRuns(built.query.operators);
  if (cores <= 1) return `1: every step on the main thread (cores)`;
  if (runs.length === 0) return `${cores}, unused: no run of stateless steps (filter, withColumn, triangle, select, drop)`;
  const steps = runs.map((run) => (run.length === 1 ? `step ${run[0] + 1}` : `steps ${run[0] + 1}-${run[run.length - 1] + 1}`));
  return (
    `${cores}: ${steps.join(' and ')} over slices of each columnar batch of >= ${PARALLEL_MIN_ROWS.toLocaleString('en-US')} rows, ` +
    `on the main thread and ${cores - 1} worker thread${cores > 2 ? 's' : ''} (same rows, same order)`
  );
}

function describeBadRecords(policy: BadRecordPolicy, deadLetters: string): string {
  if (policy === 'fail') return 'fail: a record that cannot be read or written stops the batch, naming where (onBadRecord)';
  if (policy === 'skip') return 'skip: left out and counted in progress (numBadRecords)';
  return `deadLetter: left out, counted, and written to ${deadLetters}/<batchId>.jsonl`;
}

const OUTPUT_MODES: Record<OutputMode, string> = {
  append: 'each result row once; for groupBy, a group once the watermark has passed it',
  update: 'the result rows that changed in this batch',
  complete: 'the whole result table, every batch',
};

function formatOptions(step: PlanStep): string {
  if (step.options === null || typeof step.options !== 'object' || Array.isArray(step.options)) return '';
  const definition = findComponent(
    allComponents.filter((d) => d.kind === step.kind),
    step.type,
  );
  const secrets = new Set(definition ? secretKeys(definition.options) : []);
  const shape = (definition?.options as unknown as { shape?: Record<string, z.ZodType> } | undefined)?.shape ?? {};
  // A duration as users write it (rampUpTime=5s), not the milliseconds the factory receives.
  const value = (k: string, v: unknown) => (typeof v === 'number' && isDurationOption(shape[k]) ? formatDuration(v) : JSON.stringify(v));
  const shown = Object.entries(step.options as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${secrets.has(k) ? REDACTED : value(k, v)}`);
  if (step.profile) shown.unshift(`profile=${step.profile}`);
  return shown.join(', ');
}
