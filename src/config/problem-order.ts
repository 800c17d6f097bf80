import type { ConfigProblem } from '../core/errors.js';
import type { PathSegment, YamlFile } from './yaml-file.js';

/**
 * The problems of one job in reading order: those in the job file by line and column, then those in other files (a
 * profile) in the order found. A problem in the job file that names a path but no line (one a component found
 * itself, such as select's "has no name") gets the line of that path, so it is placed, and shown, where it is.
 */
export function inFileOrder(problems: readonly ConfigProblem[], yaml: YamlFile): ConfigProblem[] {
  const placed = problems.map((p) =>
    p.file === yaml.file && p.line === undefined && p.path ? { ...p, ...yaml.locate(pathSegments(p.path)) } : p,
  );
  const rank = (p: ConfigProblem) => (p.file === undefined || p.file === yaml.file ? 0 : 1);
  const last = Number.MAX_SAFE_INTEGER;
  return placed
    .map((problem, index) => ({ problem, index }))
    .sort(
      (a, b) =>
        rank(a.problem) - rank(b.problem) ||
        (a.problem.line ?? last) - (b.problem.line ?? last) ||
        (a.problem.column ?? 0) - (b.problem.column ?? 0) ||
        a.index - b.index,
    )
    .map(({ problem }) => problem);
}

/** `operators[1].select[0]` -> ['operators', 1, 'select', 0] (the inverse of dottedPath). */
export function pathSegments(dotted: string): PathSegment[] {
  return dotted
    .split(/\.|(?=\[)/)
    .filter(Boolean)
    .map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part));
}
