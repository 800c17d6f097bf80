import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { generatedFiles } from '../../src/config/generated-files.js';
import { allComponents } from '../../src/registry.js';

describe('generated files', () => {
  for (const [path, content] of Object.entries(generatedFiles())) {
    it(`${path} is up to date with the component schemas`, () => {
      const committed = readFileSync(path, 'utf8');
      assert.ok(committed === content, `${path} is stale: run \`npm run generate\` and commit the result`);
    });
  }
});

describe('component examples', () => {
  for (const definition of allComponents) {
    it(`every example of ${definition.kind} '${definition.type}' passes its schema`, () => {
      assert.ok(definition.examples.length > 0, 'each component documents at least one example');
      for (const example of definition.examples) {
        const result = definition.options.safeParse(example);
        assert.ok(result.success, `${JSON.stringify(example)}: ${result.success ? '' : result.error.message}`);
      }
    });
  }
});
