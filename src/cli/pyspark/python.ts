/** Python source text for values the generator prints. */

/** A Python string literal (double quotes, JSON's escapes are valid Python escapes). */
export function py(value: string): string {
  return JSON.stringify(value);
}

/** A Python literal for a plain JSON-like value. */
export function pyValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return py(value);
  if (Array.isArray(value)) return `[${value.map(pyValue).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${py(k)}: ${pyValue(v)}`)
    .join(', ')}}`;
}

const UNITS: [ms: number, name: string][] = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
  [1, 'millisecond'],
];

/** A duration in milliseconds as Spark's interval text (`10 minutes`, `1500 milliseconds`): the largest exact unit. */
export function sparkInterval(ms: number): string {
  const [unit, name] = UNITS.find(([u]) => ms % u === 0) ?? UNITS[UNITS.length - 1];
  const n = ms / unit;
  return `${n} ${name}${n === 1 ? '' : 's'}`;
}

/** Lines of a `# ...` comment, each prefixed with `indent`. */
export function comment(text: string, indent = ''): string[] {
  return text.split('\n').map((line) => `${indent}# ${line}`.trimEnd());
}
