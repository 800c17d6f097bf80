import { benchJsonSchema, benchResultsJsonSchema } from './bench-json-schema.js';
import { benchReferenceMarkdown } from './bench-reference.js';

/**
 * Files generated from the bench schemas, by path relative to the repository root (written by `npm run generate`
 * next to config/generated-files.ts's; test/benchmark/generated.test.ts fails when they are stale). They live here,
 * not in config/, because config/ may not import benchmark/.
 */
export function benchGeneratedFiles(): Record<string, string> {
  return {
    'schema/bench.schema.json': `${JSON.stringify(benchJsonSchema(), null, 2)}\n`,
    'schema/bench-results.schema.json': `${JSON.stringify(benchResultsJsonSchema(), null, 2)}\n`,
    'docs/bench-reference.md': benchReferenceMarkdown(),
  };
}
