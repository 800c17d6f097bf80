import type { StreamingFacts } from './streaming-facts.js';
import type { OutputMode } from '../sink.js';

/** An operator of the plan as the rules see it: its facts and where it is written (`operators[2].groupBy`). */
export interface PlanOperator {
  facts?: StreamingFacts;
  path: string;
}

/** A broken rule: Spark's own words first (so a search finds Spark's docs), then why, in streamlab's terms. */
export interface OutputModeProblem {
  /** The operator the rule is about, or undefined for the output mode itself. */
  path?: string;
  message: string;
}

const MODES: OutputMode[] = ['append', 'update', 'complete'];

/**
 * Spark's UnsupportedOperationChecker.checkForStreaming, for the operators streamlab has. Checked by `buildJob`, so
 * `streamlab validate` and `streamlab run` refuse a job before anything runs; each message ends with the output
 * modes that would work for this job.
 */
export function checkOutputMode(plan: PlanOperator[], mode: OutputMode): OutputModeProblem[] {
  const problems = structuralProblems(plan);
  for (const message of modeProblems(plan, mode)) problems.push({ message: `${message} ${suggestion(plan, mode)}` });
  return problems;
}

/** Rules that no output mode fixes. */
function structuralProblems(plan: PlanOperator[]): OutputModeProblem[] {
  const problems: OutputModeProblem[] = [];
  const watermarks = plan.filter((o) => o.facts?.kind === 'watermark');
  if (watermarks.length > 1) {
    problems.push({
      path: watermarks[1].path,
      message:
        'Redefining watermark is disallowed: one withWatermark per job. Several event-time columns would each hold the watermark back (Spark refuses this by default too).',
    });
  }
  const aggregations = plan.filter((o) => o.facts?.kind === 'aggregation');
  if (aggregations.length > 1) {
    problems.push({
      path: aggregations[1].path,
      message: 'Multiple streaming aggregations are not supported with streaming DataFrames/Datasets: one groupBy per job.',
    });
  }
  const firstAggregation = plan.findIndex((o) => o.facts?.kind === 'aggregation');
  const laterDedup = firstAggregation < 0 ? undefined : plan.slice(firstAggregation + 1).find((o) => o.facts?.kind === 'dedup');
  if (laterDedup) {
    problems.push({
      path: laterDedup.path,
      message:
        'dropDuplicates after groupBy is not supported: groupBy emits rows that change in later batches, which a later stateful operator cannot take back. Put dropDuplicates before groupBy.',
    });
  }
  return problems;
}

/** Rules about the output mode (Spark's wording, then the reason). */
function modeProblems(plan: PlanOperator[], mode: OutputMode): string[] {
  const aggregation = plan.find((o) => o.facts?.kind === 'aggregation')?.facts;
  if (aggregation?.kind !== 'aggregation') {
    return mode === 'complete'
      ? [
          'Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets: complete rewrites the whole result table each batch, and without a groupBy the result is the unbounded stream itself.',
        ]
      : [];
  }
  if (mode === 'append' && !aggregation.watermarkedKey) {
    return [
      'Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark: ' +
        'append writes each group once, when it is final, and a group is only final once the watermark passes its window (or event time). ' +
        'Group by a window over (or by) the column given to withWatermark.',
    ];
  }
  if (mode === 'update' && aggregation.sessionWindow) {
    return [
      'Update output mode not supported for session window on streaming DataFrames/DataSets: ' +
        'a late row can merge two sessions already written, and update mode cannot take a written row back.',
    ];
  }
  return [];
}

function suggestion(plan: PlanOperator[], mode: OutputMode): string {
  const valid = MODES.filter((m) => m !== mode && modeProblems(plan, m).length === 0);
  return valid.length > 0 ? `Valid output modes for this job: ${valid.join(', ')}.` : 'No output mode fits this job as it is.';
}
