/**
 * Parallel stages (src/core/columnar/parallel): a run of stateless operators over slices of a columnar batch on worker
 * threads must give exactly the rows of the one-thread path, in the same order. Each pipeline runs on one batch both
 * ways and the rows are compared with deepStrictEqual (SameValue: NaN, -0, nulls, Dates by time); the stage's counts
 * prove the batch really was split (or really fell back, where it must). The input holds nulls, NaN, -0, equal
 * neighbouring timestamps, strings, a dictionary column, and comes with and without a selection, in shared and in
 * ordinary memory.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastValueFrom, of } from 'rxjs';
import type { OperatorDefinition } from '../../src/component/definition.js';
import { ColumnBatch } from '../../src/core/columnar/column-batch.js';
import { columnarBatch } from '../../src/core/columnar/micro-batch.js';
import { planParallelStages } from '../../src/core/columnar/parallel/plan.js';
import type { ParallelStageOperator } from '../../src/core/columnar/parallel/stage.js';
import { allValid, setNull, type Vector } from '../../src/core/columnar/vector.js';
import { compileExpression } from '../../src/core/expr/index.js';
import type { BatchOperator } from '../../src/core/operator.js';
import type { Row } from '../../src/core/row.js';
import type { Schema } from '../../src/core/schema.js';
import { operators as registered } from '../../src/registry.js';
import { exitInWorkerOperator, throwInWorkerOperator } from '../support/worker-operators.js';

const MIN_ROWS = 64;
const SCHEMA: Schema = [
  { name: 't', type: 'timestamp' },
  { name: 'x', type: 'double' },
  { name: 'y', type: 'long' },
  { name: 'b', type: 'boolean' },
  { name: 's', type: 'string' },
  { name: 'd', type: 'string' },
];

function float64(n: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n);
}

/** n rows: x with nulls, NaN and -0; y 0..n-1; t equal in threes; b with nulls; s strings and nulls; d a dictionary. */
function inputBatch(n: number, options: { shared: boolean; selection?: boolean }): ColumnBatch {
  const t = float64(n, options.shared);
  const x = float64(n, options.shared);
  const y = float64(n, options.shared);
  const b = new Uint8Array(n);
  const xValid = allValid(n);
  const bValid = allValid(n);
  const dValid = allValid(n);
  const s: Array<string | null> = new Array(n);
  const d = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = 1_700_000_000_000 + Math.floor(i / 3) * 1000;
    x[i] = i % 11 === 0 ? Number.NaN : i % 13 === 0 ? -0 : i * 0.5 - 100;
    if (i % 7 === 0) setNull(xValid, i);
    y[i] = i;
    b[i] = i % 3 === 0 ? 1 : 0;
    if (i % 5 === 0) setNull(bValid, i);
    s[i] = i % 9 === 0 ? null : `k${i % 4}`;
    d[i] = i % 3;
    if (i % 17 === 0) setNull(dValid, i);
  }
  const vectors: Vector[] = [
    { kind: 'timestamp', values: t },
    { kind: 'number', values: x, valid: xValid },
    { kind: 'number', values: y },
    { kind: 'boolean', values: b, valid: bValid },
    { kind: 'values', values: s },
    { kind: 'dictionary', indices: d, dictionary: ['red', 'green', 'blue'], valid: dValid },
  ];
  const names = SCHEMA.map((c) => c.name);
  if (!options.selection) return new ColumnBatch(names, vectors, n);
  const kept = Array.from({ length: n }, (_, i) => i).filter((i) => i % 4 !== 1);
  return new ColumnBatch(names, vectors, n, Int32Array.from(kept));
}

const definitions: OperatorDefinition[] = [...registered, exitInWorkerOperator, throwInWorkerOperator];

/** The operators of `steps` ([type, options] as in a job file), built through the registry as a job builds them. */
function build(steps: Array<[string, unknown]>, input: Schema = SCHEMA): BatchOperator[] {
  let schema = input;
  return steps.map(([type, options], i) => {
    const definition = definitions.find((d) => d.type === type)!;
    const built = definition.create(definition.options.parse(options), {
      location: { path: `operators[${i}].${type}` },
      queryName: 'parallel-test',
      compile: (source, columns) => compileExpression(source, columns),
      input: schema,
    });
    schema = built.schema;
    return built.operator;
  });
}

const meta = { batchId: 4, watermarkMs: 0, batchTimestampMs: 1_700_000_000_000 };

async function rowsThrough(operators: readonly BatchOperator[], batch: ColumnBatch): Promise<Row[]> {
  const out = await lastValueFrom(operators.reduce((stream, operator) => operator(stream), of(columnarBatch(meta, batch))));
  return out.rows;
}

/** The rows of one thread and of `cores` threads, and the parallel stage's counts. */
async function bothWays(steps: Array<[string, unknown]>, batch: ColumnBatch, cores = 2) {
  const operators = build(steps);
  const oneThread = await rowsThrough(operators, batch);
  const planned = planParallelStages(operators, cores, MIN_ROWS);
  assert.equal(planned.length, 1, 'the steps form one stage');
  const stage = planned[0] as ParallelStageOperator;
  try {
    const parallel = await rowsThrough(planned, batch);
    return { oneThread, parallel, counts: { ...stage.counts } };
  } finally {
    await stage.close!();
  }
}

const PIPELINES: Array<[string, Array<[string, unknown]>]> = [
  ['filter', [['filter', 'x > -50 or x is null']]],
  ['withColumn', [['withColumn', { name: 'z', expr: 'x * 2 + y / (y % 4)' }]]],
  ['triangle', [['triangle', { column: 'x', as: 'tr' }]]],
  ['select', [['select', ['t', 'x / (y % 3) as q', 's', 'd', 'b', 'y >= 500 as big']]]],
  ['drop', [['drop', ['s', 'b']]]],
  [
    'filter, withColumn, triangle, select, drop',
    [
      ['filter', 'not (y % 3 == 1) and (b or b is null)'],
      ['withColumn', { name: 'x', expr: 'x - 0.25' }],
      ['triangle', { column: 'y', as: 'tr' }],
      ['select', ['t', 'x', 'tr', 'y', 'd', 'x <=> tr as same']],
      ['drop', ['same']],
    ],
  ],
  [
    'expressions without a vectorized form (row closures on the worker)',
    [
      ['withColumn', { name: 'c', expr: "concat(s, '-', y)" }],
      ['filter', "s in ('k1', 'k2') or d = 'blue'"],
    ],
  ],
];

describe('a parallel stage gives the rows of one thread, in order', () => {
  for (const [name, steps] of PIPELINES) {
    for (const selection of [false, true]) {
      it(`${name}${selection ? ', on a batch with a selection' : ''}`, async () => {
        const batch = inputBatch(1000, { shared: !selection, selection });
        const { oneThread, parallel, counts } = await bothWays(steps, batch);
        assert.deepStrictEqual(parallel, oneThread);
        assert.deepEqual(counts, { sliced: 1, fellBack: 0 }, 'the batch was split across threads');
        assert.ok(oneThread.length > 0);
      });
    }
  }

  it('over three threads (two workers), from ordinary memory', async () => {
    const batch = inputBatch(1001, { shared: false });
    const { oneThread, parallel, counts } = await bothWays(PIPELINES[5][1], batch, 3);
    assert.deepStrictEqual(parallel, oneThread);
    assert.deepEqual(counts, { sliced: 1, fellBack: 0 });
  });

  it('a batch just below the threshold stays on the main thread; one at it is split', async () => {
    const below = await bothWays(PIPELINES[0][1], inputBatch(MIN_ROWS - 1, { shared: true }));
    assert.deepStrictEqual(below.parallel, below.oneThread);
    assert.deepEqual(below.counts, { sliced: 0, fellBack: 0 });
    const at = await bothWays(PIPELINES[0][1], inputBatch(MIN_ROWS, { shared: true }));
    assert.deepStrictEqual(at.parallel, at.oneThread);
    assert.deepEqual(at.counts, { sliced: 1, fellBack: 0 });
  });

  it('an output of objects (a struct) is computed again on the main thread: same rows', async () => {
    const steps: Array<[string, unknown]> = [['withColumn', { name: 'st', expr: "named_struct('x', x, 's', s)" }]];
    const { oneThread, parallel, counts } = await bothWays(steps, inputBatch(500, { shared: true }));
    assert.deepStrictEqual(parallel, oneThread);
    assert.deepEqual(counts, { sliced: 0, fellBack: 1 });
  });
});

describe('a failing worker fails the batch', () => {
  it('a worker thread that exits fails the batch, naming the stage and the batch', async () => {
    const [stage] = planParallelStages(build([['exitInWorker', {}]]), 2, MIN_ROWS);
    try {
      await assert.rejects(
        rowsThrough([stage], inputBatch(200, { shared: true })),
        /^Error: batch 4: parallel stage \[operators\[0\]\.exitInWorker\], worker thread 1 of 1, exited \(code 7\) \(the batch is not committed: it runs again when the query restarts\)$/,
      );
      // Every later batch fails too: the stage never runs without its worker.
      await assert.rejects(rowsThrough([stage], inputBatch(200, { shared: true })), /exited \(code 7\)/);
    } finally {
      await stage.close!();
    }
  });

  it("an operator's error on a worker thread fails the batch with that error", async () => {
    const [stage] = planParallelStages(build([['throwInWorker', {}]]), 2, MIN_ROWS);
    try {
      await assert.rejects(rowsThrough([stage], inputBatch(200, { shared: true })), {
        message: "no rows today (a worker thread's slice of 104 positions)",
      });
    } finally {
      await stage.close!();
    }
  });
});
