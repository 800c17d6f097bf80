/**
 * Type-checking an example and copies of it with one mistake each (the typed-rows and typed-columns tests): the files
 * go to one folder inside the package (dist/ is git-ignored, so `streamlab` resolves to this checkout) and one tsc
 * run reports every file's errors.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './cli.js';

/** The example at `path` (from the repository root), and copies of it with `from` replaced by `to`. */
export function exampleVariants(path: string) {
  const example = readFileSync(join(repoRoot, path), 'utf8');
  return {
    example,
    variant(from: string, to: string): string {
      assert.ok(example.includes(from), `the example has ${from}`);
      return example.replace(from, to);
    },
  };
}

/** tsc's error lines for each file (name -> text), `as-written.ts` holding `example`. */
export async function typecheck(example: string, files: Record<string, string>): Promise<Map<string, string[]>> {
  const folder = mkdtempSync(join(repoRoot, 'dist', 'typecheck-'));
  try {
    const compilerOptions = { module: 'nodenext', target: 'es2022', strict: true, skipLibCheck: true, types: ['node'], noEmit: true };
    writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({ compilerOptions }));
    writeFileSync(join(folder, 'as-written.ts'), example);
    for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text);
    const errors = (await tsc(folder)).split('\n').filter((line) => /error TS\d+/.test(line));
    const byFile = new Map<string, string[]>();
    for (const file of ['as-written.ts', ...Object.keys(files)])
      byFile.set(
        file,
        errors.filter((e) => e.startsWith(`${file}(`)),
      );
    return byFile;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function tsc(folder: string): Promise<string> {
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
