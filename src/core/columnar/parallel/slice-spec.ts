import type { Schema } from '../../schema.js';

/**
 * What a worker thread needs to build an operator again, exactly as the main thread built it: the module that exports
 * its definition, its registered type, its checked options (defaults applied) and its input columns. Plain data, so
 * it crosses to the worker by structured clone; the worker imports only that module (not the whole registry, whose
 * sinks and sources take seconds to load).
 */
export interface SliceSpec {
  /** URL of the module exporting the operator's definition (the operator file's `import.meta.url`). */
  module: string;
  type: string;
  options: unknown;
  input: Schema;
  queryName: string;
  location: { file?: string; path: string };
}
