import type { z } from 'zod';
import type { ConfigProblem } from '../core/errors.js';
import type { PathSegment } from './yaml-file.js';

/** One problem per zod issue; an unknown key at the top of a component lists the keys it accepts. */
export function issueProblems(
  issue: z.core.$ZodIssue,
  base: PathSegment[],
  at: (path: PathSegment[], message: string) => ConfigProblem,
  topKeys: string[],
): ConfigProblem[] {
  const path = [...base, ...(issue.path as PathSegment[])];
  if (issue.code === 'unrecognized_keys') {
    const allowed = issue.path.length === 0 && topKeys.length > 0 ? ` (allowed: ${topKeys.join(', ')})` : '';
    return issue.keys.map((key) => at([...path, key], `unknown key '${key}'${allowed}`));
  }
  return [at(path, issue.message)];
}

/**
 * `value` without the keys that `issues` found unknown, when unknown keys are all that is wrong with it (else
 * undefined): a misspelt option changes nothing the component does, so what follows it can still be checked.
 */
export function withoutUnknownKeys(value: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  if (!issues.every((issue) => issue.code === 'unrecognized_keys')) return undefined;
  let out = value;
  for (const issue of issues) out = removeAt(out, issue.path as PathSegment[], (issue as { keys: string[] }).keys);
  return out;
}

/** A copy of `value` with `keys` removed from the mapping at `path`. */
function removeAt(value: unknown, path: PathSegment[], keys: string[]): unknown {
  if (Array.isArray(value)) {
    if (path.length === 0) return value;
    const [head, ...rest] = path;
    return value.map((item, i) => (i === head ? removeAt(item, rest, keys) : item));
  }
  if (!value || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (path.length === 0) {
    for (const key of keys) delete copy[key];
    return copy;
  }
  const [head, ...rest] = path;
  copy[String(head)] = removeAt(copy[String(head)], rest, keys);
  return copy;
}
