import type { Value } from '../../core/row.js';
import { isWindow, WINDOW_KEY } from '../event-time.js';

/**
 * Group keys as strings, so a Map can hold the groups and a state file can name them. The encoding is injective:
 * every part says its kind, strings and JSON carry their length, so `["a|b"]` and `["a", "b"]` never collide. Equal
 * values give equal keys: 0 and -0 are one group (as Spark normalizes -0.0), two Dates of the same instant too.
 */
export function keyPart(value: Value): string {
  if (value === null || value === undefined) return '~';
  switch (typeof value) {
    case 'number':
      return `n${value === 0 ? 0 : value}`;
    case 'string':
      return `s${value.length}:${value}`;
    case 'boolean':
      return value ? 't' : 'f';
    case 'bigint':
      return `b${value}`;
    default: {
      const cached = (value as { [WINDOW_KEY]?: string })[WINDOW_KEY];
      if (cached !== undefined) return cached;
      if (value instanceof Date) return `d${value.getTime()}`;
      if (isWindow(value)) return `w${value.start.getTime()}:${value.end.getTime()}`;
      const json = JSON.stringify(value);
      return `j${json.length}:${json}`;
    }
  }
}

export function groupKey(values: readonly Value[]): string {
  if (values.length === 0) return ''; // the one group of a global aggregation
  let key = keyPart(values[0]);
  for (let i = 1; i < values.length; i++) key += `|${keyPart(values[i])}`;
  return key;
}

/** The values `groupKey` encoded, back from the key (state files store a group's key once, as its key). */
export function parseKey(key: string): Value[] {
  const values: Value[] = [];
  let i = 0;
  const until = (stop: string) => {
    const end = key.indexOf(stop, i);
    const text = key.slice(i, end < 0 ? key.length : end);
    i = end < 0 ? key.length : end;
    return text;
  };
  while (i < key.length) {
    const tag = key[i++];
    if (tag === '~') values.push(null);
    else if (tag === 't' || tag === 'f') values.push(tag === 't');
    else if (tag === 'n') values.push(Number(until('|')));
    else if (tag === 'b') values.push(BigInt(until('|')));
    else if (tag === 'd') values.push(new Date(Number(until('|'))));
    else if (tag === 'w') {
      const [start, end] = until('|').split(':').map(Number);
      values.push({ start: new Date(start), end: new Date(end) });
    } else if (tag === 's' || tag === 'j') {
      const length = Number(until(':'));
      const text = key.slice(i + 1, i + 1 + length);
      i += 1 + length;
      values.push(tag === 's' ? text : (JSON.parse(text) as Value));
    } else throw new Error(`not a group key: '${key}' (at ${i - 1})`);
    if (key[i] === '|') i++;
  }
  return values;
}

/** Orders key values for output: nulls first, then numbers, strings, times and windows by start then end. */
export function compareKeyValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (isWindow(a) && isWindow(b)) return a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime();
  const [x, y] = [keyPart(a), keyPart(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareKeys(a: readonly Value[], b: readonly Value[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareKeyValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}
