/**
 * Closure factories for the operators. Each has a fast path for two JS numbers that allocates nothing, a variant
 * with a constant right operand (`value % 2`, `x == 0`), and a slow path for null, bigint and values of the wrong
 * kind (which give null: Spark would fail to cast them).
 */
import type { Value } from '../row.js';
import type { Evaluator } from './functions.js';
import type { ArithmeticOp, ComparisonOp } from './parser.js';
import { compareValues, remainder, toNumber, valueEquals } from './values.js';

/** The operand as the compiler knows it: its evaluator and, when constant, its value. */
export interface Operand {
  ev: Evaluator;
  constant: boolean;
  value?: Value;
}

function arithmeticSlow(op: ArithmeticOp, x: Value, y: Value): number | null {
  const a = toNumber(x);
  const b = toNumber(y);
  if (a === null || b === null) return null;
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? null : a / b;
    case '%':
      return b === 0 ? null : remainder(a, b);
  }
}

/** `/` and `%` by zero are null (Spark); `%` takes the sign of the dividend (Spark, Java and JS alike). */
export function arithmetic(op: ArithmeticOp, left: Operand, right: Operand): Evaluator {
  const l = left.ev;
  const r = right.ev;
  if (right.constant && typeof right.value === 'number') {
    const c = right.value;
    switch (op) {
      case '+':
        return (row) => {
          const a = l(row);
          return typeof a === 'number' ? a + c : arithmeticSlow(op, a, c);
        };
      case '-':
        return (row) => {
          const a = l(row);
          return typeof a === 'number' ? a - c : arithmeticSlow(op, a, c);
        };
      case '*':
        return (row) => {
          const a = l(row);
          return typeof a === 'number' ? a * c : arithmeticSlow(op, a, c);
        };
      case '/':
        if (c === 0) return () => null;
        return (row) => {
          const a = l(row);
          return typeof a === 'number' ? a / c : arithmeticSlow(op, a, c);
        };
      case '%':
        if (c === 0) return () => null;
        return (row) => {
          const a = l(row);
          return typeof a === 'number' ? a % c : arithmeticSlow(op, a, c);
        };
    }
  }
  switch (op) {
    case '+':
      return (row) => {
        const a = l(row),
          b = r(row);
        return typeof a === 'number' && typeof b === 'number' ? a + b : arithmeticSlow(op, a, b);
      };
    case '-':
      return (row) => {
        const a = l(row),
          b = r(row);
        return typeof a === 'number' && typeof b === 'number' ? a - b : arithmeticSlow(op, a, b);
      };
    case '*':
      return (row) => {
        const a = l(row),
          b = r(row);
        return typeof a === 'number' && typeof b === 'number' ? a * b : arithmeticSlow(op, a, b);
      };
    case '/':
      return (row) => {
        const a = l(row),
          b = r(row);
        return typeof a === 'number' && typeof b === 'number' && b !== 0 ? a / b : arithmeticSlow(op, a, b);
      };
    case '%':
      return (row) => {
        const a = l(row),
          b = r(row);
        return typeof a === 'number' && typeof b === 'number' && b !== 0 ? remainder(a, b) : arithmeticSlow(op, a, b);
      };
  }
}

export function negate(operand: Evaluator): Evaluator {
  return (row) => {
    const a = operand(row);
    if (typeof a === 'number') return -a;
    const n = toNumber(a);
    return n === null ? null : -n;
  };
}

export function plus(operand: Evaluator): Evaluator {
  return (row) => {
    const a = operand(row);
    return typeof a === 'number' ? a : toNumber(a);
  };
}

function comparisonSlow(op: ComparisonOp, a: Value, b: Value): boolean | null {
  if (op === '<=>') return a === null || b === null ? a === b : valueEquals(a, b);
  if (a === null || b === null) return null;
  if (op === '==') return valueEquals(a, b);
  if (op === '!=') return !valueEquals(a, b);
  const c = compareValues(a, b);
  if (c === null) return null;
  return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
}

/**
 * SQL comparison: null with null operands (except `<=>`, null-safe equality). Numbers follow Spark: NaN equals NaN
 * and is larger than any other number. The fast paths spell that out so they agree with `compareValues`.
 */
export function comparison(op: ComparisonOp, left: Operand, right: Operand): Evaluator {
  const l = left.ev;
  const r = right.ev;
  if (right.constant && typeof right.value === 'number' && !Number.isNaN(right.value)) {
    const c = right.value;
    switch (op) {
      case '==':
        return (row) => {
          const a = l(row);
          return typeof a === 'number' ? a === c : comparisonSlow(op, a, c);
        };
      case '!=':
        return (row) => {
          const a = l(row);
          return typeof a === 'number' ? a !== c : comparisonSlow(op, a, c);
        };
      case '<':
        return (row) => {
          const a = l(row);
          return typeof a === 'number' ? a < c : comparisonSlow(op, a, c);
        };
      case '<=':
        return (row) => {
          const a = l(row);
          return typeof a === 'number' ? a <= c : comparisonSlow(op, a, c);
        };
      case '>':
        return (row) => {
          const a = l(row);
          return typeof a === 'number' ? a > c || a !== a : comparisonSlow(op, a, c);
        };
      case '>=':
        return (row) => {
          const a = l(row);
          return typeof a === 'number' ? a >= c || a !== a : comparisonSlow(op, a, c);
        };
      case '<=>':
        break;
    }
  }
  switch (op) {
    case '==':
      return (row) => {
        const a = l(row),
          b = r(row);
        return typeof a === 'number' && typeof b === 'number' ? a === b || (a !== a && b !== b) : comparisonSlow(op, a, b);
      };
    case '!=':
      return (row) => {
        const a = l(row),
          b = r(row);
        return typeof a === 'number' && typeof b === 'number' ? a !== b && (a === a || b === b) : comparisonSlow(op, a, b);
      };
    case '<':
      return (row) => {
        const a = l(row),
          b = r(row);
        return typeof a === 'number' && typeof b === 'number' ? a < b || (b !== b && a === a) : comparisonSlow(op, a, b);
      };
    case '<=':
      return (row) => {
        const a = l(row),
          b = r(row);
        return typeof a === 'number' && typeof b === 'number' ? a <= b || b !== b : comparisonSlow(op, a, b);
      };
    case '>':
      return (row) => {
        const a = l(row),
          b = r(row);
        return typeof a === 'number' && typeof b === 'number' ? a > b || (a !== a && b === b) : comparisonSlow(op, a, b);
      };
    case '>=':
      return (row) => {
        const a = l(row),
          b = r(row);
        return typeof a === 'number' && typeof b === 'number' ? a >= b || a !== a : comparisonSlow(op, a, b);
      };
    case '<=>':
      return (row) => {
        const a = l(row),
          b = r(row);
        return typeof a === 'number' && typeof b === 'number' ? a === b || (a !== a && b !== b) : comparisonSlow(op, a, b);
      };
  }
}

/** Three-valued AND: false wins over null; non-booleans (from `any` columns) count as null. */
export function and(left: Evaluator, right: Evaluator): Evaluator {
  return (row) => {
    const a = left(row);
    if (a === false) return false;
    const b = right(row);
    if (b === false) return false;
    return a === true && b === true ? true : null;
  };
}

/** Three-valued OR: true wins over null. */
export function or(left: Evaluator, right: Evaluator): Evaluator {
  return (row) => {
    const a = left(row);
    if (a === true) return true;
    const b = right(row);
    if (b === true) return true;
    return a === false && b === false ? false : null;
  };
}

export function not(operand: Evaluator): Evaluator {
  return (row) => {
    const a = operand(row);
    return a === true ? false : a === false ? true : null;
  };
}

/**
 * SQL IN: true when equal to an item; otherwise null if the value or an item is null, else false. A list of
 * constant numbers, strings or booleans becomes a Set (SameValueZero: NaN matches NaN, as in Spark).
 */
export function inList(value: Evaluator, items: Operand[], negated: boolean): Evaluator {
  const primitive = (v: Value) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
  if (items.every((i) => i.constant && primitive(i.value!))) {
    const set = new Set(items.map((i) => i.value));
    return (row) => {
      const v = value(row);
      if (v === null) return null;
      return set.has(typeof v === 'bigint' ? Number(v) : v) !== negated;
    };
  }
  const evs = items.map((i) => i.ev);
  return (row) => {
    const v = value(row);
    if (v === null) return null;
    let sawNull = false;
    for (const item of evs) {
      const x = item(row);
      if (x === null) sawNull = true;
      else if (valueEquals(v, x)) return !negated;
    }
    return sawNull ? null : negated;
  };
}
