/**
 * Typed rows: the row type follows the schema through the chain, so a wrong column name is a tsc error. The example
 * examples/windowed-wordcount.ts compiles as written; copies of it with one wrong name each fail, with the error on
 * that name. And the column types the API declares for fixed-schema sources are the ones their factories build.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSource } from '../../src/api/build.js';
import { FIXED_COLUMNS } from '../../src/api/rows.js';
import { findComponent, sources } from '../../src/registry.js';
import { exampleVariants, typecheck } from '../support/typecheck.js';

const { example, variant } = exampleVariants('examples/windowed-wordcount.ts');

const wrong: Record<string, { text: string; name: string }> = {
  'foreach-column.ts': { text: variant('${row.word} ${row.count}', '${row.wrod} ${row.count}'), name: 'wrod' },
  'foreach-window-field.ts': { text: variant('row.window.start.toISOString()', 'row.window.begin.toISOString()'), name: 'begin' },
  'watermark-column.ts': { text: variant(".withWatermark('timestamp'", ".withWatermark('timestmap'"), name: 'timestmap' },
  'group-key.ts': { text: variant("'5 minutes'), 'word')", "'5 minutes'), 'words')"), name: 'words' },
};

describe('typed rows', () => {
  it('a wrong column name fails tsc where it is written; the example as written compiles', async () => {
    const errors = await typecheck(example, Object.fromEntries(Object.entries(wrong).map(([file, { text }]) => [file, text])));
    assert.deepEqual(errors.get('as-written.ts'), []);
    for (const [file, { name }] of Object.entries(wrong)) {
      const own = errors.get(file)!;
      assert.equal(own.length, 1, `${file}: ${own.join('\n') || 'no error'}`);
      assert.match(own[0], new RegExp(`['"]${name}['"]`));
    }
  });

  it('the columns declared for fixed-schema sources are the ones their factories build', () => {
    for (const [type, columns] of Object.entries(FIXED_COLUMNS)) {
      const definition = findComponent(sources, type)!;
      const source = createSource(definition, definition.examples[0] as never);
      assert.deepEqual(
        source.schema.map((c) => `${c.name}:${c.type}`),
        Object.entries(columns).map(([name, t]) => `${name}:${t.replace(/\?$/, '')}`),
        type,
      );
    }
  });
});
