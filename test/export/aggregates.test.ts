/** The export reads an aggregate as the groupBy operator does (aggregateCall) and writes Spark SQL's name for it. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pysparkProgram } from '../../src/cli/pyspark/program.js';
import { loadJob } from '../../src/config/load-job.js';
import { makeTempDir } from '../support/temp-dir.js';

function program(agg: Record<string, string>): string {
  const dir = makeTempDir('streamlab-export-agg-');
  const file = join(dir, 'agg.yaml');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'agg',
      source: { type: 'file', path: 'in', schema: { word: 'string', n: 'long' } },
      operators: [{ groupBy: { keys: ['word'], agg } }],
      sink: { type: 'console' },
      outputMode: 'complete',
    }),
  );
  return pysparkProgram(loadJob(file, { cwd: dir, env: {} }), dir);
}

describe('export pyspark: aggregates', () => {
  it("every spelling streamlab accepts becomes Spark's function", () => {
    const text = program({ c: 'count(*)', a: 'MEAN(n)', d: 'approx_count_distinct(word)', e: 'approxCountDistinct(word)', m: 'max(n)' });
    assert.match(text, /F\.expr\("count\(1\)"\)\.alias\("c"\)/);
    assert.match(text, /F\.expr\("avg\(n\)"\)\.alias\("a"\)/);
    assert.match(text, /F\.expr\("approx_count_distinct\(word\)"\)\.alias\("d"\)/);
    assert.match(text, /F\.expr\("approx_count_distinct\(word\)"\)\.alias\("e"\)/);
    assert.match(text, /F\.expr\("max\(n\)"\)\.alias\("m"\)/);
  });
});
