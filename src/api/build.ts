import type { z } from 'zod';
import type { BuildContext, SourceDefinition } from '../component/definition.js';
import { compileExpression } from '../core/expr/index.js';
import { ConfigError } from '../core/errors.js';
import type { Schema } from '../core/schema.js';

/** Options checked against a component's schema, with its defaults applied; problems thrown as a ConfigError. */
export function checkOptions<S extends z.ZodType>(definition: { type: string; options: S }, options: unknown, where: string): z.output<S> {
  const result = definition.options.safeParse(options);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => ({ path: [where, ...issue.path].join('.'), message: issue.message })));
}

/** A build context for components made in TypeScript: messages name the call instead of a file. */
export function codeContext(where: string, queryName = 'query'): BuildContext {
  return {
    location: { path: where },
    queryName,
    compile: (source: string, schema: Schema) => compileExpression(source, schema),
  };
}

export function createSource<S extends z.ZodType>(definition: SourceDefinition<S>, options: z.input<S>) {
  return definition.create(checkOptions(definition, options, definition.type), codeContext(definition.type));
}
