/**
 * What a sink's factory gets besides its options, as the suite builds sinks: the input schema and a location for
 * messages. The suite compiles no expressions.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import type { SinkBuildContext } from '../../../src/component/definition.js';
import type { Schema } from '../../../src/core/schema.js';

export function buildContext(input: Schema): SinkBuildContext {
  return {
    input,
    location: { file: 'conformance.yaml', path: 'sink' },
    queryName: 'conformance',
    compile: () => {
      throw new Error('the conformance suite compiles no expressions');
    },
  };
}
