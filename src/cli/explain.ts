import { describeSchema } from '../core/schema.js';
import { describeTrigger } from '../core/trigger.js';
import type { BuiltJob, PlanStep } from '../config/build-job.js';
import { REDACTED, redact } from '../config/redact.js';
import { secretKeys } from '../config/secret.js';
import { findComponent, allComponents } from '../registry.js';

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
  });
  lines.push('');
  lines.push(`Trigger:        ${describeTrigger(job.trigger)}`);
  lines.push(`Output mode:    ${job.outputMode}`);
  lines.push(`Checkpoint:     ${job.checkpointLocation} (offsets/, commits/, metadata)`);
  lines.push(`Replayable:     ${built.query.source.replayable ? 'yes: a batch interrupted by a crash is re-run with the same rows' : 'no: a push source; rows of a batch lost in a crash are not read again'}`);
  if (job.maxRowsPerBatch) lines.push(`Max rows/batch: ${job.maxRowsPerBatch}`);
  return redact(`${lines.join('\n')}\n`);
}

function formatOptions(step: PlanStep): string {
  if (step.options === null || typeof step.options !== 'object' || Array.isArray(step.options)) return '';
  const definition = findComponent(allComponents.filter((d) => d.kind === step.kind), step.type);
  const secrets = new Set(definition ? secretKeys(definition.options) : []);
  const shown = Object.entries(step.options as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${secrets.has(k) ? REDACTED : JSON.stringify(v)}`);
  if (step.profile) shown.unshift(`profile=${step.profile}`);
  return shown.join(', ');
}
