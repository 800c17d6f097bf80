/**
 * A stage worker thread: builds the stage's operators once from their specs (importing each operator's own module,
 * as the main thread built them), then runs every slice it is sent through them and sends the output columns back.
 * The vectors it computes are handed back (transferred), the input ones it passes through are named by index.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lastValueFrom, of } from 'rxjs';
import { compileExpression } from '../../expr/index.js';
import type { BatchOperator, MicroBatch } from '../../operator.js';
import type { Schema } from '../../schema.js';
import { ColumnBatch } from '../column-batch.js';
import { columnarBatch, columnsOf } from '../micro-batch.js';
import type { Vector } from '../vector.js';
import type { SliceColumn, SliceJob, SliceReply, StageWorkerData, WorkerHello } from './messages.js';
import type { SliceSpec } from './slice-spec.js';
import { isPlainValue } from './slices.js';

/** The part of an operator definition a worker calls (component/definition.ts' OperatorDefinition). */
interface Buildable {
  kind: string;
  type: string;
  create(options: unknown, context: unknown): { operator: BatchOperator };
}

async function build(spec: SliceSpec): Promise<BatchOperator> {
  const module = (await import(spec.module)) as Record<string, unknown>;
  const definition = Object.values(module).find(
    (d): d is Buildable =>
      typeof d === 'object' && d !== null && (d as Buildable).kind === 'operator' && (d as Buildable).type === spec.type,
  );
  if (!definition) throw new Error(`${spec.module} exports no operator '${spec.type}'`);
  const compile = (source: string, schema: Schema) => compileExpression(source, schema);
  const context = { location: spec.location, queryName: spec.queryName, compile, input: spec.input };
  return definition.create(spec.options, context).operator;
}

function encode(vector: Vector, inputs: readonly Vector[], transfer: Set<ArrayBuffer>): SliceColumn | string {
  const input = inputs.indexOf(vector);
  if (input >= 0) return { input };
  if (vector.kind === 'values') {
    for (const value of vector.values) if (!isPlainValue(value)) return `column values of type ${typeof value}`;
    return { vector };
  }
  if (vector.kind === 'dictionary') return 'a dictionary column computed by the stage';
  const arrays = [vector.kind === 'window' ? vector.starts : vector.values, vector.valid];
  for (const array of arrays) if (array && !(array.buffer instanceof SharedArrayBuffer)) transfer.add(array.buffer as ArrayBuffer);
  return { vector };
}

async function run(operators: readonly BatchOperator[], job: SliceJob): Promise<{ reply: SliceReply; transfer: ArrayBuffer[] }> {
  const input = new ColumnBatch(job.names, job.vectors, job.capacity, job.selection);
  const start = columnarBatch(job.meta, input);
  const end = await lastValueFrom(operators.reduce((stream, operator) => operator(stream), of<MicroBatch>(start)));
  const output = columnsOf(end);
  if (!output) return { reply: { id: job.id, ok: false, fallback: 'the stage gave rows, not columns' }, transfer: [] };
  const transfer = new Set<ArrayBuffer>();
  const columns: SliceColumn[] = [];
  for (const vector of output.vectors) {
    const column = encode(vector, job.vectors, transfer);
    if (typeof column === 'string') return { reply: { id: job.id, ok: false, fallback: column }, transfer: [] };
    columns.push(column);
  }
  let selection: Int32Array | 'input' = 'input';
  if (output.selection !== input.selection && output.selection) {
    selection = output.selection;
    if (!(selection.buffer instanceof SharedArrayBuffer)) transfer.add(selection.buffer as ArrayBuffer);
  }
  return { reply: { id: job.id, ok: true, names: [...output.names], columns, selection }, transfer: [...transfer] };
}

const port = parentPort!;
let operators: BatchOperator[];
try {
  operators = await Promise.all((workerData as StageWorkerData).specs.map(build));
  port.postMessage({ ready: true } satisfies WorkerHello);
} catch (error) {
  port.postMessage({ ready: false, error: (error as Error).stack ?? String(error) } satisfies WorkerHello);
  process.exit(1);
}
port.on('message', async (job: SliceJob) => {
  try {
    const { reply, transfer } = await run(operators, job);
    port.postMessage(reply, transfer);
  } catch (error) {
    const { message, stack } = error as Error;
    port.postMessage({ id: job.id, ok: false, error: { message: String(message ?? error), stack } } satisfies SliceReply);
  }
});
