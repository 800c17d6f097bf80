/**
 * Typed columns: `foreachBatch(f, { columns: true })` gives f a ColumnBatch typed by the stream's rows, so a wrong
 * column name, or reading a number column as another kind, is a tsc error. examples/rate-even-columns.ts compiles as
 * written; copies of it with one mistake each fail, with the error on that line.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../support/cli.js';

const folders: string[] = [];
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const example = readFileSync(join(repoRoot, 'examples/rate-even-columns.ts'), 'utf8');

function variant(from: string, to: string): string {
  assert.ok(example.includes(from), `the example has ${from}`);
  return example.replace(from, to);
}

/** File -> text with one mistake, and what tsc's message must name. */
const wrong: Record<string, { text: string; names: RegExp }> = {
  'column-name.ts': { text: variant("columns.vector('tr')", "columns.vector('trr')"), names: /['"]trr['"]/ },
  'vector-kind.ts': { text: variant('tr.values[i]}', 'tr.indices[i]}'), names: /'indices'/ },
  'rows-not-columns.ts': { text: variant('{ columns: true },', '{ columns: false },'), names: /columns/ },
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

describe('typed columns', () => {
  it('a wrong column name or vector kind fails tsc where it is written; the example as written compiles', async () => {
    // Inside the package's folder (dist/ is git-ignored), so `streamlab` resolves to this checkout.
    const folder = mkdtempSync(join(repoRoot, 'dist', 'typed-columns-'));
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
    for (const [file, { names }] of Object.entries(wrong)) {
      const own = errors.filter((e) => e.startsWith(`${file}(`));
      assert.ok(own.length >= 1, `${file}: no error`);
      assert.match(own.join('\n'), names, file);
    }
  });
});
