/**
 * When dictionary-encoding strings pays (bench/parsers.ts, `dictionary`): ROWS fresh strings (as a parser makes them:
 * equal texts, distinct string objects) with a given number of distinct values, built into a plain array and through
 * StringColumn (which keeps a dictionary while values repeat, core/columnar/builder.ts), then filtered by `k = 'v7'`
 * (the vectorized evaluator: once per distinct value on a dictionary, the row closure per row on a plain array).
 */
import { performance } from 'node:perf_hooks';
import { StringColumn } from '../../src/core/columnar/builder.js';
import { ColumnBatch } from '../../src/core/columnar/column-batch.js';
import { selectWhere } from '../../src/core/columnar/evaluate.js';
import type { Vector } from '../../src/core/columnar/vector.js';
import { compileExpression } from '../../src/core/expr/index.js';
import { formatRate, median } from '../stats.js';

const filter = compileExpression("k = 'v7'", [{ name: 'k', type: 'string' }]);

function strings(rows: number, distinct: number): string[] {
  const out: string[] = new Array(rows);
  for (let i = 0; i < rows; i++) out[i] = `v${(i * 7919) % distinct}`;
  return out;
}

function timed<T>(f: () => T): [T, number] {
  const start = performance.now();
  const result = f();
  return [result, (performance.now() - start) / 1000];
}

/** Prints, per cardinality, build and filter rates of both representations (medians of `runs`). */
export function dictionaryBench(rows: number, runs: number): void {
  process.stdout.write(`\ndictionary: ${rows.toLocaleString('en')} strings, build then filter k = 'v7', medians of ${runs}\n`);
  for (const distinct of [16, 1024, 65_536, rows]) {
    const times: Record<string, number[]> = { plainBuild: [], plainFilter: [], dictBuild: [], dictFilter: [] };
    let kind = '';
    for (let run = 0; run < runs; run++) {
      const input = strings(rows, distinct);
      const [plain, plainBuild] = timed(() => {
        const values: string[] = [];
        for (const s of input) values.push(s);
        return { kind: 'values', values } as Vector;
      });
      const [dict, dictBuild] = timed(() => {
        const builder = new StringColumn(1024);
        for (const s of input) builder.push(s);
        return builder.finish();
      });
      kind = dict.kind;
      const [a, plainFilter] = timed(() => selectWhere(filter, new ColumnBatch(['k'], [plain], rows)).length);
      const [b, dictFilter] = timed(() => selectWhere(filter, new ColumnBatch(['k'], [dict], rows)).length);
      if (a !== b) throw new Error(`dictionary: the filter kept ${a} plain, ${b} from the builder`);
      Object.entries({ plainBuild, plainFilter, dictBuild, dictFilter }).forEach(([k, v]) => {
        times[k].push(v);
      });
    }
    const rate = (k: string) => formatRate(rows / median(times[k])).padStart(7);
    process.stdout.write(
      `  ${String(distinct).padStart(9)} distinct: plain array build ${rate('plainBuild')}/s filter ${rate('plainFilter')}/s | StringColumn (${kind}) build ${rate('dictBuild')}/s filter ${rate('dictFilter')}/s\n`,
    );
  }
}
