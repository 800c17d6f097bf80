import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { benchGeneratedFiles } from '../../src/benchmark/generated-files.js';

describe('generated bench files', () => {
  for (const [path, content] of Object.entries(benchGeneratedFiles())) {
    it(`${path} is up to date with the bench schemas`, () => {
      const committed = readFileSync(path, 'utf8');
      assert.ok(committed === content, `${path} is stale: run \`npm run generate\` and commit the result`);
    });
  }
});
