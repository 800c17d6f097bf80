/**
 * An adapter for a sink that writes files into a directory (file, parquet): a temp root for the suite, removed at
 * the end, and a directory of its own per target, which does not exist until the sink creates it.
 *
 * This file is loaded by node's test runner as a file of its own: it does nothing at import time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from '../../../src/core/row.js';
import type { ColumnType, Schema } from '../../../src/core/schema.js';
import type { Sink } from '../../../src/core/sink.js';
import type { SinkAdapter } from '../sink-conformance.js';

export interface DirectorySink {
  name: string;
  columnTypes: readonly ColumnType[];
  /** The sink writing into `dir`. */
  build(dir: string, schema: Schema): Sink;
  /** Every row of every data file under `dir` ([] when there is no `dir`). */
  readAll(dir: string, schema: Schema): Promise<Row[]>;
}

export function directoryAdapter(sink: DirectorySink): SinkAdapter {
  let root: string;
  let counter = 0;
  return {
    name: sink.name,
    skip: false,
    columnTypes: sink.columnTypes,
    async setUp() {
      root = await mkdtemp(join(tmpdir(), `streamlab-conformance-${sink.name.split(' ')[0]}-`));
    },
    async tearDown() {
      if (root) await rm(root, { recursive: true, force: true });
    },
    async target(label, schema) {
      const dir = join(root, `${label}-${++counter}`);
      return { build: () => sink.build(dir, schema), readAll: () => sink.readAll(dir, schema) };
    },
  };
}
