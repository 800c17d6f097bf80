/**
 * JSON Schemas of a bench file (schema/bench.schema.json, for editors: `# yaml-language-server:
 * $schema=../schema/bench.schema.json`) and of results.json (schema/bench-results.schema.json, for readers of the
 * results), generated from the zod schemas so they cannot drift.
 */
import { z } from 'zod';
import type { SinkDefinition } from '../component/definition.js';
import { optionsJsonSchema } from '../config/json-schema.js';
import { sinks } from '../registry.js';
import { benchFileSchema, sinkEntrySchema } from './bench-file-schema.js';
import { resultsSchema } from './results.js';

type JsonSchema = Record<string, unknown>;

function toJson(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** One sink's entry: its type, profile, label and sweep, and its own options (each sweepable as a list of values). */
function sinkEntryVariant(definition: SinkDefinition): JsonSchema {
  const entry = toJson(sinkEntrySchema, 'input').properties as Record<string, JsonSchema>;
  const options = (optionsJsonSchema(definition).properties ?? {}) as Record<string, JsonSchema>;
  const sweepable = Object.fromEntries(Object.entries(options).map(([k, v]) => [k, { type: 'array', minItems: 1, items: v }]));
  return {
    type: 'object',
    description: definition.summary,
    properties: {
      type: { const: definition.type },
      profile: entry.profile,
      label: entry.label,
      sweep: { description: entry.sweep.description, type: 'object', properties: sweepable, additionalProperties: false },
      ...options,
    },
    required: ['type'],
    additionalProperties: false,
  };
}

export function benchJsonSchema(): JsonSchema {
  const top = toJson(benchFileSchema, 'input');
  const properties = top.properties as Record<string, JsonSchema>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'streamlab bench file',
    description:
      'What `streamlab bench` measures: a workload, rows, batch sizes, repeats, guarantees and the sinks (with options and sweeps).',
    type: 'object',
    properties: {
      ...properties,
      sinks: {
        description: properties.sinks.description,
        type: 'array',
        minItems: 1,
        items: { oneOf: [{ type: 'string', enum: sinks.map((s) => s.type) }, ...sinks.map(sinkEntryVariant)] },
      },
    },
    required: top.required,
    additionalProperties: false,
  };
}

export function benchResultsJsonSchema(): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'streamlab bench results.json',
    description: 'What one `streamlab bench` measured, with every raw sample (src/benchmark/results.ts).',
    ...toJson(resultsSchema, 'output'),
  };
}
