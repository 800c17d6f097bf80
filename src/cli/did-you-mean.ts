/**
 * "did you mean …?" for a mistyped flag or command: the closest candidate by edit distance (a swap of two
 * neighbouring letters counts as one edit, so `rnu` is one edit from `run`), or the only candidate that starts with
 * what was typed (`--max` for `--max-batches`). Nothing when no candidate is close enough to be a likely typo.
 */
export function closestMatch(typed: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate);
    if (distance <= allowedEdits(candidate) && (!best || distance < best.distance)) best = { candidate, distance };
  }
  if (best) return best.candidate;
  const prefixed = candidates.filter((c) => typed.replace(/^-+/, '').length >= 2 && c.startsWith(typed));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** "; did you mean X?" or nothing, to append to an "unknown …" message. */
export function didYouMean(typed: string, candidates: readonly string[]): string {
  const match = closestMatch(typed, candidates);
  return match ? `; did you mean ${match}?` : '';
}

/** A third of the name (leading dashes not counted), at least one: `--max-batches` tolerates 3 edits, `run` 1. */
function allowedEdits(candidate: string): number {
  return Math.max(1, Math.floor(candidate.replace(/^-+/, '').length / 3));
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps, each one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
