import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generatedFiles } from '../src/config/generated-files.js';
import { benchGeneratedFiles } from '../src/benchmark/generated-files.js';

/** Writes the generated JSON Schema and reference docs; a test fails when the committed ones are stale. */
for (const [path, content] of Object.entries({ ...generatedFiles(), ...benchGeneratedFiles() })) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  process.stdout.write(`wrote ${path}\n`);
}
