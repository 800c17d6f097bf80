/** Static types: the schema's column types plus `null` for the null literal (shown to callers as `any`). */
import type { ColumnType } from '../schema.js';

export type Ty = ColumnType | 'null';

/** What a function parameter accepts. `string` parameters also take numbers, booleans and timestamps (Spark casts). */
export type ParamKind = 'number' | 'string' | 'timestamp' | 'boolean' | 'array' | 'any';

export const isNumeric = (t: Ty): boolean => t === 'long' || t === 'double';
/** Unknown until run time: `any` or the null literal. */
export const isLoose = (t: Ty): boolean => t === 'any' || t === 'null';

export function accepts(kind: ParamKind, t: Ty): boolean {
  if (kind === 'any' || isLoose(t)) return true;
  switch (kind) {
    case 'number':
      return isNumeric(t);
    case 'string':
      return t !== 'array' && t !== 'struct';
    default:
      return t === kind;
  }
}

export const KIND_NAMES: Record<ParamKind, string> = {
  number: 'a number',
  string: 'a string',
  timestamp: 'a timestamp',
  boolean: 'a boolean',
  array: 'an array',
  any: 'a value',
};

/** The type of a value that may be any of `types`: equal types stay, long with double is double, else `any`. */
export function unify(types: Ty[]): Ty {
  const known = types.filter((t) => t !== 'null');
  if (known.length === 0) return 'null';
  if (known.every((t) => t === known[0])) return known[0];
  if (known.every(isNumeric)) return 'double';
  return 'any';
}

/** Whether `==` (and, with `ordered`, `<`) between the two static types can ever be true. */
export function comparable(a: Ty, b: Ty, ordered: boolean): boolean {
  if (isLoose(a) || isLoose(b)) return true;
  if (ordered && (a === 'array' || a === 'struct' || b === 'array' || b === 'struct')) return false;
  return (isNumeric(a) && isNumeric(b)) || a === b;
}

/** Integer arithmetic stays `long` (except `/`); anything with a double or an unknown gives `double`. */
export function arithmeticType(op: string, a: Ty, b: Ty): Ty {
  if (op === '/') return 'double';
  return (a === 'long' || a === 'null') && (b === 'long' || b === 'null') ? 'long' : 'double';
}
