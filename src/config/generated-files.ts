import { jobJsonSchema } from './json-schema.js';
import { referenceMarkdown } from './reference-docs.js';

/** Files generated from the component schemas, by path relative to the repository root. */
export function generatedFiles(): Record<string, string> {
  return {
    'schema/job.schema.json': `${JSON.stringify(jobJsonSchema(), null, 2)}\n`,
    'docs/reference.md': referenceMarkdown(),
  };
}
