/** The memory sink in the conformance suite: its table, read in this process, is the whole content. */
import { MemorySink, memoryTable } from '../../../src/sinks/memory/index.js';
import type { SinkAdapter } from '../sink-conformance.js';

export function memoryAdapter(): SinkAdapter {
  let counter = 0;
  return {
    name: 'memory',
    skip: false,
    columnTypes: ['string', 'long', 'double', 'boolean', 'timestamp', 'array', 'struct'],
    async target(label) {
      const table = `conformance-${label}-${++counter}`;
      return { build: () => new MemorySink(table), readAll: async () => memoryTable(table).map((row) => ({ ...row })) };
    },
  };
}
