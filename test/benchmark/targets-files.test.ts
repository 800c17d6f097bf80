/**
 * The parquet and file bench targets: a fresh folder per destination; the sink (built through the registry) and
 * the baseline write the same rows; every row is read back independently (hyparquet, or the files' text) and
 * compared, and the target's read-back, count, disk size and drop are checked. The parquet baseline needs python3
 * with pyarrow; without it the target has no baseline and that test says so.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import type { BenchTarget, TargetSession } from '../../src/benchmark/target.js';
import { TargetError } from '../../src/benchmark/target.js';
import { fileTarget } from '../../src/benchmark/targets/file.js';
import { dataFiles } from '../../src/benchmark/targets/folder.js';
import { parquetTarget } from '../../src/benchmark/targets/parquet.js';
import type { Row } from '../../src/core/row.js';
import { batches, expected, makeRows, spec, writeThroughSink } from './target-rows.js';

const rows = makeRows(3000);

/** Every row of every data file, as the test schema's rows, sorted by seq. */
async function parquetRows(dir: string): Promise<Row[]> {
  const out: Row[] = [];
  for (const file of await dataFiles(dir)) {
    for (const r of await parquetReadObjects({ file: await asyncBufferFromFile(file) })) {
      out.push({ ...r, seq: Number(r.seq) } as Row);
    }
  }
  return out.sort((a, b) => (a.seq as number) - (b.seq as number));
}

/** The files' text, in name order. */
async function fileText(dir: string): Promise<string> {
  let text = '';
  for (const file of await dataFiles(dir)) text += await readFile(file, 'utf8');
  return text;
}

/** A CSV field as RFC 4180 writes it: quoted when it holds a comma, quote or line break; null empty. */
const csv = (v: unknown) => (v === null ? '' : /[",\n\r]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));

interface Case {
  target: BenchTarget;
  connection: (root: string) => Record<string, unknown>;
  /** What the sink and the baseline must both have written, compared whole. */
  content: (dir: string) => Promise<unknown>;
  wanted: () => unknown;
}

const CASES: Case[] = [
  { target: parquetTarget, connection: (root) => ({ path: root }), content: parquetRows, wanted: () => rows },
  {
    target: fileTarget,
    connection: (root) => ({ path: root, format: 'csv' }),
    content: fileText,
    wanted: () =>
      `${rows.map((r) => [(r.time as Date).toISOString(), r.host, r.region, r.usage, r.seq, r.ok, r.note].map(csv).join(',')).join('\n')}\n`,
  },
  {
    target: fileTarget,
    connection: (root) => ({ path: root, format: 'jsonl' }),
    content: fileText,
    wanted: () => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`,
  },
];

for (const c of CASES) {
  describe(`${c.target.sink} bench target${c.connection('').format ? `, format ${c.connection('').format}` : ''}`, () => {
    let root: string;
    let session: TargetSession;
    const name = (suffix: string) => `sb_test_${suffix}`;

    before(async () => {
      root = await mkdtemp(join(tmpdir(), `streamlab-bench-${c.target.sink}-`));
      session = await c.target.open(c.connection(root));
    });
    after(async () => {
      await session?.close();
      if (root) await rm(root, { recursive: true, force: true });
    });

    it('the sink writes every row into a fresh folder; read-back, count, disk size and drop agree', async () => {
      const s = spec(name('sink'));
      const leftover = await session.prepare(s);
      await writeThroughSink(c.target, c.connection(root), leftover, s, batches(rows.slice(0, 10), 10));
      const destination = await session.prepare(s); // the bench's own leftover: removed, not refused
      assert.equal(await destination.count(), 0);
      await writeThroughSink(c.target, c.connection(root), destination, s, batches(rows, 1000));
      const dir = String(destination.sinkOptions.path);
      assert.deepEqual(await c.content(dir), c.wanted());
      assert.deepEqual(await destination.readBack(), expected(rows));
      assert.equal(await destination.count(), rows.length);
      const bytes = await destination.diskBytes();
      assert.ok(bytes !== undefined && bytes > 0, `diskBytes ${bytes}`);
      await destination.drop();
      assert.ok(!existsSync(dir), `${dir} is still there`);
    });

    it('the baseline writes the same rows', async (t) => {
      if (!session.baseline) {
        t.skip('no baseline here (the parquet one needs python3 with pyarrow)');
        return;
      }
      // Two runs in one session: the parquet baseline's python3 process serves every run of the session. The runner
      // calls write() once per batch, so each call must add to what the earlier ones wrote.
      for (const suffix of ['base', 'base2']) {
        const s = spec(name(suffix));
        const destination = await session.prepare(s);
        for (const batch of batches(rows, 1000)) await session.baseline.write([batch], destination, s);
        assert.deepEqual(await c.content(String(destination.sinkOptions.path)), c.wanted());
        assert.deepEqual(await destination.readBack(), expected(rows));
        await destination.drop();
      }
    });

    it('refuses a folder of that name that the bench did not make', async () => {
      const dir = join(root, name('foreign'));
      await mkdir(dir);
      await writeFile(join(dir, 'precious.csv'), 'a,b\n');
      await assert.rejects(session.prepare(spec(name('foreign'))), (error: Error) => {
        assert.ok(error instanceof TargetError);
        assert.match(error.message, new RegExp(`^${c.target.sink}: ${dir} exists and was not made by streamlab bench .*precious\\.csv`));
        return true;
      });
      assert.equal(await readFile(join(dir, 'precious.csv'), 'utf8'), 'a,b\n');
    });
  });
}

describe('parquet bench target without python3', () => {
  it('opens with no baseline', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const session = await parquetTarget.open({ path: tmpdir() });
      assert.equal(session.baseline, undefined);
      await session.close();
    } finally {
      process.env.PATH = path;
    }
  });
});
