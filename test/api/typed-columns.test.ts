/**
 * Typed columns: `foreachBatch(f, { columns: true })` gives f a ColumnBatch typed by the stream's rows, so a wrong
 * column name, or reading a number column as another kind, is a tsc error. examples/rate-even-columns.ts compiles as
 * written; copies of it with one mistake each fail, with the error on that line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleVariants, typecheck } from '../support/typecheck.js';

const { example, variant } = exampleVariants('examples/rate-even-columns.ts');

/** File -> text with one mistake, and what tsc's message must name. */
const wrong: Record<string, { text: string; names: RegExp }> = {
  'column-name.ts': { text: variant("columns.vector('tr')", "columns.vector('trr')"), names: /['"]trr['"]/ },
  'vector-kind.ts': { text: variant('tr.values[i]}', 'tr.indices[i]}'), names: /'indices'/ },
  'rows-not-columns.ts': { text: variant('{ columns: true },', '{ columns: false },'), names: /columns/ },
};

describe('typed columns', () => {
  it('a wrong column name or vector kind fails tsc where it is written; the example as written compiles', async () => {
    const errors = await typecheck(example, Object.fromEntries(Object.entries(wrong).map(([file, { text }]) => [file, text])));
    assert.deepEqual(errors.get('as-written.ts'), []);
    for (const [file, { names }] of Object.entries(wrong)) {
      const own = errors.get(file)!;
      assert.ok(own.length >= 1, `${file}: no error`);
      assert.match(own.join('\n'), names, file);
    }
  });
});
