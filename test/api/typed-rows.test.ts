/**
 * Typed rows: the row type follows the schema through the chain, so a wrong column name is a tsc error. The example
 * examples/windowed-wordcount.ts compiles as written; copies of it with one wrong name each fail, with the error on
 * that name. And the column types the API declares for fixed-schema sources are the ones their factories build.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSource } from '../../src/api/build.js';
import { FIXED_COLUMNS } from '../../src/api/rows.js';
import { findComponent, sources } from '../../src/registry.js';
import { repoRoot } from '../support/cli.js';

const folders: string[] = [];
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const example = readFileSync(join(repoRoot, 'examples/windowed-wordcount.ts'), 'utf8');

/** The example with `from` replaced by `to` (which must occur in it). */
function variant(from: string, to: string): string {
  assert.ok(example.includes(from), `the example has ${from}`);
  return example.replace(from, to);
}

const wrong: Record<string, { text: string; name: string }> = {
  'foreach-column.ts': { text: variant('${row.word} ${row.count}', '${row.wrod} ${row.count}'), name: 'wrod' },
  'foreach-window-field.ts': { text: variant('row.window.start.toISOString()', 'row.window.begin.toISOString()'), name: 'begin' },
  'watermark-column.ts': { text: variant(".withWatermark('timestamp'", ".withWatermark('timestmap'"), name: 'timestmap' },
  'group-key.ts': { text: variant("'5 minutes'), 'word')", "'5 minutes'), 'words')"), name: 'words' },
};

function tsc(folder: string) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', folder], {
      cwd: folder,
      timeout: 120_000,
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk));
    child.once('error', reject);
    child.once('close', () => resolve(out));
  });
}

describe('typed rows', () => {
  it('a wrong column name fails tsc where it is written; the example as written compiles', async () => {
    // Inside the package's folder (dist/ is git-ignored), so `streamlab` resolves to this checkout.
    const folder = mkdtempSync(join(repoRoot, 'dist', 'typed-rows-'));
    folders.push(folder);
    const compilerOptions = { module: 'nodenext', target: 'es2022', strict: true, skipLibCheck: true, types: ['node'], noEmit: true };
    writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({ compilerOptions }));
    writeFileSync(join(folder, 'as-written.ts'), example);
    for (const [file, { text }] of Object.entries(wrong)) writeFileSync(join(folder, file), text);
    const errors = (await tsc(folder)).split('\n').filter((line) => /error TS\d+/.test(line));
    assert.deepEqual(
      errors.filter((e) => e.startsWith('as-written.ts')),
      [],
    );
    for (const [file, { name }] of Object.entries(wrong)) {
      const own = errors.filter((e) => e.startsWith(`${file}(`));
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
