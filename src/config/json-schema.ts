import { z } from 'zod';
import { operators, sinks, sources } from '../registry.js';
import type { ComponentDefinition } from '../component/definition.js';
import { jobSchema } from './job-schema.js';
import { unionStep } from './union-step.js';

type JsonSchema = Record<string, unknown>;

/** A component's options as JSON Schema, as users write them (defaults optional). */
export function optionsJsonSchema(definition: ComponentDefinition): JsonSchema {
  const schema = z.toJSONSchema(definition.options, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete schema.$schema;
  return schema;
}

/** `{ type: rate, ...options }` for one source or sink type. Options may come from a profile, so none is required. */
function componentVariant(definition: ComponentDefinition): JsonSchema {
  const options = optionsJsonSchema(definition);
  return {
    type: 'object',
    description: definition.summary,
    properties: {
      type: { const: definition.type },
      profile: { type: 'string', description: 'Connection profile in config/<profile>.yaml whose options this component starts from.' },
      ...((options.properties as JsonSchema | undefined) ?? {}),
    },
    required: ['type'],
    additionalProperties: false,
  };
}

/** `{ filter: <options> }` for one operator type. */
function operatorVariant(definition: ComponentDefinition): JsonSchema {
  return {
    type: 'object',
    description: definition.summary,
    properties: { [definition.type]: { ...optionsJsonSchema(definition), description: definition.summary } },
    required: [definition.type],
    additionalProperties: false,
  };
}

/** `{ union: [ { source, operators }, ... ] }`: a branch's source and operators are those of a job. */
function unionVariant(): JsonSchema {
  const branch = {
    type: 'object',
    properties: {
      source: { oneOf: sources.map(componentVariant) },
      operators: { type: 'array', items: { oneOf: operators.map(operatorVariant) } },
    },
    required: ['source'],
    additionalProperties: false,
  };
  return {
    type: 'object',
    description: unionStep.summary,
    properties: { union: { type: 'array', minItems: 1, items: branch, description: unionStep.options.description } },
    required: ['union'],
    additionalProperties: false,
  };
}

/**
 * The JSON Schema of job files, generated from the component registry (editors use it to complete and check YAML,
 * e.g. with `# yaml-language-server: $schema=../schema/job.schema.json`).
 */
export function jobJsonSchema(): JsonSchema {
  const top = z.toJSONSchema(jobSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const properties = top.properties as Record<string, JsonSchema>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'streamlab job',
    description: 'A named streaming job: source -> operators -> sink, with a trigger, an output mode and a checkpoint.',
    type: 'object',
    properties: {
      ...properties,
      source: { description: properties.source.description, oneOf: sources.map(componentVariant) },
      operators: {
        description: properties.operators.description,
        type: 'array',
        items: { oneOf: [...operators.map(operatorVariant), unionVariant()] },
      },
      sink: { description: properties.sink.description, oneOf: sinks.map(componentVariant) },
    },
    required: top.required,
    additionalProperties: false,
  };
}
