/**
 * Bench targets for the runner's tests, over the real `memory` sink. Their baselines are deliberately faulty writers
 * (a lost row, a batch written twice): a run of one goes through the runner exactly as a real baseline's run does,
 * and its verification must say what went wrong. `failingTarget` stands for a server that goes down mid-bench.
 */
import type { Row } from '../../src/core/row.js';
import { memoryTable } from '../../src/sinks/memory/index.js';
import type { Baseline, BenchTarget, Destination, DestinationSpec } from '../../src/benchmark/target.js';
import { memoryTarget } from '../../src/benchmark/targets/memory.js';

/** Rows the baselines wrote, per destination name (the sink's rows are in the memory sink's own tables). */
const written = new Map<string, Row[]>();

function destination(spec: DestinationSpec): Destination {
  const rows = () => [...memoryTable(spec.name), ...(written.get(spec.name) ?? [])];
  return {
    sinkOptions: { queryName: spec.name },
    count: async () => rows().length,
    readBack: async () => ({ rows: rows().length, checksum: rows().reduce((s, r) => s + Number(r[spec.checksumColumn]), 0) }),
    diskBytes: async () => undefined,
    drop: async () => {
      written.delete(spec.name);
    },
  };
}

function faultyBaseline(name: string, fault: (batch: Row[], call: number) => Row[]): Baseline {
  const calls = new Map<string, number>();
  return {
    name,
    async write(batches, _destination, spec) {
      for (const batch of batches) {
        const call = calls.get(spec.name) ?? 0;
        calls.set(spec.name, call + 1);
        written.set(spec.name, [...(written.get(spec.name) ?? []), ...fault(batch, call)]);
      }
    },
  };
}

function targetWith(baseline: Baseline): BenchTarget {
  return {
    sink: 'memory',
    async open() {
      return { serverVersion: 'test 1.0', baseline, prepare: async (spec) => destination(spec), close: async () => {} };
    },
  };
}

/** Its baseline drops the first row of batch 3. */
export const losingTarget = targetWith(faultyBaseline('drops a row of batch 3', (batch, call) => (call === 3 ? batch.slice(1) : batch)));

/** Its baseline writes batch 2 twice. */
export const doublingTarget = targetWith(
  faultyBaseline('writes batch 2 twice', (batch, call) => (call === 2 ? [...batch, ...batch] : batch)),
);

/** A good baseline: what it is given, once. */
export const faithfulTarget = targetWith(faultyBaseline('faithful copy', (batch) => batch));

/** The memory target, but its server "goes down" after `healthy` destinations: prepare then throws. */
export function failingTarget(healthy: number): BenchTarget {
  let prepared = 0;
  return {
    sink: 'memory',
    async open(connection) {
      const inner = await memoryTarget.open(connection);
      return {
        ...inner,
        prepare: async (spec) => {
          if (++prepared > healthy) throw new Error('connect ECONNREFUSED 127.0.0.1:9 (test server down)');
          return inner.prepare(spec);
        },
      };
    },
  };
}
