/**
 * Compiled expressions against the same logic written by hand, over 10M rows shaped like the rate source's.
 * Prints rows/s for each (median of 5 runs after a warm-up) and how many times slower the expression is.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/expr.js [rows]
 */
import { compileExpression } from '../src/core/expr/index.js';
import type { Row } from '../src/core/row.js';
import type { Schema } from '../src/core/schema.js';

const ROWS = Number(process.argv[2] ?? 10_000_000);
const RUNS = 5;
const schema: Schema = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'value', type: 'long' },
];

const start = new Date();
const rows: Row[] = new Array<Row>(ROWS);
for (let i = 0; i < ROWS; i++) rows[i] = { timestamp: start, value: i };

function pyMod(a: number, b: number): number {
  const m = a % b;
  if (m !== 0) return b < 0 !== m < 0 ? m + b : m;
  return b < 0 ? -0 : 0;
}

interface Case {
  source: string;
  /** Runs the compiled expression over all rows; returns a checksum. */
  compiled: (evaluate: (row: Row) => unknown) => number;
  /** The same by hand. */
  byHand: () => number;
}

const cases: Case[] = [
  {
    source: 'value % 2 == 0',
    compiled: (evaluate) => {
      let n = 0;
      for (let i = 0; i < rows.length; i++) if (evaluate(rows[i]) === true) n++;
      return n;
    },
    byHand: () => {
      let n = 0;
      for (let i = 0; i < rows.length; i++) if ((rows[i].value as number) % 2 === 0) n++;
      return n;
    },
  },
  {
    source: 'triangle(value, 0, 30, 10)',
    compiled: (evaluate) => {
      let sum = 0;
      for (let i = 0; i < rows.length; i++) sum += evaluate(rows[i]) as number;
      return sum;
    },
    byHand: () => {
      let sum = 0;
      for (let i = 0; i < rows.length; i++) {
        const x = rows[i].value as number;
        const alpha = 10 / (30 / 2);
        sum += -10 / 2 + 10 - alpha * Math.abs(pyMod(x + 0, 30) - 30 / 2);
      }
      return sum;
    },
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(run: () => number): { ms: number; checksum: number } {
  run(); // warm-up
  const times: number[] = [];
  let checksum = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    checksum = run();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), checksum };
}

const rate = (ms: number) => `${(((ROWS / ms) * 1000) / 1e6).toFixed(1)}M rows/s`;

function report(): void {
  for (const c of cases) {
    const expr = compileExpression(c.source, schema);
    const compiled = time(() => c.compiled(expr.evaluate));
    const byHand = time(c.byHand);
    if (compiled.checksum !== byHand.checksum) throw new Error(`${c.source}: checksum ${compiled.checksum} != ${byHand.checksum}`);
    console.log(
      `  ${c.source.padEnd(28)} expression ${rate(compiled.ms).padStart(16)} (${compiled.ms.toFixed(0)} ms)   ` +
        `by hand ${rate(byHand.ms).padStart(16)} (${byHand.ms.toFixed(0)} ms)   ratio ${(compiled.ms / byHand.ms).toFixed(2)}x`,
    );
  }
}

/**
 * A job compiles many expressions whose closures share code, so V8 sees polymorphic call sites and inlines less.
 * Running a dozen others first shows that case; the first measurement is the best case.
 */
function runOtherExpressions(): void {
  const others = [
    'value + 1 > 3',
    'value * 2 < 9',
    'value % 3 == 1',
    'value - 1 >= 0',
    'pow(value, 2) > 10',
    'abs(value) < 5',
    'round(value / 3, 2) == 1',
    'sqrt(value) > 2',
    'value / 4 <= 9',
    'value % 5 != 0',
    'pmod(value, 7) = 3',
    'triangle(value, 1, 7, 3) > 0',
  ];
  const sample = rows.slice(0, 200_000);
  for (const source of others) {
    const e = compileExpression(source, schema);
    for (let k = 0; k < 20; k++) for (const row of sample) e.evaluate(row);
  }
}

console.log(`node ${process.version}, ${ROWS.toLocaleString('en')} rows, median of ${RUNS} runs`);
console.log('only these expressions compiled (best case):');
report();
runOtherExpressions();
console.log('after 12 other expressions ran (polymorphic closures, as in a job with several operators):');
report();
