import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asyncScheduler } from 'rxjs';
import { findWorkload, WORKLOADS } from '../../src/benchmark/workloads.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Row } from '../../src/core/row.js';
import { findComponent, sources } from '../../src/registry.js';

/** The rows the workload's own `source:` block gives in a job, batch by batch, with this maxRowsPerBatch. */
async function sourceBatches(block: Record<string, unknown> & { type: string }, maxRowsPerBatch: number): Promise<Row[][]> {
  const definition = findComponent(sources, block.type);
  assert.ok(definition, `source ${block.type} is registered`);
  const { type: _, ...options } = block;
  const source = definition.create(definition.options.parse(options), {} as never);
  await source.open({ scheduler: asyncScheduler, logger: silentLogger, maxRowsPerBatch });
  const batches: Row[][] = [];
  let start: number | null = null;
  for (let end = (await source.latestOffset(start)) as number | null; end !== null && end !== start; ) {
    batches.push(await source.getBatch(start, end));
    start = end;
    end = (await source.latestOffset(start)) as number | null;
  }
  return batches;
}

describe('bench workloads', () => {
  it('are tsbs-cpu, wide and sensor, found by name', () => {
    assert.deepEqual(
      WORKLOADS.map((w) => w.name),
      ['tsbs-cpu', 'wide', 'sensor'],
    );
    assert.equal(findWorkload('wide'), WORKLOADS[1]);
    assert.equal(findWorkload('nope'), undefined);
  });

  for (const workload of WORKLOADS) {
    describe(workload.name, () => {
      it('rows(from, count, scale) are exactly the batches its source block gives in a job (same rows, same batches)', async () => {
        for (const scale of [workload.defaultScale, 7]) {
          const batches = await sourceBatches(workload.source(2500, scale), 1000);
          assert.deepEqual(
            batches.map((b) => b.length),
            [1000, 1000, 500],
          );
          for (const [n, batch] of batches.entries()) {
            assert.deepEqual(workload.rows(n * 1000, batch.length, scale), batch, `batch ${n}, scale ${scale}`);
          }
          assert.deepEqual(workload.rows(1234, 3, scale), batches[1].slice(234, 237), 'any range, not only whole batches');
        }
      });

      it('its schema is the source schema; checksum, key and time columns are in it with fitting types', async () => {
        const definition = findComponent(sources, workload.source(1, workload.defaultScale).type)!;
        const { type: _, ...options } = workload.source(1, workload.defaultScale);
        assert.deepEqual(definition.create(definition.options.parse(options), {} as never).schema, workload.schema);
        const typeOf = (name: string) => workload.schema.find((c) => c.name === name)?.type;
        assert.equal(typeOf(workload.checksumColumn), 'long');
        assert.equal(typeOf(workload.timeColumn), 'timestamp');
        assert.ok(workload.keyColumns.length > 0 && workload.keyColumns.every((k) => typeOf(k) !== undefined), `${workload.keyColumns}`);
        assert.ok(workload.defaultScale >= 1 && workload.scaleMeaning);
      });

      it('the checksum column holds whole numbers and (key columns, time) identify a row', () => {
        const scale = workload.defaultScale;
        const rows = workload.rows(0, 3 * scale + 5, scale);
        assert.ok(rows.every((r) => Number.isSafeInteger(r[workload.checksumColumn])));
        const keys = rows.map((r) => JSON.stringify([...workload.keyColumns.map((k) => r[k]), (r[workload.timeColumn] as Date).getTime()]));
        assert.equal(new Set(keys).size, rows.length);
      });
    });
  }
});
