import { stringify } from 'yaml';
import { unionStep } from './union-step.js';
import { operators, sinks, sources } from '../registry.js';
import type { ComponentDefinition } from '../component/definition.js';
import { optionsJsonSchema } from './json-schema.js';
import { secretKeys } from '../component/secret.js';

export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
};

export function typeName(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s.anyOf) return s.anyOf.map(typeName).join(' \\| ');
  if (s.type === 'array') return `list of ${s.items ? typeName(s.items) : 'any'}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object')
    return `map of ${typeName(s.additionalProperties)}`;
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any');
}

export function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function componentSection(definition: ComponentDefinition): string {
  const schema = optionsJsonSchema(definition) as JsonSchema;
  const out = [`### \`${definition.type}\``, '', definition.summary, ''];
  const secrets = new Set(secretKeys(definition.options));
  if (schema.properties) {
    out.push('| option | type | default | description |', '| --- | --- | --- | --- |');
    const required = new Set(schema.required ?? []);
    for (const [name, field] of Object.entries(schema.properties)) {
      const fallback = field.default !== undefined ? `\`${JSON.stringify(field.default)}\`` : required.has(name) ? '**required**' : '';
      const note = secrets.has(name) ? ' *Secret: never printed.*' : '';
      out.push(`| \`${name}\` | ${typeName(field)} | ${fallback} | ${cell(field.description ?? '')}${note} |`);
    }
  } else {
    out.push(`Value: ${typeName(schema)}. ${schema.description ?? ''}`.trim());
  }
  out.push('', 'Examples:', '');
  for (const example of definition.examples) {
    const value =
      definition.kind === 'operator'
        ? { operators: [{ [definition.type]: example }] }
        : { [definition.kind]: { type: definition.type, ...(example as object) } };
    out.push('```yaml', stringify(value).trimEnd(), '```', '');
  }
  return out.join('\n');
}

/** docs/reference.md: every source, operator and sink with its options and defaults, generated from the schemas. */
export function referenceMarkdown(): string {
  return [
    '# Component reference',
    '',
    '<!-- Generated from the component schemas by `npm run generate`; do not edit by hand. -->',
    '',
    '## Sources',
    '',
    ...sources.map(componentSection),
    '## Operators',
    '',
    'Operators are listed under `operators:` in order; each item has one key, the operator type. Expressions are described in [expressions.md](expressions.md).',
    '',
    ...operators.map(componentSection),
    '### union',
    '',
    `${unionStep.summary}. Written \`- union: [ { source: {...}, operators: [...] }, ... ]\`; see [streaming-concepts.md](streaming-concepts.md#union-of-streams-and-several-watermarks).`,
    '',
    '## Sinks',
    '',
    ...sinks.map(componentSection),
  ].join('\n');
}
